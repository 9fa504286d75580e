package sched

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const ms = time.Millisecond

func TestPlanChains(t *testing.T) {
	// c needs b needs a; d is alone; e needs a and d.
	nodes := []Node{
		{ID: "e", Deps: []string{"a", "d"}, Estimate: 5 * ms},
		{ID: "c", Deps: []string{"b"}, Estimate: 3 * ms},
		{ID: "b", Deps: []string{"a", "a"}, Estimate: 2 * ms},
		{ID: "a", Estimate: 1 * ms},
		{ID: "d", Estimate: 10 * ms},
	}
	p, err := NewPlan(nodes, 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id    string
		chain time.Duration
	}{
		{"c", 3 * ms},
		{"b", 5 * ms},  // 2 + c
		{"e", 5 * ms},  // no dependents
		{"a", 6 * ms},  // 1 + max(b=5, e=5)
		{"d", 15 * ms}, // 10 + e
	}
	for _, tc := range tests {
		if got := p.Chain(tc.id); got != tc.chain {
			t.Errorf("Chain(%s) = %v, want %v", tc.id, got, tc.chain)
		}
	}
	if got := p.CriticalPath(); got != 15*ms {
		t.Errorf("CriticalPath = %v, want 15ms", got)
	}
	if got := strings.Join(p.CriticalChain(), ","); got != "d,e" {
		t.Errorf("CriticalChain = %s, want d,e", got)
	}
	if got := p.Total(); got != 21*ms {
		t.Errorf("Total = %v, want 21ms", got)
	}
	if got := strings.Join(p.Deps("b"), ","); got != "a" {
		t.Errorf("Deps(b) = %s, want a (duplicates folded)", got)
	}
	pos := map[string]int{}
	for k, id := range p.IDs() {
		pos[id] = k
	}
	for _, n := range nodes {
		for _, d := range n.Deps {
			if pos[d] >= pos[n.ID] {
				t.Errorf("IDs() puts %s before its dependency %s: %v", n.ID, d, p.IDs())
			}
		}
	}
}

