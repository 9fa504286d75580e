package project

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/store"
)

// ImportSeed is the seed verb: every .deb of the host's seed lock fetched
// by f, checked and unpacked into one store entry of s, which becomes a
// root. Outside a checkout the embedded lock is written beside the default
// store first. log hears which lock a fresh import reads. It returns the
// entry's path.
func (p *Project) ImportSeed(ctx context.Context, s *store.Store, f *fetch.Fetcher, log io.Writer) (string, error) {
	base := p.SeedBase()
	lock, err := p.SeedLockFile(filepath.Join(filepath.Dir(store.DefaultDir()), "embedded"))
	if err != nil {
		return "", err
	}
	if !s.Has(base) {
		fmt.Fprintf(log, "seed: fetching and unpacking the packages of %s\n", lock)
	}
	path, err := bootstrap.Import(ctx, s, base, plan.Host, lock, f)
	if err != nil {
		return "", err
	}
	return path, s.AddRoot("seed-"+plan.Host, base)
}

// UpdateSeed is seed update: bootstrap/seed.list re-resolved into the
// checkout's lock (bootstrap.UpdateLock). The embedded tree has no lock to
// rewrite.
func (p *Project) UpdateSeed(ctx context.Context, all bool) (bootstrap.Updated, string, error) {
	if p.Root == Embedded {
		return bootstrap.Updated{}, "", fmt.Errorf("seed update rewrites %s: run it in a stalix-build checkout, or pass --root", seedLock)
	}
	lock := filepath.Join(p.Root, seedLock)
	u, err := bootstrap.UpdateLock(ctx, filepath.Join(p.Root, "bootstrap", "seed.list"), lock, all)
	return u, lock, err
}
