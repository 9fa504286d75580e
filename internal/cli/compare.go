package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/session"
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
	ss, err := b.open(e, fs, args, session.Takes{N: 1, Want: "one PKG and two --by toolchains", Pkg: true})
	if err != nil {
		return err
	}
	defer ss.Close()
	if len(by) != 2 {
		return usagef("want one PKG and two --by toolchains")
	}
	r, err := ss.Compare([2]string{by[0], by[1]})
	if err != nil {
		return err
	}
	if *asJSON {
		if err := printJSON(e, r); err != nil {
			return err
		}
	} else {
		r.WriteText(e.Stdout)
	}
	if !r.Identical {
		return fmt.Errorf("%s and %s differ in %d files", r.A, r.B, len(r.Files))
	}
	return nil
}