func TestPlanUnknownEstimate(t *testing.T) {
	tests := []struct {
		name  string
		nodes []Node
		def   time.Duration
		want  time.Duration
	}{
		{"median of known", []Node{{ID: "a", Estimate: 1 * ms}, {ID: "b", Estimate: 7 * ms}, {ID: "c", Estimate: 3 * ms}, {ID: "x"}}, 0, 3 * ms},
		{"explicit default", []Node{{ID: "a", Estimate: 1 * ms}, {ID: "x"}}, 9 * ms, 9 * ms},
		{"nothing known", []Node{{ID: "x"}}, 0, DefaultEstimate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPlan(tc.nodes, tc.def)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Estimate("x"); got != tc.want {
				t.Errorf("Estimate(x) = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name  string
		nodes []Node
		want  string
	}{
		{"unknown dep", []Node{{ID: "a", Deps: []string{"zlib"}}}, `node "a" depends on "zlib", which is not in the graph`},
		{"duplicate", []Node{{ID: "a"}, {ID: "a"}}, `node "a" appears twice`},
		{"empty id", []Node{{ID: ""}}, "empty ID"},
		{"self", []Node{{ID: "a", Deps: []string{"a"}}}, "dependency cycle: a -> a "},
		{"three", []Node{{ID: "a", Deps: []string{"b"}}, {ID: "b", Deps: []string{"c"}}, {ID: "c", Deps: []string{"a"}}}, "dependency cycle: a -> b -> c -> a "},
		// The walk enters at x, outside the cycle; the path names only the cycle.
		{"entered from outside", []Node{{ID: "x", Deps: []string{"z"}}, {ID: "z", Deps: []string{"y"}}, {ID: "y", Deps: []string{"z"}}}, "dependency cycle: y -> z -> y "},
		// Rotated to start at the smallest ID whatever the walk order.
		{"rotated", []Node{{ID: "m", Deps: []string{"q"}}, {ID: "q", Deps: []string{"b"}}, {ID: "b", Deps: []string{"m"}}, {ID: "a", Deps: []string{"m"}}}, "dependency cycle: b -> m -> q -> b "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewPlan(tc.nodes, 0)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("NewPlan: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// FuzzPlan checks on arbitrary graphs that NewPlan either returns a cycle
// that really is one, or an order with every dependency first.
func FuzzPlan(f *testing.F) {
	f.Add([]byte{0, 1, 1, 2, 2, 0})
	f.Add([]byte{3, 3})
	f.Add([]byte{0, 1, 0, 2, 1, 2})
	f.Fuzz(func(t *testing.T, edges []byte) {
		const n = 8
		ids := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
		deps := map[string][]string{}
		for k := 0; k+1 < len(edges); k += 2 {
			from, to := ids[edges[k]%n], ids[edges[k+1]%n]
			deps[from] = append(deps[from], to)
		}
		var nodes []Node
		for i, id := range ids {
			nodes = append(nodes, Node{ID: id, Deps: deps[id], Estimate: time.Duration(i+1) * ms})
		}
		p, err := NewPlan(nodes, 0)
		var ce *CycleError
		if errors.As(err, &ce) {
			if len(ce.Path) < 2 || ce.Path[0] != ce.Path[len(ce.Path)-1] {
				t.Fatalf("cycle path %v does not close", ce.Path)
			}
			for k := 0; k+1 < len(ce.Path); k++ {
				found := false
				for _, d := range deps[ce.Path[k]] {
					found = found || d == ce.Path[k+1]
				}
				if !found {
					t.Fatalf("cycle %v: %s does not depend on %s", ce.Path, ce.Path[k], ce.Path[k+1])
				}
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		pos := map[string]int{}
		for k, id := range p.IDs() {
			pos[id] = k
		}
		if len(pos) != n {
			t.Fatalf("IDs() = %v, want all %d nodes", p.IDs(), n)
		}
		for id, ds := range deps {
			for _, d := range ds {
				if pos[d] >= pos[id] {
					t.Fatalf("%s ordered before its dependency %s", id, d)
				}
				if p.Chain(d) <= p.Chain(id) {
					t.Fatalf("Chain(%s)=%v not above its dependent %s's %v", d, p.Chain(d), id, p.Chain(id))
				}
			}
		}
	})
}

func TestPlanUnknownIDPanics(t *testing.T) {
	p, err := NewPlan([]Node{{ID: "a", Estimate: ms}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Has("b") || !p.Has("a") {
		t.Error("Has is wrong")
	}
	defer func() {
		if v, _ := recover().(string); !strings.Contains(v, `node "b" is not in the plan`) {
			t.Errorf("Estimate of an unknown node: panic %q, want one naming it", v)
		}
	}()
	p.Estimate("b")
}

func TestCriticalChain(t *testing.T) {
	tests := []struct {
		name  string
		nodes []Node
		want  string
	}{
		{"empty", nil, ""},
		{"one", []Node{{ID: "a", Estimate: ms}}, "a"},
		{"longest sum, not longest node", []Node{
			{ID: "big", Estimate: 10 * ms},
			{ID: "x", Estimate: 4 * ms}, {ID: "y", Deps: []string{"x"}, Estimate: 4 * ms}, {ID: "z", Deps: []string{"y"}, Estimate: 4 * ms},
		}, "x,y,z"},
		{"tie goes to the smaller ID", []Node{
			{ID: "b", Estimate: ms}, {ID: "a", Estimate: ms}, {ID: "c", Deps: []string{"a", "b"}, Estimate: ms},
		}, "a,c"},
		{"diamond", []Node{
			{ID: "musl", Estimate: 45 * ms}, {ID: "libcxx", Deps: []string{"musl"}, Estimate: 70 * ms},
			{ID: "cc", Deps: []string{"musl", "libcxx"}, Estimate: ms}, {ID: "busybox", Deps: []string{"cc"}, Estimate: 60 * ms},
			{ID: "linux", Deps: []string{"cc"}, Estimate: 283 * ms},
		}, "musl,libcxx,cc,linux"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPlan(tc.nodes, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(p.CriticalChain(), ","); got != tc.want {
				t.Errorf("CriticalChain = %s, want %s", got, tc.want)
			}
		})
	}
}
