package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/check"
	"stalix.dev/stalix-build/internal/plan"
)

func init() {
	register("compare", "build one package with two toolchains and compare the outputs file by file", runCompare)
}

// runCompare is the bootstrap's fixed-point test: llvm built by the seed
// (toolchain2) against llvm built by toolchain2 (toolchain3). Two
// compilers from the same source that compile the same source the same
// way give the same bits; where they do not, the files say where.
func runCompare(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "compare", "PKG --by TOOLCHAIN --by TOOLCHAIN [--target T] [--json]",
		"Build PKG with each of the two toolchains (what the store lacks) and compare the outputs. Exit 1 when they differ.")
	b.add(fs)
	var by stringList
	fs.Var(&by, "by", "a toolchain to build PKG with (give two), e.g. --by seed --by toolchain2")
	asJSON := fs.Bool("json", false, "print a JSON report")
	ss, err := b.open(e, fs, args, takes{n: 1, want: "one PKG and two --by toolchains", pkg: true})
	if err != nil {
		return err
	}
	defer ss.close()
	if len(by) != 2 {
		return usagef("want one PKG and two --by toolchains")
	}
	target := ss.pl.Targets[0]
	// Plan both before building either, so a misspelt toolchain fails at once.
	var plans [2]*plan.Plan
	for i, tc := range by {
		if _, err := ss.p.Stages.GetToolchain(tc); err != nil {
			return fmt.Errorf("--by: %w", err)
		}
		if plans[i], err = ss.p.PlanBy(tc, ss.args[0], target); err != nil {
			return err
		}
	}
	for _, pl := range plans {
		if err := ss.build(pl, pl.Roots[target]); err != nil {
			return err
		}
	}
	r, err := check.CompareBuilds(ss.s, plans[0].Roots[target][0], plans[1].Roots[target][0])
	if err != nil {
		return err
	}
	if *asJSON {
		if err := printJSON(e, r); err != nil {
			return err
		}
	} else {
		verdict := "identical"
		if !r.Identical {
			verdict = fmt.Sprintf("DIFFER in %d files", len(r.Files))
		}
		fmt.Fprintf(e.Stdout, "%s (%s)\n%s (%s)\n%s\n", r.A, r.OutA, r.B, r.OutB, verdict)
		for _, f := range r.Files {
			printDiff(e, f)
		}
	}
	if !r.Identical {
		return fmt.Errorf("%s and %s differ in %d files", r.A, r.B, len(r.Files))
	}
	return nil
}
