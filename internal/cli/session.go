package cli

import (
	"flag"
	"fmt"
	"strings"

	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/project"
	"stalix.dev/stalix-build/internal/session"
)

var (
	profileOrPkg = session.Takes{N: 1, Want: "one PROFILE or PKG"}
	oneProfile   = session.Takes{N: 1, Want: "one PROFILE", Profile: true}
)

// open parses a verb's command line and opens its session (plan only).
// checks run on the parsed flags first, so a usage error comes before any
// planning or cache.
func (c *common) open(e *Env, fs *flag.FlagSet, args []string, t session.Takes, checks ...func() error) (*session.Session, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return nil, err
		}
	}
	return c.openParsed(e, fs, args, pos, t)
}

// openParsed is open once the flags are parsed: pos are the positional arguments.
func (c *common) openParsed(e *Env, fs *flag.FlagSet, args, pos []string, t session.Takes) (*session.Session, error) {
	ss, err := session.Open(session.Options{Project: c.projectOptions(e), Store: c.store, Targets: c.targets}, pos, t)
	if err != nil {
		return nil, err
	}
	ss.Title = strings.Join(append([]string{fs.Name()}, args...), " ")
	ss.Log, ss.View = e.Stderr, newView(e)
	return ss, nil
}

// open is common.open for the verbs that build: the session takes the
// build flags.
func (b *buildFlags) open(e *Env, fs *flag.FlagSet, args []string, t session.Takes, checks ...func() error) (*session.Session, error) {
	ss, err := b.common.open(e, fs, args, t, checks...)
	if err != nil {
		return nil, err
	}
	ss.Jobs, ss.KeepGoing, ss.Fetcher = b.jobs, b.keepGoing, newFetcher(e, b.offline)
	if ss.Subst, err = b.cache.substituter(e); err != nil {
		ss.Close()
		return nil, err
	}
	return ss, nil
}

func (c *common) projectOptions(e *Env) project.Options {
	return project.Options{Root: c.root, Overlays: c.overlays, Toolchain: c.toolchain, Dir: e.Dir}
}

func (c *common) load(e *Env) (*project.Project, error) { return project.Open(c.projectOptions(e)) }

// newFetcher prints a line per source fetched (per 20 for the seed's
// 156 .debs) and each failure.
func newFetcher(e *Env, offline bool) *fetch.Fetcher {
	f := fetch.FromEnv(fetch.DefaultCache())
	f.Offline = offline
	f.Progress = func(done, total int, name string, ok bool) {
		switch {
		case !ok:
			fmt.Fprintf(e.Stderr, "[%d/%d] FAILED %s\n", done, total, name)
		case total <= 20 || done%20 == 0 || done == total:
			fmt.Fprintf(e.Stderr, "[%d/%d] fetched %s\n", done, total, name)
		}
	}
	return f
}
