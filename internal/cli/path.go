package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/session"
)

func init() {
	register("path", "print the host directory of a built package's store entry", runPath)
}

// runPath is for scripts that run a package's program on the host, such as
// the benchmark and the tests running our mke2fs: the store lives under a
// user cache directory, so its paths are not /ix/store on the host.
func runPath(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "path", "PKG [--target T]", "Print where PKG's store entry is on this machine. Exit 1 when the store lacks it (build it first).")
	b.add(fs)
	ss, err := b.open(e, fs, args, session.Takes{N: 1, Want: "one PKG", Pkg: true})
	if err != nil {
		return err
	}
	defer ss.Close()
	n := ss.Plan.Roots[ss.Plan.Targets[0]][0]
	if !ss.Store.Has(n.Base()) {
		return fmt.Errorf("%s is not in the store %s: run stalix-build build %s", n.ID(), ss.Store.Dir, n.Name)
	}
	fmt.Fprintln(e.Stdout, ss.Store.Path(n.Base()))
	return nil
}
