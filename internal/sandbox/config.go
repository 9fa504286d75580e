package sandbox

import (
	"path/filepath"
	"sort"
	"strings"
)

// hiddenArg is the first argument that turns a re-executed binary into the sandbox's init.
const hiddenArg = "__stalix_sandbox"

// bind is one bind mount of the sealed root.
type bind struct {
	Host     string
	Path     string
	Writable bool
}

// config is what the parent hands the child init over a pipe, as JSON.
type config struct {
	Root       string // empty host directory the child mounts its tmpfs root on
	Binds      []bind // sorted so that a parent path is mounted before what lies below it
	Seed       string // host seed root; its usr goes to /usr
	Bin        string // without a seed: what /bin and /usr/bin link to
	Env        []string
	Argv       []string
	Dir        string
	Hostname   string
	ExtraFiles int
}

func newConfig(s *Spec, root string) config {
	c := config{
		Root:       root,
		Seed:       s.Seed,
		Bin:        s.Bin,
		Env:        s.Env,
		Argv:       s.Argv,
		Dir:        s.Dir,
		Hostname:   s.Hostname,
		ExtraFiles: len(s.ExtraFiles),
	}
	if c.Dir == "" {
		c.Dir = "/"
	}
	if c.Hostname == "" {
		c.Hostname = DefaultHostname
	}
	for _, m := range s.Inputs {
		c.Binds = append(c.Binds, bind{Host: abs(m.Host), Path: m.Path})
	}
	if s.BuildDir != "" {
		c.Binds = append(c.Binds, bind{Host: abs(s.BuildDir), Path: "/build", Writable: true})
	}
	if s.Out.Host != "" {
		c.Binds = append(c.Binds, bind{Host: abs(s.Out.Host), Path: s.Out.Path, Writable: true})
	}
	if s.Jobserver != "" {
		// Writable: a client returns its tokens by writing them back.
		c.Binds = append(c.Binds, bind{Host: abs(s.Jobserver), Path: JobserverPath, Writable: true})
	}
	// Sorting by path puts /a before /a/b, so nested mounts stack in the right order.
	sort.Slice(c.Binds, func(i, j int) bool { return c.Binds[i].Path < c.Binds[j].Path })
	return c
}

// abs makes a host path absolute, since the child resolves it after changing directory.
func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// envValue returns the value of key in env, the last one winning as in a shell.
func envValue(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}
