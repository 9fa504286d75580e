// Package session is what a verb has open once its command line is read:
// the project, the plan of its PROFILE|PKG argument, the store, and the
// build that fills the store from them. Every verb that takes a PROFILE or
// a PKG comes through Open, so they all resolve, plan and build alike.
package session

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/cache"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/project"
	"stalix.dev/stalix-build/internal/sched"
	"stalix.dev/stalix-build/internal/store"
)

// Takes says what a verb takes after its flags: N arguments, the first
// naming a PROFILE or a PKG.
type Takes struct {
	N       int
	Want    string // for the usage error, e.g. "one PROFILE or PKG"
	Profile bool   // the first must name a profile
	Pkg     bool   // the first must name a package
	// One plans a profile for one target: the one asked for, else its first.
	One bool
}

// Options are the command line's choices that Open needs.
type Options struct {
	Project project.Options
	Store   string   // "" is store.DefaultDir
	Targets []string // none: the profile's
}

// ArgError is a command line that asks for something Open cannot do (too
// few arguments, a package where a profile is wanted): the user's fault,
// which the command line reports with its usage.
type ArgError struct{ Msg string }

func (e *ArgError) Error() string { return e.Msg }

// CommandLine marks the error as the command line's, which the cli reports
// with its usage and exit 2.
func (e *ArgError) CommandLine() {}

func argErrorf(format string, a ...any) error { return &ArgError{fmt.Sprintf(format, a...)} }

// Session is one verb's project, plan and store; a verb that builds sets
// the build fields before calling Build or Packer.
type Session struct {
	Project *project.Project
	Plan    *plan.Plan
	Profile *profile.Profile // nil when the argument named a package
	System  *pack.System     // what an install media installs; nil otherwise
	Args    []string
	Store   *store.Store
	// Ctx is cancelled by SIGINT and SIGTERM, so builds are killed cleanly.
	Ctx    context.Context
	cancel context.CancelFunc

	// What Build runs with.
	Title     string // the command line, for run reports
	Jobs      int
	KeepGoing bool
	View      func(p *sched.Plan) build.View // the progress view; nil shows none
	Log       io.Writer                      // where a build's summary and failures go
	Fetcher   *fetch.Fetcher
	Subst     *cache.Substituter // nil without caches
}

// Open resolves args (the verb's positional arguments) and plans them.
func Open(o Options, args []string, t Takes) (*Session, error) {
	if len(args) != t.N {
		return nil, argErrorf("want %s", t.Want)
	}
	p, err := project.Open(o.Project)
	if err != nil {
		return nil, err
	}
	prof, err := p.Resolve(args[0])
	switch {
	case err != nil:
		return nil, err
	case t.Profile && prof == nil:
		return nil, argErrorf("%s is a package; this command wants a profile", args[0])
	case t.Pkg && prof != nil:
		return nil, argErrorf("want a package, not a profile")
	}
	targets := o.Targets
	if t.One && len(targets) > 1 {
		return nil, argErrorf("one target at a time: give one --target, or none for the profile's first")
	}
	if t.One && len(targets) == 0 && prof != nil {
		targets = prof.Targets[:1]
	}
	pl, err := p.Plan(args[0], prof, targets)
	if err != nil {
		return nil, err
	}
	sys, err := p.System(prof, targets)
	if err != nil {
		return nil, err
	}
	s, err := OpenStore(o.Store)
	if err != nil {
		return nil, err
	}
	ctx, cancel := Interruptible()
	return &Session{Project: p, Plan: pl, Profile: prof, System: sys, Args: args, Store: s, Ctx: ctx, cancel: cancel,
		Title: "build", Log: io.Discard}, nil
}

// Close releases the store and the signal handler.
func (ss *Session) Close() {
	ss.cancel()
	ss.Store.Close()
}

// OpenStore opens dir, or the default store when dir is "".
func OpenStore(dir string) (*store.Store, error) {
	if dir == "" {
		dir = store.DefaultDir()
	}
	return store.Open(dir)
}

// Interruptible cancels on SIGINT/SIGTERM so builds are killed cleanly.
func Interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// Wanted is what the planned packages need at run time, every target.
func (ss *Session) Wanted() []*plan.Node {
	var out []*plan.Node
	for _, t := range ss.Plan.Targets {
		out = append(out, plan.Closure(ss.Plan.Roots[t])...)
	}
	return out
}

// Nodes is every node of the plan and, for an install media, of the system it carries, which
// ships on the media too.
func (ss *Session) Nodes() []*plan.Node {
	if ss.System == nil {
		return ss.Plan.Nodes
	}
	return append(append([]*plan.Node(nil), ss.Plan.Nodes...), ss.System.Plan.Nodes...)
}

// SourceNodes is Nodes and, for a profile that writes a disk, the image
// tools: every node whose sources fetch, cache push and sources bundle walk.
func (ss *Session) SourceNodes() ([]*plan.Node, error) {
	nodes := ss.Nodes()
	if ss.Profile == nil {
		return nodes, nil
	}
	tools, err := pack.Tools(ss.Project.Config(), ss.Profile)
	if err != nil || tools == nil {
		return nodes, err
	}
	return append(nodes, tools.Nodes...), nil
}
