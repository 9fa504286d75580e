// Package sched runs a DAG of builds in parallel: ready nodes start longest
// remaining chain first, up to j at once, and one GNU make jobserver can be
// shared by every build so the machine never runs more than j jobs.
package sched

import (
	"context"
	"time"
)

// Node is one build in the graph.
type Node struct {
	ID string
	// Deps are the IDs this node needs built first.
	Deps []string
	// Estimate is how long the build took last time; zero or negative means
	// unknown (see Options.DefaultEstimate).
	Estimate time.Duration
}

// BuildFunc builds one node. It must honour ctx: when ctx is cancelled it
// kills the build's whole process tree and returns only once that tree is
// gone, because the slot (and any jobserver tokens the tree held) is reused
// as soon as it returns.
type BuildFunc func(ctx context.Context, id string) error

// Observer is told what the scheduler does. Its methods are called from a
// single goroutine, never concurrently, and must not block for long: the
// scheduler waits for them.
type Observer interface {
	Start(id string)
	// Finish reports a build that ran. err is nil on success; it matches
	// ErrStopped when the build was running while the run was being stopped
	// (another node failed, or ctx was cancelled), so it is not a failure of
	// its own.
	Finish(id string, err error, d time.Duration)
	// Skip reports a node that never ran. because is the failed node it
	// (transitively) depends on, or "" when the run stopped before it could
	// start.
	Skip(id string, because string)
}

// Options tunes a run.
type Options struct {
	// Jobs is the number of builds (and, with Jobserver, compile jobs) run
	// at once; below 1 means the Jobserver's size, or runtime.NumCPU().
	Jobs int
	// KeepGoing runs everything that does not depend on a failed node.
	// Without it the first failure cancels the running builds' contexts and
	// nothing new starts.
	KeepGoing bool
	// Observer, if set, is told about starts, finishes and skips.
	Observer Observer
	// Jobserver, if set, gates starts: see RunPlan for the token accounting.
	Jobserver *Jobserver
	// DefaultEstimate replaces unknown estimates; zero means the median of
	// the known ones, or DefaultEstimate when none is known.
	DefaultEstimate time.Duration
}

// DefaultEstimate is used for nodes without an estimate when no node has
// one: builds without history are assumed to be medium sized.
const DefaultEstimate = time.Minute

// Result says what happened to every node; each list is sorted by ID so a
// report of the same outcome reads the same.
type Result struct {
	Built  []string
	Failed []Failure
	// Stopped were running when the run stopped; their errors are not
	// failures of their own.
	Stopped []string
	Skipped []Skip
	// Elapsed is the wall time of the run.
	Elapsed time.Duration
}

// Failure is a node whose build returned an error.
type Failure struct {
	ID      string
	Err     error
	Elapsed time.Duration
}

// Skip is a node that never ran.
type Skip struct {
	ID string
	// Because is the failed node it depends on, or "" if the run stopped.
	Because string
}
