package cli

import (
	"fmt"
	"strings"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/session"
)

func init() {
	register("plan", "list the nodes of a profile in build order with their store paths", runPlan)
	register("graph", "print a profile's build graph as Graphviz DOT", runGraph)
	register("why", "show one dependency path from a profile to a package", runWhy)
	register("render", "print the rendered build script of a package", runRender)
}

func runPlan(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "plan", "PROFILE|PKG [--target T] [--json]", "List the nodes in build order: name, version, store path, and whether the store has it.")
	c.add(fs)
	fs.Var(&c.targets, "target", "target architecture (repeatable; default: the profile's targets)")
	asJSON := fs.Bool("json", false, "print JSON")
	ss, err := c.open(e, fs, args, profileOrPkg)
	if err != nil {
		return err
	}
	defer ss.Close()
	// An install media's system is a plan of its own (pack.System); it is listed after the media's.
	plans := []*plan.Plan{ss.Plan}
	if ss.System != nil {
		plans = append(plans, ss.System.Plan)
	}
	for _, pl := range plans {
		for _, n := range pl.Nodes {
			n.Cached = ss.Store.Has(n.Base())
		}
	}
	if *asJSON {
		rows := ss.Plan.Rows("")
		if ss.System != nil {
			rows = append(rows, ss.System.Plan.Rows(ss.System.Profile.Name)...)
		}
		return printJSON(e, rows)
	}
	for i, pl := range plans {
		if i > 0 {
			fmt.Fprintf(e.Stdout, "installs %s (%s):\n", ss.System.Profile.Name, ss.System.Profile.File)
		}
		pl.WriteTable(e.Stdout)
	}
	return nil
}

func runGraph(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "graph", "PROFILE [--target T]", "Print the build graph as Graphviz DOT (edges point from a node to what it needs).")
	c.add(fs)
	fs.Var(&c.targets, "target", "target architecture (repeatable)")
	ss, err := c.open(e, fs, args, session.Takes{N: 1, Want: "one PROFILE"})
	if err != nil {
		return err
	}
	defer ss.Close()
	_, err = fmt.Fprint(e.Stdout, ss.Plan.DOT())
	return err
}

func runWhy(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "why", "PROFILE PKG", "Show one dependency path from the profile's packages to PKG.")
	c.add(fs)
	ss, err := c.open(e, fs, args, session.Takes{N: 2, Want: "PROFILE and PKG"})
	if err != nil {
		return err
	}
	defer ss.Close()
	pos := ss.Args
	path := ss.Plan.Why(pos[1])
	if path == nil {
		if _, err := ss.Project.Repo.Get(pos[1]); err != nil {
			return err
		}
		return fmt.Errorf("%s does not need %s", pos[0], pos[1])
	}
	parts := make([]string, len(path))
	for i, n := range path {
		parts[i] = n.ID()
	}
	fmt.Fprintln(e.Stdout, strings.Join(parts, " -> "))
	return nil
}

func runRender(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "render", "PKG [--target T]", "Print the build script of PKG as the sandbox runs it.")
	c.add(fs)
	c.targets = stringList{"x86_64"}
	fs.Func("target", "target architecture (default x86_64)", func(v string) error { c.targets = stringList{v}; return nil })
	ss, err := c.open(e, fs, args, session.Takes{N: 1, Want: "one PKG", Pkg: true})
	if err != nil {
		return err
	}
	defer ss.Close()
	// The root, not the first node of that name: with --toolchain the plan
	// also holds the package as built by the toolchains before.
	n := ss.Plan.Roots[c.targets[0]][0]
	fmt.Fprintf(e.Stdout, "# %s\n%s", n.Out(), n.Script)
	return nil
}
