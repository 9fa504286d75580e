package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/project"
	"stalix.dev/stalix-build/internal/store"
)

// takes says what a verb takes after its flags: n arguments, the first
// naming a PROFILE or a PKG.
type takes struct {
	n       int
	want    string // for the usage error, e.g. "one PROFILE or PKG"
	profile bool   // the first must name a profile
	pkg     bool   // the first must name a package
	// one plans a profile for one target: --target, else its first.
	one bool
}

// session is what a verb has open once its command line is read: the
// project, the plan of its PROFILE|PKG argument, the store, and a context
// that SIGINT cancels.
type session struct {
	e      *Env
	b      *buildFlags // nil for the verbs that only plan
	p      *project.Project
	pl     *plan.Plan
	prof   *profile.Profile // nil when the argument named a package
	sys    *pack.System     // what an install media installs; nil otherwise
	args   []string
	title  string // the command line, for run reports
	s      *store.Store
	ctx    context.Context
	cancel context.CancelFunc
}

// open is the one path from a command line to a plan: every verb that
// takes a PROFILE or PKG comes through here.
func (c *common) open(e *Env, fs *flag.FlagSet, args []string, t takes) (*session, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != t.n {
		return nil, usagef("want %s", t.want)
	}
	p, err := c.load(e)
	if err != nil {
		return nil, err
	}
	prof, err := p.Resolve(pos[0])
	switch {
	case err != nil:
		return nil, err
	case t.profile && prof == nil:
		return nil, usagef("%s is a package; this command wants a profile", pos[0])
	case t.pkg && prof != nil:
		return nil, usagef("want a package, not a profile")
	}
	targets := c.targets
	if t.one && len(targets) > 1 {
		return nil, usagef("boot one target at a time")
	}
	if t.one && len(targets) == 0 && prof != nil {
		targets = prof.Targets[:1]
	}
	pl, err := p.Plan(pos[0], prof, targets)
	if err != nil {
		return nil, err
	}
	sys, err := p.System(prof, targets)
	if err != nil {
		return nil, err
	}
	s, err := c.openStore()
	if err != nil {
		return nil, err
	}
	ctx, cancel := interruptible()
	title := strings.Join(append([]string{fs.Name()}, args...), " ")
	return &session{e: e, p: p, pl: pl, prof: prof, sys: sys, args: pos, title: title, s: s, ctx: ctx, cancel: cancel}, nil
}

// open is common.open for the verbs that build.
func (b *buildFlags) open(e *Env, fs *flag.FlagSet, args []string, t takes) (*session, error) {
	ss, err := b.common.open(e, fs, args, t)
	if ss != nil {
		ss.b = b
	}
	return ss, err
}

func (ss *session) close() {
	ss.cancel()
	ss.s.Close()
}

func (c *common) load(e *Env) (*project.Project, error) {
	return project.Open(project.Options{Root: c.root, Overlays: c.overlays, Toolchain: c.toolchain, Dir: e.Dir})
}

func (c *common) openStore() (*store.Store, error) {
	dir := c.store
	if dir == "" {
		dir = store.DefaultDir()
	}
	return store.Open(dir)
}

// wanted is what the planned packages need at run time, every target.
func (ss *session) wanted() []*plan.Node {
	var out []*plan.Node
	for _, t := range ss.pl.Targets {
		out = append(out, plan.Closure(ss.pl.Roots[t])...)
	}
	return out
}

// nodes is every node of the plan and, for an install media, of the system it carries, which
// ships on the media too: what fetch, cache push and sources bundle walk.
func (ss *session) nodes() []*plan.Node {
	if ss.sys == nil {
		return ss.pl.Nodes
	}
	return append(append([]*plan.Node(nil), ss.pl.Nodes...), ss.sys.Plan.Nodes...)
}

