package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"stalix.dev/stalix-build/internal/progress"
	"stalix.dev/stalix-build/internal/report"
	"stalix.dev/stalix-build/internal/session"
)

// The verbs that read a plan or the store, and gc, which removes from the
// store what nothing reaches.

func runPlan(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "plan", "PROFILE|PKG [--target T] [--json]", "List the nodes in build order: name, version, store path, and whether the store has it.", withTargets)
	asJSON := fs.Bool("json", false, "print JSON")
	return o.run(e, fs, args, profileOrPkg, func(ss *session.Session) error {
		if *asJSON {
			return printJSON(e, ss.Rows())
		}
		for i, pl := range ss.Plans() {
			if i > 0 {
				fmt.Fprintf(e.Stdout, "installs %s (%s):\n", ss.System.Profile.Name, ss.System.Profile.File)
			}
			pl.WriteTable(e.Stdout)
		}
		return nil
	})
}

func runGraph(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "graph", "PROFILE [--target T]", "Print the build graph as Graphviz DOT (edges point from a node to what it needs).", withTargets)
	return o.run(e, fs, args, session.Takes{N: 1, Want: "one PROFILE"}, func(ss *session.Session) error {
		_, err := fmt.Fprint(e.Stdout, ss.Plan.DOT())
		return err
	})
}

func runWhy(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "why", "PROFILE PKG", "Show one dependency path from the profile's packages to PKG.", withProject)
	return o.run(e, fs, args, session.Takes{N: 2, Want: "PROFILE and PKG"}, func(ss *session.Session) error {
		path := ss.Plan.Why(ss.Args[1])
		if path == nil {
			if _, err := ss.Project.Repo.Get(ss.Args[1]); err != nil {
				return err
			}
			return fmt.Errorf("%s does not need %s", ss.Args[0], ss.Args[1])
		}
		parts := make([]string, len(path))
		for i, n := range path {
			parts[i] = n.ID()
		}
		fmt.Fprintln(e.Stdout, strings.Join(parts, " -> "))
		return nil
	})
}

func runRender(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "render", "PKG [--target T]", "Print the build script of PKG as the sandbox runs it.", withProject)
	o.targets = stringList{"x86_64"}
	fs.Func("target", "target architecture (default x86_64)", func(v string) error { o.targets = stringList{v}; return nil })
	return o.run(e, fs, args, onePkg, func(ss *session.Session) error {
		// The root, not the first node of that name: with --toolchain the plan
		// also holds the package as built by the toolchains before.
		n := ss.Plan.Roots[o.targets[0]][0]
		fmt.Fprintf(e.Stdout, "# %s\n%s", n.Out(), n.Script)
		return nil
	})
}

func runLs(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "ls", "", "List whole store entries with their sizes and build times.", withProject)
	_, s, err := o.openStore(fs, args, 0, "no arguments")
	if err != nil {
		return err
	}
	defer s.Close()
	entries, err := s.Entries()
	if err != nil {
		return err
	}
	var total int64
	for _, base := range entries {
		m, err := s.ReadManifest(base)
		if err != nil {
			return err
		}
		total += m.Size
		fmt.Fprintf(e.Stdout, "%10s %9s  %s\n", progress.Size(m.Size), progress.Duration(time.Duration(m.BuildSeconds*float64(time.Second))), base)
	}
	fmt.Fprintf(e.Stdout, "%10s %9s  total, %d entries in %s\n", progress.Size(total), "", len(entries), s.Dir)
	return nil
}

func runLog(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "log", "PKG|STORE-NAME", "Print the stored log of the newest build of a package, failed builds included.", withProject)
	pos, s, err := o.openStore(fs, args, 1, "one PKG")
	if err != nil {
		return err
	}
	defer s.Close()
	path, err := s.FindLog(pos[0])
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(e.Stdout, f)
	return err
}

func runReport(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "report", "[--store DIR]", "Print the path of the newest build's report.html: its timeline, critical path, and each node's time, size and cache status.", withProject)
	_, s, err := o.openStore(fs, args, 0, "no arguments")
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := report.Last(session.RunsDir(s.Dir))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, p)
	return nil
}

func runGC(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "gc", "[--keep NAME]... [--dry-run]", "Remove entries that no root (result links, realms, --keep) reaches.", withProject)
	var keep stringList
	fs.Var(&keep, "keep", "keep entries of this name or store base name (repeatable)")
	dry := fs.Bool("dry-run", false, "only list what would go")
	_, s, err := o.openStore(fs, args, 0, "no arguments: --keep names what to keep")
	if err != nil {
		return err
	}
	defer s.Close()
	removed, err := s.GC(keep, *dry)
	for _, r := range removed {
		fmt.Fprintf(e.Stdout, "removed %s\n", r)
	}
	fmt.Fprintf(e.Stdout, "%d entries removed\n", len(removed))
	return err
}
