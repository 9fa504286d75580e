package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/progress"
	"stalix.dev/stalix-build/internal/report"
	"stalix.dev/stalix-build/internal/sched"
	"stalix.dev/stalix-build/internal/store"
)

func init() {
	register("report", "print the path of the last build's report.html", runReport)
}

// runsDir holds one directory per build run: run.log and report.html.
func runsDir(s *store.Store) string { return filepath.Join(s.Dir, ".runs") }

func runReport(e *Env, args []string) error {
	var c common
	fs := newFlags(e, "report", "[--store DIR]", "Print the path of the newest build's report.html: its timeline, critical path, and each node's time, size and cache status.")
	c.add(fs)
	_, s, err := c.parseStore(fs, args, 0, "no arguments")
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := report.Last(runsDir(s))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, p)
	return nil
}

// runRecording sends one scheduler run's progress to run.log as well, and
// at its end prints the summary (wall, CPU, utilisation, critical path)
// after the progress view's last line and writes report.html beside the
// log. The run's directory is made when the run starts, so a verb that
// finds nothing to build leaves none.
type runRecording struct {
	e     *Env
	title string
	s     *store.Store
	d     *report.Dir
	err   error // from making, printing or writing the report
}

func recordRun(e *Env, title string, s *store.Store) *runRecording {
	if title == "" {
		title = "build"
	}
	return &runRecording{e: e, title: title, s: s}
}

// view adds run.log to the views v makes.
func (rr *runRecording) view(v func(p *sched.Plan) build.View) func(p *sched.Plan) build.View {
	return func(p *sched.Plan) build.View {
		var views build.Views
		if v != nil {
			views = append(views, v(p))
		}
		if rr.d, rr.err = report.NewDir(runsDir(rr.s), time.Now()); rr.err == nil {
			views = append(views, progress.NewPlain(rr.d.Log, p, progress.Options{}))
		}
		return views
	}
}

// record is build.Builder's Record.
func (rr *runRecording) record(r *report.Run) {
	r.Title = rr.title
	rr.err = errors.Join(rr.err, r.Summary().WriteText(rr.e.Stderr))
	if rr.d != nil {
		rr.err = errors.Join(rr.err, rr.d.Finish(r))
	}
}

// finish joins the build's error with the report's.
func (rr *runRecording) finish(err error) error { return errors.Join(err, rr.err) }
