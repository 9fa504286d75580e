package sched

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is an Observer that keeps the events in order.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) add(s string) { r.mu.Lock(); r.events = append(r.events, s); r.mu.Unlock() }

func (r *recorder) Start(id string) { r.add("start " + id) }
func (r *recorder) Finish(id string, err error, _ time.Duration) {
	switch {
	case err == nil:
		r.add("done " + id)
	case errors.Is(err, ErrStopped):
		r.add("stopped " + id)
	default:
		r.add("failed " + id)
	}
}
func (r *recorder) Skip(id, because string) { r.add("skip " + id + " " + because) }

func (r *recorder) starts() []string {
	var out []string
	for _, e := range r.events {
		if id, ok := strings.CutPrefix(e, "start "); ok {
			out = append(out, id)
		}
	}
	return out
}

func TestOrderCriticalPathFirst(t *testing.T) {
	// With one worker the start order is the priority order, recomputed as
	// nodes become ready.
	tests := []struct {
		name  string
		nodes []Node
		want  string
	}{
		{
			// c's chain is 2+10 = 12 (d waits on it), above b's 5 and a's 1;
			// once c is done d (10) beats b.
			name: "chain beats own estimate",
			nodes: []Node{
				{ID: "a", Estimate: 1 * ms},
				{ID: "b", Estimate: 5 * ms},
				{ID: "c", Estimate: 2 * ms},
				{ID: "d", Deps: []string{"c"}, Estimate: 10 * ms},
			},
			want: "c d b a",
		},
		{
			name: "ties by ID",
			nodes: []Node{
				{ID: "z", Estimate: 3 * ms},
				{ID: "y", Estimate: 3 * ms},
				{ID: "x", Estimate: 3 * ms},
			},
			want: "x y z",
		},
		{
			// A chain of small steps (12) outranks one bigger node (7)
			// until what is left of it (s3: 4) is shorter.
			name: "long chain",
			nodes: []Node{
				{ID: "big", Estimate: 7 * ms},
				{ID: "s1", Estimate: 4 * ms},
				{ID: "s2", Deps: []string{"s1"}, Estimate: 4 * ms},
				{ID: "s3", Deps: []string{"s2"}, Estimate: 4 * ms},
			},
			want: "s1 s2 big s3",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			_, err := Run(context.Background(), tc.nodes, Options{Jobs: 1, Observer: rec},
				func(context.Context, string) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(rec.starts(), " "); got != tc.want {
				t.Errorf("start order %q, want %q", got, tc.want)
			}
		})
	}
}

// keepGoingGraph: a fails; b needs a; c needs b; d is independent; e needs d.
var keepGoingGraph = []Node{
	{ID: "a", Estimate: 50 * ms},
	{ID: "b", Deps: []string{"a"}, Estimate: 1 * ms},
	{ID: "c", Deps: []string{"b"}, Estimate: 1 * ms},
	{ID: "d", Estimate: 2 * ms},
	{ID: "e", Deps: []string{"d"}, Estimate: 1 * ms},
}

func TestKeepGoing(t *testing.T) {
	rec := &recorder{}
	boom := errors.New("boom")
	res, err := Run(context.Background(), keepGoingGraph, Options{Jobs: 1, KeepGoing: true, Observer: rec},
		func(_ context.Context, id string) error {
			if id == "a" {
				return boom
			}
			return nil
		})
	var be *BuildError
	if !errors.As(err, &be) || !errors.Is(err, boom) {
		t.Fatalf("err = %v, want a BuildError wrapping boom", err)
	}
	if got := fmt.Sprint(res.Built); got != "[d e]" {
		t.Errorf("Built = %s, want [d e]", got)
	}
	if len(res.Failed) != 1 || res.Failed[0].ID != "a" {
		t.Errorf("Failed = %v, want a", res.Failed)
	}
	if got := fmt.Sprint(res.Skipped); got != "[{b a} {c a}]" {
		t.Errorf("Skipped = %s, want b and c because of a", got)
	}
	// a has the longest chain so it runs first; its failure skips b and c
	// at once, then d and e still run.
	want := "start a|failed a|skip b a|skip c a|start d|done d|start e|done e"
	if got := strings.Join(rec.events, "|"); got != want {
		t.Errorf("events\n %s\nwant\n %s", got, want)
	}
}

