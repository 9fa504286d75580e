// Package report holds what one build run did: when each node ran, how
// much CPU it took, how large its output is and where it came from. From
// that it derives the summary printed at the end of every build (wall
// time, CPU time, utilisation, critical path) and report.html.
package report

import (
	"cmp"
	"slices"
	"time"

	"stalix.dev/stalix-build/internal/sched"
)

// Status says where a node's output came from in this run.
type Status string

const (
	Built       Status = "built"       // built in a sandbox by this run
	InStore     Status = "in store"    // the store had it; nothing ran
	Substituted Status = "substituted" // fetched from a binary cache by this run
	Failed      Status = "failed"
	Stopped     Status = "stopped" // running when the run stopped
	Skipped     Status = "skipped" // never started
)

// ran reports whether a node with status s took time in this run.
func (s Status) ran() bool {
	return s == Built || s == Substituted || s == Failed || s == Stopped
}

// Node is one node of the run.
type Node struct {
	ID string
	// Deps are the nodes of this run it waited for.
	Deps   []string
	Status Status
	// Start and End are offsets from Run.Began; both zero for a node
	// that did not run.
	Start, End time.Duration
	// User and Sys are the CPU time of its build processes.
	User, Sys time.Duration
	// Size is the output's size in bytes, 0 when unknown.
	Size int64
	// Log is where its build log is, if it has one.
	Log string
}

// Time is how long the node ran.
func (n Node) Time() time.Duration { return n.End - n.Start }

// Run is one scheduler run.
type Run struct {
	Title string // what was built, for people
	Began time.Time
	Wall  time.Duration
	Jobs  int
	Nodes []Node
	// Self is the CPU time stalix-build itself took during the run, its
	// builds' processes apart: unpacking sources (a kernel's 138 MB .tar.xz
	// is decoded in Go), hashing and packing outputs. It is part of what the
	// cores did for the build, so Summary counts it.
	Self time.Duration
}

// Summary is what the end of a build prints.
type Summary struct {
	Wall, User, Sys time.Duration
	Self            time.Duration // of the CPU, what stalix-build itself took (Run.Self)
	Jobs            int
	// Utilisation is CPU / (wall × jobs): 1 means every job slot was
	// busy all the time.
	Utilisation float64
	// Path is the critical path, dependencies first: the chain of nodes
	// whose times sum to the most, so no number of cores could have
	// finished the run sooner than PathTime.
	Path     []Node
	PathTime time.Duration
	// Counts are the nodes by status.
	Counts map[Status]int
}

// CPU is the builds' user plus system time, and stalix-build's own.
func (s Summary) CPU() time.Duration { return s.User + s.Sys + s.Self }

// Summary derives the run's totals and critical path.
func (r *Run) Summary() Summary {
	s := Summary{Wall: r.Wall, Self: r.Self, Jobs: max(r.Jobs, 1), Counts: map[Status]int{}}
	for _, n := range r.Nodes {
		s.User += n.User
		s.Sys += n.Sys
		s.Counts[n.Status]++
	}
	if r.Wall > 0 {
		s.Utilisation = s.CPU().Seconds() / (r.Wall.Seconds() * float64(s.Jobs))
	}
	s.Path = r.CriticalPath()
	for _, n := range s.Path {
		s.PathTime += n.Time()
	}
	return s
}

// CriticalPath is the chain of nodes that ran whose times sum to the
// most, computed by the scheduler's own longest-chain walk over the
// measured times.
func (r *Run) CriticalPath() []Node {
	byID := map[string]Node{}
	var nodes []sched.Node
	for _, n := range r.Nodes {
		if n.Status.ran() {
			byID[n.ID] = n
		}
	}
	for _, n := range r.Nodes {
		if !n.Status.ran() {
			continue
		}
		var deps []string
		for _, d := range n.Deps {
			if _, ok := byID[d]; ok {
				deps = append(deps, d)
			}
		}
		// A zero estimate would be replaced by a guess; a node that took
		// no measurable time weighs the least there is instead.
		nodes = append(nodes, sched.Node{ID: n.ID, Deps: deps, Estimate: max(n.Time(), 1)})
	}
	p, err := sched.NewPlan(nodes, 0)
	if err != nil {
		return nil // the scheduler ran this graph, so it has no cycle
	}
	var out []Node
	for _, id := range p.CriticalChain() {
		out = append(out, byID[id])
	}
	return out
}

// Sorted returns the nodes that ran in start order, then the others by ID.
func (r *Run) Sorted() []Node {
	out := slices.Clone(r.Nodes)
	slices.SortStableFunc(out, func(a, b Node) int {
		switch ra, rb := a.Status.ran(), b.Status.ran(); {
		case ra && !rb:
			return -1
		case rb && !ra:
			return 1
		case ra && a.Start != b.Start:
			return cmp.Compare(a.Start, b.Start)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}
