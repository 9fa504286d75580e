package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/report"
	"stalix.dev/stalix-build/internal/session"
)

func init() {
	register("report", "print the path of the last build's report.html", runReport)
}

func runReport(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "report", "[--store DIR]", "Print the path of the newest build's report.html: its timeline, critical path, and each node's time, size and cache status.")
	c.add(fs)
	_, s, err := c.parseStore(fs, args, 0, "no arguments")
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
