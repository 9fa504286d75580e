package cli

import (
	"fmt"
	"path/filepath"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/plan"
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
		profiles, err = filepath.Glob(filepath.Join(p.root, "profiles", "*.toml"))
		if err != nil {
			return err
		}
	}
	ws, nodes, err := mirrorWants(e, p, profiles, *toolchains)
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
// profiles plan, for all their targets, under the profile's toolchain and,
// with toolchains, under every other one too; and the image step's own
// tools, which image builds for the build host.
func mirrorWants(e *Env, p *project, profiles []string, toolchains bool) ([]fetch.Want, int, error) {
	es, err := bootstrap.ReadLock(p.seedLock())
	if err != nil {
		return nil, 0, err
	}
	ws := bootstrap.Wants(p.seedLock(), es)
	tcs := []string{""}
	if toolchains {
		for _, t := range p.stages.Toolchain {
			tcs = append(tcs, t.Name)
		}
	}
	seen := map[string]bool{}
	add := func(pl *plan.Plan) {
		for _, n := range pl.Nodes {
			if !seen[n.Out()] {
				seen[n.Out()] = true
				ws = append(ws, wants([]*plan.Node{n})...)
			}
		}
	}
	for _, tc := range tcs {
		p.toolchain = tc
		for _, prof := range profiles {
			pl, _, err := p.planFor(e, prof, nil)
			if err != nil {
				return nil, 0, err
			}
			add(pl)
		}
		if _, err := p.repo.Get("e2fsprogs"); err == nil {
			pl, err := plan.ForPackages(p.config(), plan.Host, "e2fsprogs")
			if err != nil {
				return nil, 0, err
			}
			add(pl)
		}
	}
	return ws, len(seen), nil
}
