package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"stalix.dev/stalix-build/internal/progress"
)

func init() {
	register("ls", "list store entries with their sizes", runLs)
	register("gc", "remove store entries that no root reaches", runGC)
	register("log", "print the stored build log of a package", runLog)
}

func runLs(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "ls", "", "List whole store entries with their sizes and build times.")
	c.add(fs)
	_, s, err := c.parseStore(fs, args, 0, "no arguments")
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

func runGC(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "gc", "[--keep NAME]... [--dry-run]", "Remove entries that no root (result links, realms, --keep) reaches.")
	c.add(fs)
	var keep stringList
	fs.Var(&keep, "keep", "keep entries of this name or store base name (repeatable)")
	dry := fs.Bool("dry-run", false, "only list what would go")
	_, s, err := c.parseStore(fs, args, 0, "no arguments: --keep names what to keep")
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

func runLog(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "log", "PKG|STORE-NAME", "Print the stored log of the newest build of a package, failed builds included.")
	c.add(fs)
	pos, s, err := c.parseStore(fs, args, 1, "one PKG")
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
