package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/check"
	"stalix.dev/stalix-build/internal/plan"
)

func init() {
	register("compare", "build one package with two toolchains and compare the outputs file by file", runCompare)
}

// compareResult is one package built by two toolchains.
type compareResult struct {
	A         string           `json:"a"`
	B         string           `json:"b"`
	OutA      string           `json:"out_a"`
	OutB      string           `json:"out_b"`
	Identical bool             `json:"identical"`
	Files     []check.FileDiff `json:"files,omitempty"`
}

// runCompare is the bootstrap's fixed-point test: llvm built by the seed
// (toolchain2) against llvm built by toolchain2 (toolchain3). Two
// compilers from the same source that compile the same source the same
// way give the same bits; where they do not, the files say where.
func runCompare(e *Env, args []string) error {
	var b buildFlags
	fs := newFlagSet(e, "compare", "PKG --by TOOLCHAIN --by TOOLCHAIN [--target T] [--json]",
		"Build PKG with each of the two toolchains (what the store lacks) and compare the outputs. Exit 1 when they differ.")
	b.add(fs)
	var by stringList
	fs.Var(&by, "by", "a toolchain to build PKG with (give two), e.g. --by seed --by toolchain2")
	asJSON := fs.Bool("json", false, "print a JSON report")
	pos, err := parse(fs.FlagSet, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || len(by) != 2 {
		return usagef("want one PKG and two --by toolchains")
	}
	p, err := b.load(e)
	if err != nil {
		return err
	}
	if _, err := p.repo.Get(pos[0]); err != nil {
		return err
	}
	target := plan.Host
	if len(b.targets) > 0 {
		target = b.targets[0]
	}
	s, err := b.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := interruptible()
	defer cancel()
	// Plan both before building either, so a misspelt toolchain fails at once.
	var plans [2]*plan.Plan
	for i, tc := range by {
		if _, err := p.stages.GetToolchain(tc); err != nil {
			return fmt.Errorf("--by: %w", err)
		}
		cfg := p.config()
		cfg.Toolchain = tc
		if plans[i], err = plan.ForPackages(cfg, target, pos[0]); err != nil {
			return err
		}
	}
	var outs [2]*plan.Node
	for i, pl := range plans {
		if _, err := buildPlan(ctx, e, &b, p, s, pl, pl.Roots[target]); err != nil {
			return err
		}
		outs[i] = pl.Roots[target][0]
	}
	r := compareResult{A: outs[0].ID(), B: outs[1].ID(), OutA: outs[0].Out(), OutB: outs[1].Out()}
	r.Files, err = check.CompareTrees(s.Path(outs[0].Base()), s.Path(outs[1].Base()))
	if err != nil {
		return err
	}
	r.Identical = len(r.Files) == 0
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
