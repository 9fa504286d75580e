package cli

import (
	"fmt"
	"io"

	"stalix.dev/stalix-build/internal/check"
	"stalix.dev/stalix-build/internal/session"
)

// The verbs that build twice and compare.

func runCheck(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "check", "PROFILE|PKG [--target T] [--deep] [--json] [--skip PKG]...",
		"Build, then rebuild into a fresh store with "+check.Variation+", and compare. Exit 1 on any difference.", withBuild)
	deep := fs.Bool("deep", false, "rebuild the whole build closure, not only the named packages")
	asJSON := fs.Bool("json", false, "print a JSON report")
	noImages := fs.Bool("no-images", false, "for a profile, compare packages only")
	var skip stringList
	fs.Var(&skip, "skip", "leave this package out of the rebuild (repeatable), e.g. to fit a time limit")
	return o.run(e, fs, args, profileOrPkg, func(ss *session.Session) error {
		rep, err := ss.Check(*deep, *noImages, skip)
		if rep != nil {
			if err := printReport(e, *asJSON, rep); err != nil {
				return err
			}
		}
		if err != nil {
			return err
		}
		if bad := rep.Bad(); bad > 0 {
			return fmt.Errorf("%d of %d outputs are not reproducible", bad, len(rep.Packages)+len(rep.Images))
		}
		return nil
	})
}

// runCompare is the bootstrap's fixed-point test: llvm built by the seed
// (toolchain2) against llvm built by toolchain2 (toolchain3). Two
// compilers from the same source that compile the same source the same
// way give the same bits; where they do not, the files say where.
func runCompare(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "compare", "PKG --by TOOLCHAIN --by TOOLCHAIN [--target T] [--json]",
		"Build PKG with each of the two toolchains (what the store lacks) and compare the outputs. Exit 1 when they differ.", withBuild)
	var by stringList
	fs.Var(&by, "by", "a toolchain to build PKG with (give two), e.g. --by seed --by toolchain2")
	asJSON := fs.Bool("json", false, "print a JSON report")
	o.check = func() error {
		if len(by) != 2 {
			return usagef("want one PKG and two --by toolchains")
		}
		return nil
	}
	return o.run(e, fs, args, session.Takes{N: 1, Want: "one PKG and two --by toolchains", Pkg: true}, func(ss *session.Session) error {
		r, err := ss.Compare([2]string{by[0], by[1]})
		if err != nil {
			return err
		}
		if err := printReport(e, *asJSON, r); err != nil {
			return err
		}
		if !r.Identical {
			return fmt.Errorf("%s and %s differ in %d files", r.A, r.B, len(r.Files))
		}
		return nil
	})
}

// printReport prints r as JSON or as its text.
func printReport(e *Env, asJSON bool, r interface{ WriteText(io.Writer) }) error {
	if asJSON {
		return printJSON(e, r)
	}
	r.WriteText(e.Stdout)
	return nil
}
