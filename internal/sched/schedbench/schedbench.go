// Package schedbench measures the scheduler on a generated DAG whose nodes
// sleep for known durations: wall time against the critical path and sum/j,
// the scheduler's own overhead and the worker utilisation. Both the bench
// command and the Go benchmark in package sched use it.
package schedbench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"stalix.dev/stalix-build/internal/sched"
)

// Generate makes n nodes with durations in [minD, maxD]; each depends on up
// to three of the 20 before it, which gives chains long enough to matter but
// leaves room for j workers. The same seed gives the same graph.
func Generate(seed uint64, n int, minD, maxD time.Duration) []sched.Node {
	rng := rand.New(rand.NewPCG(seed, 0))
	nodes := make([]sched.Node, n)
	for i := range nodes {
		nodes[i] = sched.Node{ID: fmt.Sprintf("n%04d", i), Estimate: minD + time.Duration(rng.Int64N(int64(maxD-minD)+1))}
		for range rng.IntN(4) {
			if i > 0 {
				d := max(0, i-1-rng.IntN(20))
				nodes[i].Deps = append(nodes[i].Deps, nodes[d].ID)
			}
		}
	}
	return nodes
}

// Figures are one measured run.
type Figures struct {
	Jobs int
	// CriticalPath, PerJob (sum/j) and Ideal (the policy replayed in
	// virtual time with zero overhead) come from the estimates.
	CriticalPath, PerJob, Ideal time.Duration
	Wall                        time.Duration
	// Busy is the time builds ran, summed over workers.
	Busy time.Duration
	// Replayed is the policy replayed with the durations the builds really
	// took: what a scheduler without overhead would have needed.
	Replayed time.Duration
}

// Overrun is how much longer the sleeps took than asked, in percent: timer
// latency on a loaded host, not the scheduler's doing.
func (f Figures) Overrun(total time.Duration) float64 {
	return 100 * (f.Busy.Seconds()/total.Seconds() - 1)
}

// Overhead is wall time above Replayed, in percent: the scheduler's cost.
func (f Figures) Overhead() float64 { return 100 * (f.Wall.Seconds()/f.Replayed.Seconds() - 1) }

// Utilisation is busy worker time over wall*j, in percent.
func (f Figures) Utilisation() float64 {
	return 100 * f.Busy.Seconds() / (f.Wall.Seconds() * float64(f.Jobs))
}

// Measure runs plan with j workers, each node sleeping its estimate, with
// or without a jobserver gating the starts.
func Measure(plan *sched.Plan, j int, withJobserver bool) (Figures, error) {
	obs := &busyObserver{took: map[string]time.Duration{}}
	o := sched.Options{Jobs: j, Observer: obs}
	if withJobserver {
		js, err := sched.New(j)
		if err != nil {
			return Figures{}, err
		}
		defer js.Close()
		o.Jobserver = js
	}
	t0 := time.Now()
	_, err := sched.RunPlan(context.Background(), plan, o, func(ctx context.Context, id string) error {
		t := time.NewTimer(plan.Estimate(id))
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	wall := time.Since(t0)
	if err != nil {
		return Figures{}, err
	}
	return Figures{
		Jobs:         j,
		CriticalPath: plan.CriticalPath(),
		PerJob:       plan.Total() / time.Duration(j),
		Ideal:        Simulate(plan, j, plan.Estimate),
		Wall:         wall,
		Busy:         obs.busy,
		Replayed:     Simulate(plan, j, func(id string) time.Duration { return obs.took[id] }),
	}, nil
}

// busyObserver keeps how long each build actually ran.
type busyObserver struct {
	mu   sync.Mutex
	took map[string]time.Duration
	busy time.Duration
}

func (b *busyObserver) Start(string) {}
func (b *busyObserver) Finish(id string, _ error, d time.Duration) {
	b.mu.Lock()
	b.took[id] = d
	b.busy += d
	b.mu.Unlock()
}
func (b *busyObserver) Skip(string, string) {}

// Simulate replays the scheduler's policy (longest chain first, ties by
// ID) in virtual time with zero overhead and the given durations.
func Simulate(plan *sched.Plan, j int, dur func(id string) time.Duration) time.Duration {
	waiting := map[string]int{}
	var ready []string
	for _, id := range plan.IDs() {
		waiting[id] = len(plan.Deps(id))
		if waiting[id] == 0 {
			ready = append(ready, id)
		}
	}
	type job struct {
		id  string
		end time.Duration
	}
	var now time.Duration
	var running []job
	for len(ready) > 0 || len(running) > 0 {
		slices.SortFunc(ready, func(a, b string) int {
			if ca, cb := plan.Chain(a), plan.Chain(b); ca != cb {
				return int(cb - ca)
			}
			if a < b {
				return -1
			}
			return 1
		})
		for len(running) < j && len(ready) > 0 {
			running = append(running, job{ready[0], now + dur(ready[0])})
			ready = ready[1:]
		}
		slices.SortFunc(running, func(a, b job) int { return int(a.end - b.end) })
		next := running[0]
		running = running[1:]
		now = next.end
		for _, d := range plan.Dependents(next.id) {
			if waiting[d]--; waiting[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	return now
}
