package session

import (
	"errors"
	"fmt"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/cache"
	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/plan"
)

// Builder builds into the session's store with its settings.
func (ss *Session) Builder() *build.Builder {
	b := &build.Builder{
		Store: ss.Store, Seed: ss.Store.Path(ss.Project.SeedBase()), Jobs: ss.Jobs, KeepGoing: ss.KeepGoing,
		View: ss.View, Recipes: ss.Project.Repo.Names(),
	}
	if ss.Subst != nil {
		b.Subst, b.Progress = ss.Subst, ss.Log
	}
	return b
}

// Build builds what want needs that the store lacks; a run that builds
// ends with its summary and report (Record).
func (ss *Session) Build(pl *plan.Plan, want []*plan.Node) error {
	bl := ss.Builder()
	rr := ss.Record()
	bl.View, bl.Record = rr.View(bl.View), rr.Record
	built, err := bl.Need(ss.Ctx, pl, want, ss.Fetcher)
	var be *build.Error
	if errors.As(err, &be) {
		be.Report(ss.Log, 30)
	}
	switch {
	case err != nil || len(built) > 0:
	case bl.Substituted() > 0:
		fmt.Fprintf(ss.Log, "nothing left to build: 0 built, %d substituted\n", bl.Substituted())
	default:
		fmt.Fprintf(ss.Log, "nothing to build: all %d nodes are in the store\n", len(want))
	}
	return rr.Finish(err)
}

// BuildAll builds what was asked for and what it needs; a dependency
// already in the store does not pull in its own inputs again. An install
// media's system comes first, in a run of its own: its plan is separate
// (see pack.System).
func (ss *Session) BuildAll() error {
	if ss.System != nil {
		if err := ss.Build(ss.System.Plan, ss.System.Wanted()); err != nil {
			return err
		}
	}
	return ss.Build(ss.Plan, ss.Wanted())
}

// Packer builds every target's closure in one scheduler run (the host-side
// nodes are shared, and one target's long kernel build overlaps the
// other's toolchain), then the image tools, and returns the image step.
func (ss *Session) Packer() (*pack.Packer, error) {
	if err := ss.BuildAll(); err != nil {
		return nil, err
	}
	tools, err := pack.Tools(ss.Project.Config(), ss.Profile)
	if err != nil {
		return nil, err
	}
	if tools == nil && ss.Profile.Outputs.Disk != nil {
		fmt.Fprintln(ss.Log, "image: no e2fsprogs recipe; using the host's mke2fs")
	}
	if tools != nil {
		if err := ss.Build(tools, tools.Roots[plan.Host]); err != nil {
			return nil, err
		}
	}
	mke2fs, err := pack.Mke2fs(ss.Store, tools)
	if err != nil {
		return nil, err
	}
	pk := &pack.Packer{Store: ss.Store, Plan: ss.Plan, Profile: ss.Profile, Mke2fs: mke2fs, Epoch: pack.Epoch(),
		SeedBase: ss.Project.SeedBase(), Manifest: cache.Manifests(ss.Ctx, ss.Store, ss.Subst), System: ss.System}
	if tools != nil {
		pk.Tools = tools.Roots[plan.Host]
	}
	pk.Seed, _, err = ss.Project.SeedLock()
	return pk, err
}
