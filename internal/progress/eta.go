package progress

import "time"

// eta estimates the time left from the plan's estimates (past build times):
// the longer of the longest remaining chain, and the remaining work spread
// over the jobs. A running node counts with what is left of its estimate.
// Called with v.mu held.
func (v *View) eta(now time.Time) time.Duration {
	ids := v.plan.IDs()
	chain := make(map[string]time.Duration, len(ids))
	var sum, longest time.Duration
	// Dependents come after their dependencies in IDs, so walking it
	// backwards sees every dependent's chain before it is needed.
	for k := len(ids) - 1; k >= 0; k-- {
		id := ids[k]
		if v.finished[id] {
			continue
		}
		left := v.plan.Estimate(id)
		if t, ok := v.started[id]; ok {
			left = max(left-now.Sub(t), 0)
		}
		var after time.Duration
		for _, d := range v.plan.Dependents(id) {
			after = max(after, chain[d])
		}
		chain[id] = left + after
		sum += left
		longest = max(longest, chain[id])
	}
	return max(longest, sum/time.Duration(v.o.Jobs))
}