// sourceNodes is nodes and, for a profile that writes a disk, the image
// tools: every node whose sources fetch, cache push and sources bundle walk.
func (ss *session) sourceNodes() ([]*plan.Node, error) {
	nodes := ss.nodes()
	if ss.prof == nil {
		return nodes, nil
	}
	tools, err := pack.Tools(ss.p.Config(), ss.prof)
	if err != nil || tools == nil {
		return nodes, err
	}
	return append(nodes, tools.Nodes...), nil
}

// builder builds into the session's store with the verb's flags.
func (ss *session) builder() *build.Builder {
	return &build.Builder{
		Store: ss.s, Seed: ss.s.Path(ss.p.SeedBase()), Jobs: ss.b.jobs, KeepGoing: ss.b.keepGoing,
		View: newView(ss.e), Recipes: ss.p.Repo.Names(),
	}
}

// build builds what want needs that the store lacks; a run that builds
// ends with its summary and report (recordRun).
func (ss *session) build(pl *plan.Plan, want []*plan.Node) error {
	bl := ss.builder()
	rr := recordRun(ss.e, ss.title, ss.s)
	bl.View, bl.Record = rr.view(bl.View), rr.record
	if err := ss.b.cache.use(ss.e, bl); err != nil {
		return err
	}
	built, err := bl.Need(ss.ctx, pl, want, newFetcher(ss.e, ss.b.offline))
	var be *build.Error
	if errors.As(err, &be) {
		be.Report(ss.e.Stderr, 30)
	}
	switch {
	case err != nil || len(built) > 0:
	case bl.Substituted() > 0:
		fmt.Fprintf(ss.e.Stderr, "nothing left to build: 0 built, %d substituted\n", bl.Substituted())
	default:
		fmt.Fprintf(ss.e.Stderr, "nothing to build: all %d nodes are in the store\n", len(want))
	}
	return rr.finish(err)
}

// packer builds every target's closure in one scheduler run (the host-side
// nodes are shared, and one target's long kernel build overlaps the
// other's toolchain), then the image tools, and returns the image step.
//
// An install media's system is built first, in a run of its own: its plan is separate (see
// pack.System).
func (ss *session) packer() (*pack.Packer, error) {
	if ss.sys != nil {
		if err := ss.build(ss.sys.Plan, ss.sys.Wanted()); err != nil {
			return nil, err
		}
	}
	if err := ss.build(ss.pl, ss.wanted()); err != nil {
		return nil, err
	}
	tools, err := pack.Tools(ss.p.Config(), ss.prof)
	if err != nil {
		return nil, err
	}
	if tools == nil && ss.prof.Outputs.Disk != nil {
		fmt.Fprintln(ss.e.Stderr, "image: no e2fsprogs recipe; using the host's mke2fs")
	}
	if tools != nil {
		if err := ss.build(tools, tools.Roots[plan.Host]); err != nil {
			return nil, err
		}
	}
	mke2fs, err := pack.Mke2fs(ss.s, tools)
	if err != nil {
		return nil, err
	}
	pk := &pack.Packer{Store: ss.s, Plan: ss.pl, Profile: ss.prof, Mke2fs: mke2fs, Epoch: pack.Epoch(), SeedBase: ss.p.SeedBase(),
		Manifest: ss.b.cache.manifests(ss.ctx, ss.s), System: ss.sys}
	if tools != nil {
		pk.Tools = tools.Roots[plan.Host]
	}
	pk.Seed, _, err = ss.p.SeedLock()
	return pk, err
}

// interruptible cancels on SIGINT/SIGTERM so builds are killed cleanly.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func newFetcher(e *Env, offline bool) *fetch.Fetcher {
	f := fetch.FromEnv(fetch.DefaultCache())
	f.Offline = offline
	f.Progress = func(done, total int, name string, ok bool) {
		switch {
		case !ok:
			fmt.Fprintf(e.Stderr, "[%d/%d] FAILED %s\n", done, total, name)
		case total <= 20 || done%20 == 0 || done == total:
			// The seed's 156 .debs: a line per 20 is progress enough.
			fmt.Fprintf(e.Stderr, "[%d/%d] fetched %s\n", done, total, name)
		}
	}
	return f
}
