package sched

import (
	"fmt"
	"slices"
	"time"
)

// Plan is a validated, acyclic graph with the estimates and critical-path
// priorities the scheduler uses. Nodes are numbered in ID order, so
// everything derived from a Plan is independent of the input order.
type Plan struct {
	ids        []string
	index      map[string]int
	deps       [][]int
	dependents [][]int
	est        []time.Duration
	chain      []time.Duration
	topo       []int
}

// NewPlan checks the graph (unique IDs, known dependencies, no cycle) and
// computes each node's chain: its own estimate plus the longest chain among
// its dependents. def replaces unknown estimates as Options.DefaultEstimate
// describes.
func NewPlan(nodes []Node, def time.Duration) (*Plan, error) {
	sorted := slices.Clone(nodes)
	slices.SortFunc(sorted, func(a, b Node) int { return cmpString(a.ID, b.ID) })
	p := &Plan{index: make(map[string]int, len(nodes))}
	for i, n := range sorted {
		if n.ID == "" {
			return nil, fmt.Errorf("node %d has an empty ID: give every node a name", i)
		}
		if _, dup := p.index[n.ID]; dup {
			return nil, fmt.Errorf("node %q appears twice: node IDs must be unique", n.ID)
		}
		p.index[n.ID] = i
		p.ids = append(p.ids, n.ID)
	}
	p.deps = make([][]int, len(sorted))
	p.dependents = make([][]int, len(sorted))
	for i, n := range sorted {
		for _, d := range n.Deps {
			j, ok := p.index[d]
			if !ok {
				return nil, fmt.Errorf("node %q depends on %q, which is not in the graph", n.ID, d)
			}
			if !slices.Contains(p.deps[i], j) {
				p.deps[i] = append(p.deps[i], j)
			}
		}
		slices.Sort(p.deps[i])
	}
	for i, ds := range p.deps {
		for _, j := range ds {
			p.dependents[j] = append(p.dependents[j], i)
		}
	}
	if c := p.findCycle(); c != nil {
		return nil, c
	}
	p.topo = p.topoOrder()
	p.est = estimates(sorted, def)
	p.chain = make([]time.Duration, len(sorted))
	for k := len(p.topo) - 1; k >= 0; k-- {
		i := p.topo[k]
		var longest time.Duration
		for _, d := range p.dependents[i] {
			longest = max(longest, p.chain[d])
		}
		p.chain[i] = p.est[i] + longest
	}
	return p, nil
}

// estimates fills in unknown estimates: with the median of the known ones,
// a build without history is ordered like a typical one rather than first or
// last.
func estimates(nodes []Node, def time.Duration) []time.Duration {
	if def <= 0 {
		var known []time.Duration
		for _, n := range nodes {
			if n.Estimate > 0 {
				known = append(known, n.Estimate)
			}
		}
		def = DefaultEstimate
		if len(known) > 0 {
			slices.Sort(known)
			def = known[len(known)/2]
		}
	}
	est := make([]time.Duration, len(nodes))
	for i, n := range nodes {
		est[i] = n.Estimate
		if est[i] <= 0 {
			est[i] = def
		}
	}
	return est
}

// topoOrder lists dependencies before dependents, smallest index first among
// the ready ones (Kahn's algorithm), so the order is deterministic.
func (p *Plan) topoOrder() []int {
	indeg := make([]int, len(p.ids))
	for i := range p.ids {
		indeg[i] = len(p.deps[i])
	}
	var ready, out []int
	for i, d := range indeg {
		if d == 0 {
			ready = append(ready, i)
		}
	}
	for len(ready) > 0 {
		i := ready[0]
		ready = ready[1:]
		out = append(out, i)
		for _, d := range p.dependents[i] {
			if indeg[d]--; indeg[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	return out
}

// Len is the number of nodes.
func (p *Plan) Len() int { return len(p.ids) }

// IDs lists the node IDs in a topological order: every node after its
// dependencies.
func (p *Plan) IDs() []string {
	out := make([]string, len(p.topo))
	for k, i := range p.topo {
		out[k] = p.ids[i]
	}
	return out
}

// Has reports whether id is a node of the plan.
func (p *Plan) Has(id string) bool { _, ok := p.index[id]; return ok }

// Deps lists the direct dependencies of id, sorted. Like the other
// per-node methods it panics if id is not in the plan (see Has).
func (p *Plan) Deps(id string) []string { return p.names(p.deps[p.at(id)]) }

// Dependents lists the nodes that directly depend on id, sorted.
func (p *Plan) Dependents(id string) []string { return p.names(p.dependents[p.at(id)]) }

// Estimate is the duration assumed for id (unknown ones filled in).
func (p *Plan) Estimate(id string) time.Duration { return p.est[p.at(id)] }

// Chain is the critical path starting at id: its estimate plus the longest
// chain among its dependents.
func (p *Plan) Chain(id string) time.Duration { return p.chain[p.at(id)] }

// CriticalPath is the longest chain in the graph: no schedule, however many
// workers, finishes sooner.
func (p *Plan) CriticalPath() time.Duration {
	var m time.Duration
	for _, c := range p.chain {
		m = max(m, c)
	}
	return m
}

// CriticalChain lists the nodes of the longest chain, dependencies first:
// the path whose estimates sum to CriticalPath. Ties go to the smaller ID,
// so the same graph always names the same path.
func (p *Plan) CriticalChain() []string {
	at := -1
	for i, c := range p.chain {
		if at < 0 || c > p.chain[at] {
			at = i
		}
	}
	var out []string
	for at >= 0 {
		out = append(out, p.ids[at])
		next := -1
		for _, d := range p.dependents[at] {
			if next < 0 || p.chain[d] > p.chain[next] {
				next = d
			}
		}
		at = next
	}
	return out
}

// Total is the sum of all estimates: one worker needs that long.
func (p *Plan) Total() time.Duration {
	var s time.Duration
	for _, e := range p.est {
		s += e
	}
	return s
}

// at is id's index; asking about a node the plan does not hold is a bug in
// the caller, and answering for node 0 instead would hide it.
func (p *Plan) at(id string) int {
	i, ok := p.index[id]
	if !ok {
		panic(fmt.Sprintf("sched: node %q is not in the plan", id))
	}
	return i
}

func (p *Plan) names(idx []int) []string {
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = p.ids[i]
	}
	slices.Sort(out)
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
