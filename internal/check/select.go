package check

import "stalix.dev/stalix-build/internal/plan"

// Select picks what a check rebuilds, in plan order (dependencies first):
// the named nodes, or with deep every node of the plan, less the packages
// in skip.
func Select(pl *plan.Plan, named []*plan.Node, deep bool, skip []string) []*plan.Node {
	skipped := map[string]bool{}
	for _, k := range skip {
		skipped[k] = true
	}
	rebuild := map[*plan.Node]bool{}
	for _, n := range named {
		rebuild[n] = true
	}
	var out []*plan.Node
	for _, n := range pl.Nodes {
		if (deep || rebuild[n]) && !skipped[n.Name] {
			out = append(out, n)
		}
	}
	return out
}
