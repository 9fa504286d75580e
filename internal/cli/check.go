package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/check"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/store"
)

func init() {
	register("check", "rebuild packages (and images) under changed conditions and compare bit for bit", runCheck)
}

func runCheck(e *Env, args []string) error {
	var b buildFlags
	fs := newFlagSet(e, "check", "PROFILE|PKG [--target T] [--deep] [--json] [--skip PKG]...",
		"Build, then rebuild into a fresh store with "+check.Variation+", and compare. Exit 1 on any difference.")
	b.add(fs)
	deep := fs.Bool("deep", false, "rebuild the whole build closure, not only the named packages")
	asJSON := fs.Bool("json", false, "print a JSON report")
	noImages := fs.Bool("no-images", false, "for a profile, compare packages only")
	var skip stringList
	fs.Var(&skip, "skip", "leave this package out of the rebuild (repeatable), e.g. to fit a time limit")
	ss, err := b.open(e, fs, args, false)
	if err != nil {
		return err
	}
	defer ss.close()
	ctx, p, pl, prof, s := ss.ctx, ss.p, ss.pl, ss.prof, ss.s

	named := ss.wanted()
	if _, err := buildPlan(ctx, e, &b, p, s, pl, named); err != nil {
		return err
	}
	skipped := map[string]bool{}
	for _, k := range skip {
		skipped[k] = true
	}
	rebuild := map[*plan.Node]bool{}
	for _, n := range named {
		rebuild[n] = true
	}
	var nodes []*plan.Node
	for _, n := range pl.Nodes { // plan order keeps dependencies first
		if (*deep || rebuild[n]) && !skipped[n.Name] {
			nodes = append(nodes, n)
		}
	}
	var report struct {
		Packages []check.Result      `json:"packages"`
		Images   []check.ImageResult `json:"images,omitempty"`
	}
	rb := &check.Rebuild{Main: s, Sources: newFetcher(e, b.offline), Seed: s.Path(p.seedBase()), View: newView(e)}
	if prof != nil && !*noImages {
		mke2fs, err := imageTools(ctx, e, &b, p, s, prof)
		if err != nil {
			return err
		}
		rb.After = func(second *store.Store) (err error) {
			report.Images, err = imagesTwice(s, second, pl, prof, mke2fs)
			return err
		}
	}
	report.Packages, err = rb.Run(ctx, nodes)
	if err != nil && report.Packages == nil {
		return err
	}
	bad := 0
	for _, r := range report.Packages {
		if !r.Reproducible {
			bad++
		}
	}
	for _, r := range report.Images {
		if !r.Identical {
			bad++
		}
	}
	if *asJSON {
		if err := printJSON(e, report); err != nil {
			return err
		}
	} else {
		printCheck(e, report.Packages, report.Images)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d outputs are not reproducible", bad, len(report.Packages)+len(report.Images))
	}
	return nil
}

func printCheck(e *Env, pkgs []check.Result, imgs []check.ImageResult) {
	for _, r := range pkgs {
		verdict := "reproducible"
		if !r.Reproducible {
			verdict = "DIFFERS"
			if r.Error != "" {
				verdict = "ERROR"
			}
		}
		fmt.Fprintf(e.Stdout, "%-12s %-8s %s-%s  %s\n", verdict, r.Target, r.Name, r.Version, r.Out)
		if r.Error != "" {
			fmt.Fprintf(e.Stdout, "    %s\n", r.Error)
		}
		for _, f := range r.Files {
			printDiff(e, f)
		}
		if r.Diffoscope != "" {
			fmt.Fprintf(e.Stdout, "    diffoscope:\n%s\n", r.Diffoscope)
		}
	}
	for _, r := range imgs {
		verdict := "identical"
		if !r.Identical {
			verdict = "DIFFERS"
		}
		fmt.Fprintf(e.Stdout, "%-12s image    %s\n", verdict, r.Name)
		for _, f := range r.Files {
			printDiff(e, f)
		}
		if r.Note != "" {
			fmt.Fprintf(e.Stdout, "    %s\n", r.Note)
		}
	}
}

func printDiff(e *Env, f check.FileDiff) {
	if f.Note != "" {
		fmt.Fprintf(e.Stdout, "    %s: %s\n", f.Path, f.Note)
		return
	}
	fmt.Fprintf(e.Stdout, "    %s: %d bytes sha256 %.16s vs %d bytes sha256 %.16s, first difference at byte %d\n",
		f.Path, f.SizeA, f.HashA, f.SizeB, f.HashB, f.Offset)
	switch {
	case f.ELF != nil:
		fmt.Fprintf(e.Stdout, "      %s\n", f.ELF)
	case f.ELFError != "":
		fmt.Fprintf(e.Stdout, "      ELF not readable: %s\n", f.ELFError)
	}
}
