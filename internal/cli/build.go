package cli

import (
	"flag"
	"fmt"
	"runtime"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/srctree"
)

func init() {
	register("build", "build a profile's packages (or one package) into the store", runBuild)
	register("fetch", "fetch the sources a profile needs into the source cache", runFetch)
	register("sources", "sources import FILE... (into the cache); sources bundle PROFILE DIR (an image's sources)", runSources)
}

// buildFlags are shared by the verbs that build.
type buildFlags struct {
	common
	jobs      int
	keepGoing bool
	offline   bool
	cache     cacheFlags
}

func (b *buildFlags) add(fs *flag.FlagSet) {
	b.common.add(fs)
	fs.Var(&b.targets, "target", "target architecture (repeatable; default: the profile's targets)")
	fs.IntVar(&b.jobs, "j", runtime.NumCPU(), "jobs: builds and make jobs at once, machine-wide")
	fs.BoolVar(&b.keepGoing, "keep-going", false, "build everything that does not depend on a failure")
	fs.BoolVar(&b.offline, "offline", false, "never download: fail at once listing missing sources")
}

func runFetch(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "fetch", "PROFILE|PKG [--target T] [--offline]", "Fetch every source the profile needs, by sha256: cache, $STALIX_MIRRORS, upstream URL, Debian source package ($STALIX_NO_DEBIAN=1 turns that route off).")
	b.add(fs)
	ss, err := b.open(e, fs, args, profileOrPkg)
	if err != nil {
		return err
	}
	defer ss.Close()
	nodes, err := ss.SourceNodes()
	if err != nil {
		return err
	}
	f := ss.Fetcher
	if err := f.Fetch(ss.Ctx, build.Wants(nodes)); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "all sources of %d nodes are in %s\n", len(nodes), f.Cache)
	return nil
}

func runSources(e *Env, args []string) error {
	if len(args) > 0 && args[0] == "bundle" {
		return runBundle(e, args[1:])
	}
	if len(args) == 0 || args[0] != "import" {
		return usagef("want: sources import FILE|DIR|-... or sources bundle PROFILE DIR")
	}
	fs := newFlags(e, "sources import", "[--strip N] FILE|DIR|-...",
		"Add local files to the source cache by their sha256, and source trees by their tree hash (what a git source pins): "+
			"a directory (a checkout; .git is left out) or a tarball (a forge's, or git archive's). - reads stdin.")
	strip := fs.Int("strip", srctree.Auto, "leading components to drop from a tarball's members before hashing its tree (default: a single top directory, when that is all there is)")
	pos, err := parse(fs, args[1:])
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
	var sha string
	var tree *fetch.Imported
	var err error
	if arg == "-" {
		sha, tree, err = f.ImportReader(e.Stdin, strip)
	} else {
		sha, tree, err = f.ImportAny(absFrom(e.Dir, arg), strip)
	}
	if sha != "" {
		fmt.Fprintf(e.Stdout, "sha256 %s  %s\n", sha, arg)
	}
	if err != nil {
		return err
	}
	if tree != nil {
		note := ""
		if tree.Top != "" {
			note = " (its top directory " + tree.Top + "/ is not part of the tree)"
		}
		fmt.Fprintf(e.Stdout, "tree %s  %s%s\n", tree.Tree, arg, note)
	}
	return nil
}

func runBuild(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "build", "PROFILE|PKG [--target T] [-j N] [--keep-going] [--offline] [--cache URL]", "Build every package the profile needs that the store lacks.")
	b.add(fs)
	b.cache.add(fs)
	ss, err := b.open(e, fs, args, profileOrPkg)
	if err != nil {
		return err
	}
	defer ss.Close()
	return ss.BuildAll()
}