func TestStopOnFailure(t *testing.T) {
	// j=2: a (longest chain) and d start; a fails at once, so d's context
	// must be cancelled and nothing else may start.
	rec := &recorder{}
	var dCancelled atomic.Bool
	t0 := time.Now()
	res, err := Run(context.Background(), keepGoingGraph, Options{Jobs: 2, Observer: rec},
		func(ctx context.Context, id string) error {
			switch id {
			case "a":
				return errors.New("boom")
			case "d":
				select {
				case <-ctx.Done():
					dCancelled.Store(true)
					return ctx.Err()
				case <-time.After(10 * time.Second):
					return nil
				}
			}
			t.Errorf("%s started after the failure", id)
			return nil
		})
	if time.Since(t0) > 5*time.Second {
		t.Fatalf("run took %v: the running build was not cancelled", time.Since(t0))
	}
	if err == nil || !strings.Contains(err.Error(), "build of a failed: boom") {
		t.Fatalf("err = %v, want the failure of a", err)
	}
	if !dCancelled.Load() {
		t.Error("d's context was not cancelled")
	}
	if got := fmt.Sprint(res.Stopped); got != "[d]" {
		t.Errorf("Stopped = %s, want [d]", got)
	}
	if got := fmt.Sprint(res.Skipped); got != "[{b a} {c a} {e }]" {
		t.Errorf("Skipped = %s, want b, c (because of a) and e (run stopped)", got)
	}
	if !slices.Contains(rec.events, "stopped d") || slices.Contains(rec.events, "failed d") {
		t.Errorf("d should be reported stopped, not failed: %v", rec.events)
	}
}

func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	res, err := Run(ctx, keepGoingGraph, Options{Jobs: 2, KeepGoing: true},
		func(ctx context.Context, id string) error {
			cancel()
			<-ctx.Done()
			return ctx.Err()
		})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(res.Failed) != 0 || len(res.Stopped) == 0 || len(res.Stopped)+len(res.Skipped) != len(keepGoingGraph) {
		t.Errorf("result %+v: want every node stopped or skipped, none failed", res)
	}
}

func TestPanicIsAFailure(t *testing.T) {
	_, err := Run(context.Background(), []Node{{ID: "a"}}, Options{Jobs: 1},
		func(context.Context, string) error { panic("oops") })
	if err == nil || !strings.Contains(err.Error(), "panicked: oops") {
		t.Fatalf("err = %v, want the panic as a's failure", err)
	}
}

func TestCycleRunsNothing(t *testing.T) {
	nodes := []Node{{ID: "ok"}, {ID: "a", Deps: []string{"b"}}, {ID: "b", Deps: []string{"c"}}, {ID: "c", Deps: []string{"a"}}}
	_, err := Run(context.Background(), nodes, Options{Jobs: 2}, func(_ context.Context, id string) error {
		t.Errorf("%s ran although the graph has a cycle", id)
		return nil
	})
	var ce *CycleError
	if !errors.As(err, &ce) || strings.Join(ce.Path, "->") != "a->b->c->a" {
		t.Fatalf("err = %v, want cycle a->b->c->a", err)
	}
}

// randomGraph makes n nodes, each depending on up to 3 of the 20 before it.
func randomGraph(seed uint64, n int, minD, maxD time.Duration) []Node {
	rng := rand.New(rand.NewPCG(seed, 0))
	nodes := make([]Node, n)
	for i := range nodes {
		nodes[i] = Node{ID: fmt.Sprintf("n%03d", i), Estimate: minD + time.Duration(rng.Int64N(int64(maxD-minD)+1))}
		if i == 0 {
			continue
		}
		for range rng.IntN(4) {
			d := max(0, i-1-rng.IntN(20))
			nodes[i].Deps = append(nodes[i].Deps, nodes[d].ID)
		}
	}
	return nodes
}

func TestJobsLimit(t *testing.T) {
	for _, withJS := range []bool{false, true} {
		for _, j := range []int{1, 2, 4} {
			t.Run(fmt.Sprintf("j=%d jobserver=%v", j, withJS), func(t *testing.T) {
				nodes := randomGraph(uint64(j), 80, 1*ms, 4*ms)
				o := Options{Jobs: j}
				if withJS {
					js, err := New(j)
					if err != nil {
						t.Fatal(err)
					}
					defer js.Close()
					o.Jobserver = js
				}
				var cur, peak atomic.Int32
				var mu sync.Mutex
				doneAt := map[string]time.Time{}
				startAt := map[string]time.Time{}
				est := map[string]time.Duration{}
				for _, n := range nodes {
					est[n.ID] = n.Estimate
				}
				res, err := Run(context.Background(), nodes, o, func(ctx context.Context, id string) error {
					c := cur.Add(1)
					for p := peak.Load(); c > p && !peak.CompareAndSwap(p, c); p = peak.Load() {
					}
					mu.Lock()
					startAt[id] = time.Now()
					mu.Unlock()
					time.Sleep(est[id])
					mu.Lock()
					doneAt[id] = time.Now()
					mu.Unlock()
					cur.Add(-1)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Built) != len(nodes) {
					t.Fatalf("built %d of %d", len(res.Built), len(nodes))
				}
				if p := int(peak.Load()); p > j || (j > 1 && p < 2) {
					t.Errorf("peak concurrency %d, want between 2 and %d", p, j)
				}
				for _, n := range nodes {
					for _, d := range n.Deps {
						if !doneAt[d].Before(startAt[n.ID]) {
							t.Errorf("%s started before its dependency %s finished", n.ID, d)
						}
					}
				}
				if withJS {
					if n, err := o.Jobserver.Available(); err != nil || n != j-1 {
						t.Errorf("after the run the pool holds %d tokens (%v), want %d", n, err, j-1)
					}
				}
			})
		}
	}
}
