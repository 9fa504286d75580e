package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/check"
)

func init() {
	register("check", "rebuild packages (and images) under changed conditions and compare bit for bit", runCheck)
}

func runCheck(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "check", "PROFILE|PKG [--target T] [--deep] [--json] [--skip PKG]...",
		"Build, then rebuild into a fresh store with "+check.Variation+", and compare. Exit 1 on any difference.")
	b.add(fs)
	deep := fs.Bool("deep", false, "rebuild the whole build closure, not only the named packages")
	asJSON := fs.Bool("json", false, "print a JSON report")
	noImages := fs.Bool("no-images", false, "for a profile, compare packages only")
	var skip stringList
	fs.Var(&skip, "skip", "leave this package out of the rebuild (repeatable), e.g. to fit a time limit")
	ss, err := b.open(e, fs, args, profileOrPkg)
	if err != nil {
		return err
	}
	defer ss.close()
	rr := recordRun(e, ss.title, ss.s)
	rb := &check.Rebuild{Main: ss.s, Sources: newFetcher(e, b.offline), Seed: ss.s.Path(ss.p.SeedBase()), View: rr.view(newView(e)), Record: rr.record}
	if ss.prof != nil && !*noImages {
		pk, err := ss.packer()
		if err != nil {
			return err
		}
		rb.Images = pk.Twice
	} else if err := ss.build(ss.pl, ss.wanted()); err != nil {
		return err
	}
	rep, err := rb.Run(ss.ctx, check.Select(ss.pl, ss.wanted(), *deep, skip))
	err = rr.finish(err)
	if rep != nil {
		if *asJSON {
			if err := printJSON(e, rep); err != nil {
				return err
			}
		} else {
			printCheck(e, rep)
		}
	}
	if err != nil {
		return err
	}
	if bad := rep.Bad(); bad > 0 {
		return fmt.Errorf("%d of %d outputs are not reproducible", bad, len(rep.Packages)+len(rep.Images))
	}
	return nil
}

func printCheck(e *Env, rep *check.Report) {
	for _, r := range rep.Packages {
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
	for _, r := range rep.Images {
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
