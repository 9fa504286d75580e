package session

import "fmt"

// PushSet is what cache push uploads: the store base of every node of
// SourceNodes (built nodes, the build closure, the image tools). Every node
// the images need at run time must be in the store already; a build-only
// node the store lacks (gc'd, or substituted past) is left to the pusher to
// count as absent.
func (ss *Session) PushSet() ([]string, error) {
	nodes, err := ss.SourceNodes()
	if err != nil {
		return nil, err
	}
	want := ss.Wanted()
	if ss.System != nil {
		want = append(want, ss.System.Wanted()...)
	}
	for _, n := range want {
		if !ss.Store.Has(n.Base()) {
			return nil, fmt.Errorf("%s is not in the store %s: build it before pushing", n.ID(), ss.Store.Dir)
		}
	}
	bases := make([]string, len(nodes))
	for i, n := range nodes {
		bases[i] = n.Base()
	}
	return bases, nil
}
