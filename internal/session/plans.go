package session

import "stalix.dev/stalix-build/internal/plan"

// Plans is the plan and, for an install media, the system's plan after it
// (pack.System), with each node's Cached read from the store.
func (ss *Session) Plans() []*plan.Plan {
	plans := []*plan.Plan{ss.Plan}
	if ss.System != nil {
		plans = append(plans, ss.System.Plan)
	}
	for _, pl := range plans {
		for _, n := range pl.Nodes {
			n.Cached = ss.Store.Has(n.Base())
		}
	}
	return plans
}

// Rows is Plans as plan --json lists them: the system's rows name it.
func (ss *Session) Rows() []plan.Row {
	plans := ss.Plans()
	rows := plans[0].Rows("")
	if ss.System != nil {
		rows = append(rows, plans[1].Rows(ss.System.Profile.Name)...)
	}
	return rows
}
