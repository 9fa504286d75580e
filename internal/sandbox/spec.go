// Package sandbox runs one build script sealed off from the host: new user, mount, pid, network,
// uts, ipc and cgroup namespaces around a fresh root that holds only what the build declared.
//
// The sandbox re-executes the running binary (/proc/self/exe) with a hidden first argument; the
// program's main and every TestMain must call Main first so that this child side can take over.
package sandbox

import (
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// Mount places a host path at a path inside the sandbox.
type Mount struct {
	Host string // a directory or file on the host
	Path string // absolute path inside the sandbox, e.g. /ix/store/<hash>-musl-1.2.3
}

// Spec describes one sandboxed run.
type Spec struct {
	// Inputs are bound read-only at their Path.
	Inputs []Mount
	// Seed is a host directory holding a Debian-like root (usr/, with bin, sbin, lib, lib64 in
	// usr). When set, its usr is bound read-only at /usr and /bin, /sbin, /lib, /lib64 (those
	// present in usr) are made links into it.
	Seed string
	// Bin, for a sandbox without the seed, is a directory inside the sandbox (an input's bin/)
	// that /bin and /usr/bin link to, so that #!/bin/sh, make's /bin/sh and #!/usr/bin/env find
	// a shell and env. Leave it empty when Seed is set.
	Bin string
	// BuildDir is bound writable at /build when set.
	BuildDir string
	// Out is bound writable at Out.Path when Out.Host is set; it is the only writable store path.
	Out Mount
	// Env is the whole environment of the script; nothing is inherited.
	Env []string
	// Argv is the command, e.g. /bin/sh -e /build/build.sh. A relative Argv[0] is looked up in
	// the PATH of Env inside the sandbox.
	Argv []string
	// Dir is the working directory inside the sandbox; "/" when empty.
	Dir string
	// Stdout and Stderr receive the script's output; nil discards it.
	Stdout, Stderr io.Writer
	// ExtraFiles are passed on as fds 3, 4, ... (e.g. the make jobserver's fds).
	ExtraFiles []*os.File
	// Jobserver, when set, is the host path of the jobserver's named fifo. It is bound
	// read-write at JobserverPath, for clients that open the pool by path (ninja 1.13).
	Jobserver string
	// Hostname is the sandbox's host name; "stalix" when empty.
	Hostname string
}

// JobserverPath is where a build finds Spec.Jobserver's fifo.
const JobserverPath = "/run/jobserver"

// DefaultHostname is the host name a build sees unless Spec.Hostname says otherwise.
const DefaultHostname = "stalix"

// reserved are the sandbox paths the sandbox itself fills; a mount may not land on or under them.
var reserved = []string{"/proc", "/dev", "/tmp", "/etc"}

func (s *Spec) validate() error {
	if len(s.Argv) == 0 || s.Argv[0] == "" {
		return fmt.Errorf("sandbox: empty Argv: give the command to run, e.g. /bin/sh -e /build/build.sh")
	}
	if s.Dir != "" && !path.IsAbs(s.Dir) {
		return fmt.Errorf("sandbox: Dir %q is not absolute", s.Dir)
	}
	seen := map[string]bool{}
	check := func(what string, m Mount) error {
		if m.Host == "" {
			return fmt.Errorf("sandbox: %s %q has no host path", what, m.Path)
		}
		if !path.IsAbs(m.Path) || path.Clean(m.Path) != m.Path || m.Path == "/" {
			return fmt.Errorf("sandbox: %s path %q must be absolute, clean and not /", what, m.Path)
		}
		for _, r := range reserved {
			if m.Path == r || strings.HasPrefix(m.Path, r+"/") {
				return fmt.Errorf("sandbox: %s path %q is inside %s, which the sandbox provides itself", what, m.Path, r)
			}
		}
		for _, l := range s.rootLinks() {
			if m.Path == l || strings.HasPrefix(m.Path, l+"/") {
				return fmt.Errorf("sandbox: %s path %q is inside %s, which the %s provides", what, m.Path, l, s.rootOwner())
			}
		}
		if seen[m.Path] {
			return fmt.Errorf("sandbox: two mounts at %q", m.Path)
		}
		seen[m.Path] = true
		if _, err := os.Stat(m.Host); err != nil {
			return fmt.Errorf("sandbox: %s for %q: %w", what, m.Path, err)
		}
		return nil
	}
	for _, m := range s.Inputs {
		if err := check("input", m); err != nil {
			return err
		}
	}
	if s.BuildDir != "" {
		if err := check("build dir", Mount{Host: s.BuildDir, Path: "/build"}); err != nil {
			return err
		}
	}
	if s.Out.Host != "" {
		if err := check("output", s.Out); err != nil {
			return err
		}
	}
	if s.Jobserver != "" {
		fi, err := os.Stat(s.Jobserver)
		if err != nil {
			return fmt.Errorf("sandbox: jobserver: %w", err)
		}
		if fi.Mode().Type() != os.ModeNamedPipe {
			return fmt.Errorf("sandbox: jobserver %s is not a fifo", s.Jobserver)
		}
		if err := check("jobserver", Mount{Host: s.Jobserver, Path: JobserverPath}); err != nil {
			return err
		}
	}
	if err := s.validateBin(); err != nil {
		return err
	}
	if s.Seed != "" {
		if fi, err := os.Stat(path.Join(s.Seed, "usr")); err != nil || !fi.IsDir() {
			return fmt.Errorf("sandbox: seed %s has no usr directory: import the seed first", s.Seed)
		}
	}
	return nil
}

// validateBin makes sure /bin and /usr/bin can become links to Bin: it needs no seed and lies in
// an input (the mount checks keep /bin and /usr free).
func (s *Spec) validateBin() error {
	if s.Bin == "" {
		return nil
	}
	if s.Seed != "" {
		return fmt.Errorf("sandbox: Bin %q and a seed both want /bin: set one of them", s.Bin)
	}
	if !path.IsAbs(s.Bin) || path.Clean(s.Bin) != s.Bin {
		return fmt.Errorf("sandbox: Bin %q must be absolute and clean", s.Bin)
	}
	for _, m := range s.Inputs {
		if strings.HasPrefix(s.Bin, m.Path+"/") {
			return nil
		}
	}
	return fmt.Errorf("sandbox: Bin %q is in none of the inputs: mount the package that holds it", s.Bin)
}

// rootLinks are the top-level paths the seed or Bin fills (buildRoot); no mount may land there.
func (s *Spec) rootLinks() []string {
	switch {
	case s.Seed != "":
		return []string{"/usr", "/bin", "/sbin", "/lib", "/lib64"}
	case s.Bin != "":
		return []string{"/usr", "/bin"}
	}
	return nil
}

func (s *Spec) rootOwner() string {
	if s.Seed != "" {
		return "seed"
	}
	return "Bin link"
}
