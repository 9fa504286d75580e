package cli

import (
	"fmt"
	"strings"

	"stalix.dev/stalix-build/internal/plan"
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
	defer ss.close()
	// An install media's system is a plan of its own (pack.System); it is listed after the media's.
	plans := []*plan.Plan{ss.pl}
	if ss.sys != nil {
		plans = append(plans, ss.sys.Plan)
	}
	for _, pl := range plans {
		for _, n := range pl.Nodes {
			n.Cached = ss.s.Has(n.Base())
		}
	}
	if *asJSON {
		type row struct {
			Name      string `json:"name"`
			Version   string `json:"version"`
			Target    string `json:"target"`
			Stage     string `json:"stage"`
			Toolchain string `json:"toolchain"`
			Out       string `json:"out"`
			Cached    bool   `json:"cached"`
			// Installs names the system profile a node belongs to, for an install media.
			Installs string `json:"installs,omitempty"`
		}
		rows := []row{}
		for i, pl := range plans {
			for _, n := range pl.Nodes {
				r := row{n.Name, n.Version, n.Target.Arch, n.Stage, n.Toolchain, n.Out(), n.Cached, ""}
				if i > 0 {
					r.Installs = ss.sys.Profile.Name
				}
				rows = append(rows, r)
			}
		}
		return printJSON(e, rows)
	}
	for i, pl := range plans {
		if i > 0 {
			fmt.Fprintf(e.Stdout, "installs %s (%s):\n", ss.sys.Profile.Name, ss.sys.Profile.File)
		}
		for _, n := range pl.Nodes {
			mark := " "
			if n.Cached {
				mark = "*"
			}
			// arch, and /toolchain when not the seed's: the ID without the name.
			fmt.Fprintf(e.Stdout, "%s %-10s %-22s %-8s %s\n", mark, n.Stage, n.Name+"-"+n.Version, strings.TrimPrefix(n.ID(), n.Name+"@"), n.Out())
		}
		fmt.Fprintf(e.Stdout, "%d nodes (* = in the store)\n", len(pl.Nodes))
	}
	return nil
}

func runGraph(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "graph", "PROFILE [--target T]", "Print the build graph as Graphviz DOT (edges point from a node to what it needs).")
	c.add(fs)
	fs.Var(&c.targets, "target", "target architecture (repeatable)")
	ss, err := c.open(e, fs, args, takes{n: 1, want: "one PROFILE"})
	if err != nil {
		return err
	}
	defer ss.close()
	_, err = fmt.Fprint(e.Stdout, ss.pl.DOT())
	return err
}

func runWhy(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "why", "PROFILE PKG", "Show one dependency path from the profile's packages to PKG.")
	c.add(fs)
	ss, err := c.open(e, fs, args, takes{n: 2, want: "PROFILE and PKG"})
	if err != nil {
		return err
	}
	defer ss.close()
	pos := ss.args
	path := ss.pl.Why(pos[1])
	if path == nil {
		if _, err := ss.p.Repo.Get(pos[1]); err != nil {
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
	ss, err := c.open(e, fs, args, takes{n: 1, want: "one PKG", pkg: true})
	if err != nil {
		return err
	}
	defer ss.close()
	// The root, not the first node of that name: with --toolchain the plan
	// also holds the package as built by the toolchains before.
	n := ss.pl.Roots[c.targets[0]][0]
	fmt.Fprintf(e.Stdout, "# %s\n%s", n.Out(), n.Script)
	return nil
}
