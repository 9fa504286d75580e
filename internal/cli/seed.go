package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/store"
)

func init() {
	register("seed", "fetch, verify and unpack the pinned binary seed into the store; `seed update` re-resolves its lock", runSeed)
}

// debCache is $STALIX_DEBS, else beside the default store.
func debCache() string {
	if d := os.Getenv("STALIX_DEBS"); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(store.DefaultDir()), "debs")
}

func runSeed(e *Env, args []string) error {
	if len(args) > 0 && args[0] == "update" {
		return runSeedUpdate(e, args[1:])
	}
	var c common
	fs := newFlags(e, "seed", "", "Fetch every .deb of bootstrap/seed-"+plan.Host+".lock with apt, check each sha256, and unpack them in Go into one store entry.")
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
	base := p.seedBase()
	if s.Has(base) {
		fmt.Fprintf(e.Stdout, "seed %s is in the store\n", s.Path(base))
		return s.AddRoot("seed-"+plan.Host, base)
	}
	ctx, cancel := interruptible()
	defer cancel()
	txn, err := s.Begin(base)
	if err != nil {
		return err
	}
	if txn.Done() {
		txn.Abort()
		return nil
	}
	lock := p.seedLock()
	fmt.Fprintf(e.Stderr, "seed: fetching and unpacking the packages of %s\n", lock)
	if err := bootstrap.Materialize(ctx, lock, debCache(), txn.Out); err != nil {
		txn.Abort()
		return err
	}
	if err := txn.Commit(store.Manifest{Name: "seed", Version: plan.Host, Out: plan.StoreDir + "/" + base, Target: plan.Host, Stage: "seed"}); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "seed %s\n", s.Path(base))
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
	lock := p.seedLock()
	cur, err := bootstrap.ReadLock(lock)
	if err != nil {
		return err
	}
	keep := cur
	if *all {
		keep = nil
	}
	ctx, cancel := interruptible()
	defer cancel()
	es, err := bootstrap.Update(ctx, filepath.Join(p.root, "bootstrap", "seed.list"), "amd64", keep)
	if err != nil {
		return err
	}
	changes := bootstrap.Diff(cur, es)
	if len(changes) == 0 {
		fmt.Fprintf(e.Stdout, "seed update: nothing changed; %d packages; seed %s\n", len(cur), p.seed)
		return nil
	}
	for _, ch := range changes {
		fmt.Fprintln(e.Stdout, ch)
	}
	if err := bootstrap.WriteLock(lock, es); err != nil {
		return err
	}
	h, err := bootstrap.LockHash(lock)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "seed update: %d changed; %d packages; wrote %s; seed %s\n", len(changes), len(es), lock, h)
	return nil
}
