package sched

import (
	"slices"
	"strings"
)

// CycleError is a dependency cycle; Path starts and ends with the same node
// and each node depends on the next.
type CycleError struct {
	Path []string
}

func (e *CycleError) Error() string {
	return "dependency cycle: " + strings.Join(e.Path, " -> ") + " (each node depends on the next; remove one of these dependencies)"
}

// findCycle walks depth-first in index order and returns the first cycle it
// meets, rotated to start at its smallest ID so the message does not depend
// on where the walk happened to enter the cycle.
func (p *Plan) findCycle() *CycleError {
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(p.ids))
	var stack []int
	var found []int
	var visit func(i int) bool
	visit = func(i int) bool {
		color[i] = grey
		stack = append(stack, i)
		for _, d := range p.deps[i] {
			switch color[d] {
			case grey:
				at := slices.Index(stack, d)
				found = slices.Clone(stack[at:])
				return true
			case white:
				if visit(d) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
		return false
	}
	for i := range p.ids {
		if color[i] == white && visit(i) {
			break
		}
	}
	if found == nil {
		return nil
	}
	lo := 0
	for k, i := range found {
		if p.ids[i] < p.ids[found[lo]] {
			lo = k
		}
	}
	rot := append(slices.Clone(found[lo:]), found[:lo]...)
	path := make([]string, 0, len(rot)+1)
	for _, i := range rot {
		path = append(path, p.ids[i])
	}
	return &CycleError{Path: append(path, path[0])}
}
