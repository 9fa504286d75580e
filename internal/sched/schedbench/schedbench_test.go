package schedbench

import (
	"slices"
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/sched"
)

func TestSimulate(t *testing.T) {
	const ms = time.Millisecond
	// a(3) and b(1) are free; c(1) needs b. Two workers: a | b then c,
	// done at 3. One worker, a first (chain 3 > 2): 3+1+1 = 5.
	nodes := []sched.Node{
		{ID: "a", Estimate: 3 * ms},
		{ID: "b", Estimate: 1 * ms},
		{ID: "c", Deps: []string{"b"}, Estimate: 1 * ms},
	}
	p, err := sched.NewPlan(nodes, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		j    int
		want time.Duration
	}{{1, 5 * ms}, {2, 3 * ms}, {3, 3 * ms}} {
		if got := Simulate(p, tc.j, p.Estimate); got != tc.want {
			t.Errorf("simulate j=%d = %v, want %v", tc.j, got, tc.want)
		}
	}
}

func TestGenerateIsSeeded(t *testing.T) {
	a := Generate(7, 50, time.Millisecond, 5*time.Millisecond)
	b := Generate(7, 50, time.Millisecond, 5*time.Millisecond)
	c := Generate(8, 50, time.Millisecond, 5*time.Millisecond)
	eq := func(x, y []sched.Node) bool {
		return slices.EqualFunc(x, y, func(m, n sched.Node) bool {
			return m.ID == n.ID && m.Estimate == n.Estimate && slices.Equal(m.Deps, n.Deps)
		})
	}
	if !eq(a, b) {
		t.Error("the same seed gave two graphs")
	}
	if eq(a, c) {
		t.Error("different seeds gave the same graph")
	}
	if _, err := sched.NewPlan(a, 0); err != nil {
		t.Errorf("generated graph is not a DAG: %v", err)
	}
}
