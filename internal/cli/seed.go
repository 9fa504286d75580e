package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/session"
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
	s, err := session.OpenStore(c.store)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := session.Interruptible()
	defer cancel()
	path, err := p.ImportSeed(ctx, s, newFetcher(e, false), e.Stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "seed %s\n", path)
	return nil
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
