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
	defer ss.Close()
	rep, err := ss.Check(*deep, *noImages, skip)
	if rep != nil {
		if *asJSON {
			if err := printJSON(e, rep); err != nil {
				return err
			}
		} else {
			rep.WriteText(e.Stdout)
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
