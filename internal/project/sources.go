package project

import (
	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/plan"
)

// Sources lists what a mirror of args (profiles or packages) holds: the
// seed's .debs, and the sources of every node they plan, for all their
// targets, under the chosen toolchain and, with toolchains, under every
// other one too, with the image step's own tools. It also counts the
// nodes. No args is every profile in profiles/.
func (p *Project) Sources(args []string, toolchains bool) ([]fetch.Want, int, error) {
	es, lock, err := p.SeedLock()
	if err != nil {
		return nil, 0, err
	}
	if len(args) == 0 {
		if args, err = p.Profiles(); err != nil {
			return nil, 0, err
		}
	}
	ws := bootstrap.Wants(lock, es)
	tcs := []string{p.Toolchain}
	if toolchains {
		for _, t := range p.Stages.Toolchain {
			tcs = append(tcs, t.Name)
		}
	}
	seen := map[string]bool{}
	add := func(pl *plan.Plan) {
		for _, n := range pl.Nodes {
			if !seen[n.Out()] {
				seen[n.Out()] = true
				ws = append(ws, build.Wants([]*plan.Node{n})...)
			}
		}
	}
	defer func(tc string) { p.Toolchain = tc }(p.Toolchain)
	for _, tc := range tcs {
		p.Toolchain = tc
		for _, arg := range args {
			prof, err := p.Resolve(arg)
			if err != nil {
				return nil, 0, err
			}
			pl, err := p.Plan(arg, prof, nil)
			if err != nil {
				return nil, 0, err
			}
			add(pl)
			if prof == nil {
				continue
			}
			sys, err := p.System(prof, nil)
			if err != nil {
				return nil, 0, err
			}
			if sys != nil {
				add(sys.Plan)
			}
			tools, err := pack.Tools(p.Config(), prof)
			if err != nil {
				return nil, 0, err
			}
			if tools != nil {
				add(tools)
			}
		}
	}
	return ws, len(seen), nil
}
