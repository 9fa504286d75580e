package build

import (
	"errors"
	"sync"
	"syscall"
	"time"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/report"
	"stalix.dev/stalix-build/internal/sandbox"
	"stalix.dev/stalix-build/internal/sched"
	"stalix.dev/stalix-build/internal/store"
)

// recorder notes what the scheduler did and what each build cost, for the
// summary and report.html. The scheduler calls the Observer methods from
// one goroutine; builds call the rest from theirs.
type recorder struct {
	mu    sync.Mutex
	began time.Time
	self  time.Duration // this process's CPU time when the run began
	nodes map[string]*report.Node
}

func newRecorder(sp *sched.Plan) *recorder {
	r := &recorder{began: time.Now(), self: selfCPU(), nodes: map[string]*report.Node{}}
	for _, id := range sp.IDs() {
		r.nodes[id] = &report.Node{ID: id, Deps: sp.Deps(id), Status: report.Skipped}
	}
	return r
}

func (r *recorder) Start(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nodes[id].Start = time.Since(r.began)
}

func (r *recorder) Finish(id string, err error, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.nodes[id]
	n.End = time.Since(r.began)
	switch {
	case errors.Is(err, sched.ErrStopped):
		n.Status = report.Stopped
	case err != nil:
		n.Status = report.Failed
	case n.Status == report.Skipped:
		// Built, unless the build said otherwise (see set).
		n.Status = report.Built
	}
}

func (r *recorder) Skip(string, string) {}

// set records where a node's output came from, before its build returns:
// a binary cache sets report.Substituted.
func (r *recorder) set(id string, s report.Status) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nodes[id].Status = s
}

// cpu adds the CPU time of one of a node's sandboxes.
func (r *recorder) cpu(id string, u sandbox.Usage) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nodes[id].User += u.User
	r.nodes[id].Sys += u.Sys
}

// run is the finished run: the nodes it built, with their sizes and logs,
// and the inputs the store already had.
func (r *recorder) run(st *store.Store, jobs int, nodes []*plan.Node, has func(string) bool) *report.Run {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := &report.Run{Began: r.began, Wall: time.Since(r.began), Jobs: jobs, Self: selfCPU() - r.self}
	seen := map[string]bool{}
	add := func(n *plan.Node, rn report.Node) {
		if m, err := st.ReadManifest(n.Base()); err == nil {
			rn.Size = m.Size
		}
		if rn.Status != report.InStore || st.Has(n.Base()) {
			rn.Log = st.LogPath(n.Base())
		}
		seen[n.ID()] = true
		out.Nodes = append(out.Nodes, rn)
	}
	for _, n := range nodes {
		add(n, *r.nodes[n.ID()])
	}
	for _, n := range nodes {
		for _, d := range inputs(n) {
			if !seen[d.ID()] && has(d.Base()) {
				add(d, report.Node{ID: d.ID(), Status: report.InStore})
			}
		}
	}
	return out
}

// Close implements View; a recorder has nothing to flush.
func (r *recorder) Close() error { return nil }

// Views shows one run in several views, in order: the terminal and a log
// file, say.
type Views []View

func (v Views) Start(id string) {
	for _, x := range v {
		x.Start(id)
	}
}

func (v Views) Finish(id string, err error, d time.Duration) {
	for _, x := range v {
		x.Finish(id, err, d)
	}
}

func (v Views) Skip(id, because string) {
	for _, x := range v {
		x.Skip(id, because)
	}
}

// Substituted tells the views that count substituted nodes how many.
func (v Views) Substituted(n int) {
	for _, x := range v {
		if c, ok := x.(substitutedCounter); ok {
			c.Substituted(n)
		}
	}
}

// Close closes every view and returns their errors joined.
func (v Views) Close() error {
	var err error
	for _, x := range v {
		err = errors.Join(err, x.Close())
	}
	return err
}

// selfCPU is the user and system time of this process (not of its
// children, which the sandboxes count): the Go side of the builds.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
