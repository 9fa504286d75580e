package cli

import (
	"fmt"
	"path/filepath"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/project"
	"stalix.dev/stalix-build/internal/store"
)

func init() {
	register("seed", "fetch, verify and unpack the pinned binary seed into the store; `seed update` re-resolves its lock", runSeed)
}

func runSeed(e *Env, args []string) error {
	if len(args) > 0 && args[0] == "update" {
		return runSeedUpdate(e, args[1:])
	}
	var c common
	fs := newFlags(e, "seed", "", "Put every .deb of bootstrap/seed-"+plan.Host+".lock in the source cache, checked by sha256, and unpack them in Go into one store entry. "+
		"Each .deb is looked for in the cache ($STALIX_SOURCES), the mirrors ($STALIX_MIRRORS), apt's exact version, then Debian's snapshot archive ($STALIX_SNAPSHOT, its base URL); $STALIX_NO_DEBIAN=1 leaves only the cache and the mirrors.")
	c.add(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	p, err := c.load(e)
	if err != nil {
		return err
	}
	s, err := c.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	base := p.SeedBase()
	// Outside a checkout the import reads the built-in lock from a file.
	lock, err := p.SeedLockFile(filepath.Join(filepath.Dir(store.DefaultDir()), "embedded"))
	if err != nil {
		return err
	}
	if !s.Has(base) {
		fmt.Fprintf(e.Stderr, "seed: fetching and unpacking the packages of %s\n", lock)
	}
	ctx, cancel := interruptible()
	defer cancel()
	path, err := bootstrap.Import(ctx, s, base, plan.Host, lock, newFetcher(e, false))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "seed %s\n", path)
	return s.AddRoot("seed-"+plan.Host, base)
}

// runSeedUpdate re-resolves bootstrap/seed.list into the lock, keeping the
// pins the archive still serves unless --all.
func runSeedUpdate(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "seed update", "[--all]", "Re-resolve bootstrap/seed.list with the host's apt. Every pin the archive still serves is kept; only the pins it no longer serves move, with what their dependencies force. --all resolves afresh, preferring the release's base suite. Prints `name old -> new` per change and the new seed hash.")
	c.add(fs)
	all := fs.Bool("all", false, "ignore the current pins and take every package's preferred version")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	p, err := c.load(e)
	if err != nil {
		return err
	}
	if p.Root == project.Embedded {
		return fmt.Errorf("seed update rewrites bootstrap/seed-%s.lock: run it in a stalix-build checkout, or pass --root", plan.Host)
	}
	lock, err := p.SeedLockFile("")
	if err != nil {
		return err
	}
	ctx, cancel := interruptible()
	defer cancel()
	u, err := bootstrap.UpdateLock(ctx, filepath.Join(p.Root, "bootstrap", "seed.list"), lock, *all)
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
