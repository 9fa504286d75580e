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
	register("seed", "fetch, verify and unpack the pinned binary seed into the store", runSeed)
}

// debCache is $STALIX_DEBS, else beside the default store.
func debCache() string {
	if d := os.Getenv("STALIX_DEBS"); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(store.DefaultDir()), "debs")
}

func runSeed(e *Env, args []string) error {
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
