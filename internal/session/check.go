package session

import (
	"fmt"

	"stalix.dev/stalix-build/internal/check"
	"stalix.dev/stalix-build/internal/plan"
)

// Check is the check verb: it builds what was asked for (with a
// profile's images, unless noImages), rebuilds the selection (check.Select)
// into a fresh store under check.Variation and compares. The report comes
// back even with an error, for whatever it holds.
func (ss *Session) Check(deep, noImages bool, skip []string) (*check.Report, error) {
	rr := ss.Record()
	rb := &check.Rebuild{Main: ss.Store, Sources: ss.Fetcher, Seed: ss.Store.Path(ss.Project.SeedBase()), View: rr.View(ss.View), Record: rr.Record}
	if ss.Profile != nil && !noImages {
		pk, err := ss.Packer()
		if err != nil {
			return nil, err
		}
		rb.Images = pk.Twice
	} else if err := ss.Build(ss.Plan, ss.Wanted()); err != nil {
		return nil, err
	}
	rep, err := rb.Run(ss.Ctx, check.Select(ss.Plan, ss.Wanted(), deep, skip))
	return rep, rr.Finish(err)
}

// Compare is the compare verb: the package built by each of two
// toolchains for the session's first target (what the store lacks), and
// the two outputs compared file by file.
func (ss *Session) Compare(by [2]string) (*check.Comparison, error) {
	target := ss.Plan.Targets[0]
	// Plan both before building either, so a misspelt toolchain fails at once.
	var plans [2]*plan.Plan
	for i, tc := range by {
		if _, err := ss.Project.Stages.GetToolchain(tc); err != nil {
			return nil, fmt.Errorf("--by: %w", err)
		}
		var err error
		if plans[i], err = ss.Project.PlanBy(tc, ss.Args[0], target); err != nil {
			return nil, err
		}
	}
	for _, pl := range plans {
		if err := ss.Build(pl, pl.Roots[target]); err != nil {
			return nil, err
		}
	}
	return check.CompareBuilds(ss.Store, plans[0].Roots[target][0], plans[1].Roots[target][0])
}
