package session

import (
	"errors"
	"path/filepath"
	"time"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/progress"
	"stalix.dev/stalix-build/internal/report"
	"stalix.dev/stalix-build/internal/sched"
)

// RunsDir holds one directory per build run of the store in dir: run.log
// and report.html.
func RunsDir(storeDir string) string { return filepath.Join(storeDir, ".runs") }

// Recording sends one scheduler run's progress to run.log as well, and at
// its end prints the summary (wall, CPU, utilisation, critical path) after
// the progress view's last line and writes report.html beside the log.
// The run's directory is made when the run starts, so a verb that finds
// nothing to build leaves none.
type Recording struct {
	ss  *Session
	d   *report.Dir
	err error // from making, printing or writing the report
}

// Record starts the recording of one scheduler run.
func (ss *Session) Record() *Recording { return &Recording{ss: ss} }

// View adds run.log to the views v makes.
func (rr *Recording) View(v func(p *sched.Plan) build.View) func(p *sched.Plan) build.View {
	return func(p *sched.Plan) build.View {
		var views build.Views
		if v != nil {
			views = append(views, v(p))
		}
		if rr.d, rr.err = report.NewDir(RunsDir(rr.ss.Store.Dir), time.Now()); rr.err == nil {
			views = append(views, progress.NewPlain(rr.d.Log, p, progress.Options{}))
		}
		return views
	}
}

// Record is build.Builder's Record.
func (rr *Recording) Record(r *report.Run) {
	r.Title = rr.ss.Title
	rr.err = errors.Join(rr.err, r.Summary().WriteText(rr.ss.Log))
	if rr.d != nil {
		rr.err = errors.Join(rr.err, rr.d.Finish(r))
	}
}

// Finish joins the build's error with the report's.
func (rr *Recording) Finish(err error) error { return errors.Join(err, rr.err) }
