package cli

import (
	"fmt"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/project"
)

func init() {
	register("mirror", "copy every source and seed .deb the profiles need into an append-only mirror directory", runMirror)
}

func runMirror(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "mirror", "DIR [PROFILE...] [--toolchains]",
		"Copy every source and seed .deb that the profiles need, for all their targets, into DIR, named by sha256 (fetching what the source cache lacks). "+
			"With no PROFILE, every profile in profiles/. DIR is append-only: nothing there is ever changed or deleted, and a file whose bytes do not match its name is an error. "+
			"Serve DIR as it is (a path, file://DIR, or over HTTP) and list it in $STALIX_MIRRORS.")
	c.add(fs)
	toolchains := fs.Bool("toolchains", false, "also the bootstrap chain's sources: every toolchain in stages/stages.toml")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 {
		return usagef("want DIR [PROFILE...]")
	}
	dir := absFrom(e.Dir, pos[0])
	p, err := c.load(e)
	if err != nil {
		return err
	}
	profiles := pos[1:]
	if len(profiles) == 0 {
		profiles, err = p.Profiles()
		if err != nil {
			return err
		}
	}
	ws, nodes, err := mirrorWants(p, profiles, *toolchains)
	if err != nil {
		return err
	}
	ctx, cancel := interruptible()
	defer cancel()
	res, err := newFetcher(e, false).Publish(ctx, dir, ws)
	if err != nil {
		return err
	}
	if res.Copied == 0 {
		fmt.Fprintf(e.Stdout, "mirror: nothing to copy; all %d files (sources of %d nodes and the seed) are in %s\n", res.Present, nodes, dir)
		return nil
	}
	fmt.Fprintf(e.Stdout, "mirror: copied %d files (%.1f MB) into %s; %d were there already\n", res.Copied, float64(res.Bytes)/1e6, dir, res.Present)
	return nil
}

// mirrorWants lists the seed's .debs and the sources of every node the
// profiles plan, for all their targets, under the chosen toolchain and,
// with toolchains, under every other one too; and the image step's own
// tools, which image builds for the build host.
func mirrorWants(p *project.Project, profiles []string, toolchains bool) ([]fetch.Want, int, error) {
	es, lock, err := p.SeedLock()
	if err != nil {
		return nil, 0, err
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
	for _, tc := range tcs {
		p.Toolchain = tc
		for _, arg := range profiles {
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
