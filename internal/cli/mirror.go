package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/session"
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
	ws, nodes, err := p.Sources(pos[1:], *toolchains)
	if err != nil {
		return err
	}
	ctx, cancel := session.Interruptible()
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
