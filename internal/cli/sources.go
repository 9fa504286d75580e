package cli

import (
	"cmp"
	"fmt"

	"stalix.dev/stalix-build/internal/bundle"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/session"
	"stalix.dev/stalix-build/internal/srctree"
)

// The verbs that move sources and the seed: into the source cache and the
// store, and out to a mirror or a bundle.

func runImport(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "sources import", "[--strip N] FILE|DIR|-...",
		"Add local files to the source cache by their sha256, and source trees by their tree hash (what a git source pins): "+
			"a directory (a checkout; .git is left out) or a tarball (a forge's, or git archive's). - reads stdin.", 0)
	strip := fs.Int("strip", srctree.Auto, "leading components to drop from a tarball's members before hashing its tree (default: a single top directory, when that is all there is)")
	pos, err := o.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("want at least one FILE, DIR or -")
	}
	o.offline = true
	f := o.fetcher(e)
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
	if err != nil || tree == nil {
		return err
	}
	note := ""
	if tree.Top != "" {
		note = " (its top directory " + tree.Top + "/ is not part of the tree)"
	}
	fmt.Fprintf(e.Stdout, "tree %s  %s%s\n", tree.Tree, arg, note)
	return nil
}

func runBundle(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "sources bundle", "PROFILE DIR [--target T] [--offline]",
		"Copy every source and patch the profile's images are built from into DIR, with the recipes, each build script as it ran, manifest.json and SHA256SUMS: the corresponding source a distributor hands over.", withBuild)
	return o.run(e, fs, args, session.Takes{N: 2, Want: "PROFILE DIR", Profile: true}, func(ss *session.Session) error {
		dir := absFrom(e.Dir, ss.Args[1])
		m, err := ss.Bundle(dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "%s: the sources of %d packages, listed in %s and %s\n", dir, len(m.Packages), bundle.ManifestName, bundle.SumsName)
		return nil
	})
}

func runMirror(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "mirror", "DIR [PROFILE...] [--toolchains]",
		"Copy every source and seed .deb that the profiles need, for all their targets, into DIR, named by sha256 (fetching what the source cache lacks). "+
			"With no PROFILE, every profile in profiles/. DIR is append-only: nothing there is ever changed or deleted, and a file whose bytes do not match its name is an error. "+
			"Serve DIR as it is (a path, file://DIR, or over HTTP) and list it in $STALIX_MIRRORS.", withProject)
	toolchains := fs.Bool("toolchains", false, "also the bootstrap chain's sources: every toolchain in stages/stages.toml")
	pos, err := o.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 {
		return usagef("want DIR [PROFILE...]")
	}
	p, err := o.load(e)
	if err != nil {
		return err
	}
	dir := absFrom(e.Dir, pos[0])
	res, nodes, err := session.Mirror(p, o.fetcher(e), dir, pos[1:], *toolchains)
	switch {
	case err != nil:
		return err
	case res.Copied == 0:
		fmt.Fprintf(e.Stdout, "mirror: nothing to copy; all %d files (sources of %d nodes and the seed) are in %s\n", res.Present, nodes, dir)
	default:
		fmt.Fprintf(e.Stdout, "mirror: copied %d files (%.1f MB) into %s; %d were there already\n", res.Copied, float64(res.Bytes)/1e6, dir, res.Present)
	}
	return nil
}

func runSeed(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "seed", "", "Put every .deb of bootstrap/seed-"+plan.Host+".lock in the source cache, checked by sha256, and unpack them in Go into one store entry. "+
		"Each .deb is looked for in the cache ($STALIX_SOURCES), the mirrors ($STALIX_MIRRORS), apt's exact version, then Debian's snapshot archive ($STALIX_SNAPSHOT, its base URL); $STALIX_NO_DEBIAN=1 leaves only the cache and the mirrors.", withProject)
	if pos, err := o.parse(fs, args); err != nil || len(pos) > 0 {
		return cmp.Or(err, usagef("want no arguments, or seed update"))
	}
	p, err := o.load(e)
	if err != nil {
		return err
	}
	path, err := session.Seed(p, o.store, o.fetcher(e), e.Stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "seed %s\n", path)
	return nil
}

// runSeedUpdate re-resolves bootstrap/seed.list into the lock, keeping the
// pins the archive still serves unless --all.
func runSeedUpdate(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "seed update", "[--all]", "Re-resolve bootstrap/seed.list with the host's apt. Every pin the archive still serves is kept; only the pins it no longer serves move, with what their dependencies force. --all resolves afresh, preferring the release's base suite. Prints `name old -> new` per change and the new seed hash.", withProject)
	all := fs.Bool("all", false, "ignore the current pins and take every package's preferred version")
	if _, err := o.parse(fs, args); err != nil {
		return err
	}
	p, err := o.load(e)
	if err != nil {
		return err
	}
	ctx, cancel := session.Interruptible()
	defer cancel()
	u, lock, err := p.UpdateSeed(ctx, *all)
	if err != nil {
		return err
	}
	for _, ch := range u.Changes {
		fmt.Fprintln(e.Stdout, ch)
	}
	if len(u.Changes) == 0 {
		fmt.Fprintf(e.Stdout, "seed update: nothing changed; %d packages; seed %s\n", u.Packages, u.Hash)
		return nil
	}
	fmt.Fprintf(e.Stdout, "seed update: %d changed; %d packages; wrote %s; seed %s\n", len(u.Changes), u.Packages, lock, u.Hash)
	return nil
}
