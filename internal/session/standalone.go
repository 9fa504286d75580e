package session

import (
	"context"
	"io"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/project"
	"stalix.dev/stalix-build/internal/store"
)

// The verbs below take no PROFILE|PKG, so they plan nothing and open no
// Session: each opens what it needs and is interruptible like a build.

// RunNode builds the node the action file describes into the store at
// storeDir (build.RunActionFile), as a remote worker would for a cache
// miss; archive, unless "", also gets the output's archive.
func RunNode(storeDir string, jobs int, f *fetch.Fetcher, file, archive string) (string, error) {
	return inStore(storeDir, func(ctx context.Context, s *store.Store) (string, error) {
		return (&build.Builder{Store: s, Jobs: jobs, Sources: f}).RunActionFile(ctx, file, archive)
	})
}

// Seed puts the project's seed into the store at storeDir
// (project.ImportSeed) and returns its path there.
func Seed(p *project.Project, storeDir string, f *fetch.Fetcher, log io.Writer) (string, error) {
	return inStore(storeDir, func(ctx context.Context, s *store.Store) (string, error) {
		return p.ImportSeed(ctx, s, f, log)
	})
}

// inStore runs f with the store at dir open and a context that SIGINT
// and SIGTERM cancel.
func inStore(dir string, f func(context.Context, *store.Store) (string, error)) (string, error) {
	s, err := OpenStore(dir)
	if err != nil {
		return "", err
	}
	defer s.Close()
	ctx, cancel := Interruptible()
	defer cancel()
	return f(ctx, s)
}

// Mirror copies every source and seed .deb of the profiles (all of them
// when none are named; project.Sources) into the append-only mirror dir.
// nodes is how many nodes the sources belong to.
func Mirror(p *project.Project, f *fetch.Fetcher, dir string, profiles []string, toolchains bool) (res fetch.Published, nodes int, err error) {
	ws, nodes, err := p.Sources(profiles, toolchains)
	if err != nil {
		return res, 0, err
	}
	ctx, cancel := Interruptible()
	defer cancel()
	res, err = f.Publish(ctx, dir, ws)
	return res, nodes, err
}
