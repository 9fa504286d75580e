package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/srctree"
	"stalix.dev/stalix-build/internal/store"
	"stalix.dev/stalix-build/internal/unpack"
)

func init() {
	register("build", "build a profile's packages (or one package) into the store", runBuild)
	register("fetch", "fetch the sources a profile needs into the source cache", runFetch)
	register("sources", "manage the source cache: sources import FILE...", runSources)
}

// buildFlags are shared by build, image and check.
type buildFlags struct {
	common
	targets   stringList
	jobs      int
	keepGoing bool
	offline   bool
}

func (b *buildFlags) add(fs flagSet) {
	b.common.add(fs.FlagSet)
	fs.Var(&b.targets, "target", "target architecture (repeatable; default: the profile's targets)")
	fs.IntVar(&b.jobs, "j", runtime.NumCPU(), "jobs: builds and make jobs at once, machine-wide")
	fs.BoolVar(&b.keepGoing, "keep-going", false, "build everything that does not depend on a failure")
	fs.BoolVar(&b.offline, "offline", false, "never download: fail at once listing missing sources")
}

// sourceCache is $STALIX_SOURCES, else beside the default store.
func sourceCache() string {
	if d := os.Getenv("STALIX_SOURCES"); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(store.DefaultDir()), "sources")
}

func newFetcher(e *Env, offline bool) *fetch.Fetcher {
	f := fetch.FromEnv(sourceCache())
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

// wants lists the sources of nodes.
func wants(nodes []*plan.Node) []fetch.Want {
	var out []fetch.Want
	for _, n := range nodes {
		for _, s := range n.Sources {
			out = append(out, fetch.Want{Recipe: n.Recipe.File, File: s.FileName(), URL: s.URL, SHA256: s.SHA256, Debian: s.Debian,
				Tree: s.Tree, Git: s.Git, Ref: s.Ref})
		}
	}
	return out
}

// interruptible cancels on SIGINT/SIGTERM so builds are killed cleanly.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func runFetch(e *Env, args []string) error {
	var b buildFlags
	fs := newFlagSet(e, "fetch", "PROFILE|PKG [--target T] [--offline]", "Fetch every source the profile needs, by sha256: cache, $STALIX_MIRRORS, upstream URL, Debian source package ($STALIX_NO_DEBIAN=1 turns that route off).")
	b.add(fs)
	pos, err := parse(fs.FlagSet, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one PROFILE or PKG")
	}
	p, err := b.load(e)
	if err != nil {
		return err
	}
	pl, _, err := p.planFor(e, pos[0], b.targets)
	if err != nil {
		return err
	}
	ctx, cancel := interruptible()
	defer cancel()
	f := newFetcher(e, b.offline)
	if err := f.Fetch(ctx, wants(pl.Nodes)); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "all sources of %d nodes are in %s\n", len(pl.Nodes), f.Cache)
	return nil
}

func runSources(e *Env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return usagef("want: sources import FILE|DIR|-...")
	}
	fs := newFlagSet(e, "sources import", "[--strip N] FILE|DIR|-...",
		"Add local files to the source cache by their sha256, and source trees by their tree hash (what a git source pins): "+
			"a directory (a checkout; .git is left out) or a tarball (a forge's, or git archive's). - reads stdin.")
	strip := fs.Int("strip", srctree.Auto, "leading components to drop from a tarball's members before hashing its tree (default: a single top directory, when that is all there is)")
	pos, err := parse(fs.FlagSet, args[1:])
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("want at least one FILE, DIR or -")
	}
	f := newFetcher(e, true)
	for _, p := range pos {
		if err := importOne(e, f, p, *strip); err != nil {
			return err
		}
	}
	return nil
}

// importOne imports a file (and, for a tarball, its tree) or a directory's
// tree, printing each hash with its kind.
func importOne(e *Env, f *fetch.Fetcher, arg string, strip int) error {
	p := arg
	if arg == "-" {
		tmp, err := stdinFile(e, f.Cache)
		if err != nil {
			return err
		}
		defer os.Remove(tmp)
		p = tmp
	} else {
		p = absFrom(e.Dir, arg)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if !fi.IsDir() {
		shas, err := f.Import(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "sha256 %s  %s\n", shas[0], arg)
		if !unpack.IsTar(p) {
			return nil
		}
	}
	im, err := f.ImportTree(p, strip)
	if err != nil {
		return fmt.Errorf("import %s: %w", arg, err)
	}
	note := ""
	if im.Top != "" {
		note = " (its top directory " + im.Top + "/ is not part of the tree)"
	}
	fmt.Fprintf(e.Stdout, "tree %s  %s%s\n", im.Tree, arg, note)
	return nil
}

// stdinFile copies the standard input to a temporary file in dir.
func stdinFile(e *Env, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	t, err := os.CreateTemp(dir, ".stdin-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(t, e.Stdin)
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(t.Name())
		return "", fmt.Errorf("import -: %w", err)
	}
	return t.Name(), nil
}

func runBuild(e *Env, args []string) error {
	var b buildFlags
	fs := newFlagSet(e, "build", "PROFILE|PKG [--target T] [-j N] [--keep-going] [--offline]", "Build every package the profile needs that the store lacks.")
	b.add(fs)
	ss, err := b.open(e, fs, args, false)
	if err != nil {
		return err
	}
	defer ss.close()
	// What was asked for and what it needs; a dependency already in the
	// store does not pull in its own inputs again.
	_, err = buildPlan(ss.ctx, e, &b, ss.p, ss.s, ss.pl, ss.wanted())
	return err
}

// buildPlan fetches and builds what want needs; it returns the nodes built.
func buildPlan(ctx context.Context, e *Env, b *buildFlags, p *project, s *store.Store, pl *plan.Plan, want []*plan.Node) ([]*plan.Node, error) {
	pending := build.Pending(pl, s, want)
	if len(pending) == 0 {
		fmt.Fprintf(e.Stderr, "nothing to build: all %d nodes are in the store\n", len(want))
		return nil, nil
	}
	f := newFetcher(e, b.offline)
	if err := f.Fetch(ctx, wants(pending)); err != nil {
		return nil, err
	}
	seed := ""
	for _, n := range pending {
		if n.Seed {
			seed = s.Path(p.seedBase())
			if !s.Has(p.seedBase()) {
				return nil, fmt.Errorf("%s needs the seed %s: run stalix-build seed first", n.ID(), p.seedBase())
			}
			break
		}
	}
	bl := &build.Builder{
		Store: s, Sources: f, Seed: seed, Jobs: b.jobs, KeepGoing: b.keepGoing,
		View: newView(e), Recipes: p.repo.Names(),
	}
	err := bl.Run(ctx, pending)
	var be *build.Error
	if errors.As(err, &be) {
		be.Report(e.Stderr, 30)
	}
	return pending, err
}

// seedBase names the seed's store entry after its lock.
func (p *project) seedBase() string {
	if len(p.seed) < 32 {
		return "0000000000000000-seed-" + plan.Host + "-unlocked"
	}
	return p.seed[:32] + "-seed-" + plan.Host
}
