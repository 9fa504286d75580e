package build

import (
	"context"
	"io"
	"sync"
	"time"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/progress"
	"stalix.dev/stalix-build/internal/store"
)

// Substituter fetches outputs from binary caches instead of building them
// (internal/cache). Lookup asks whether one is offered, signed; Fetch puts
// it into the store whole or not at all, and its error is a miss that the
// substituter has already warned about.
type Substituter interface {
	Lookup(ctx context.Context, base string, runtime []string) bool
	Fetch(ctx context.Context, s *store.Store, base string, epoch int64) (int64, error)
}

// fetchers is how many downloads run at once: they wait on the network,
// not on the CPUs the builds share.
const fetchers = 4

// Substitute fills b.Store from b.Subst with what want needs, top down: a
// node a cache offers needs none of its build inputs, so they are not even
// looked up. A node whose fetch fails is built instead, so the next round
// looks up its inputs in turn; rounds end when nothing new is found. It
// returns how many nodes were substituted; the caller then builds what
// Pending still lists.
func (b *Builder) Substitute(ctx context.Context, want []*plan.Node) int {
	if b.Subst == nil {
		return 0
	}
	missed := map[*plan.Node]bool{}
	for ctx.Err() == nil {
		todo := b.substitutable(ctx, want, missed)
		if len(todo) == 0 {
			break
		}
		b.fetchAll(ctx, todo, missed)
	}
	return len(b.substituted)
}

// Substituted is how many nodes Substitute has fetched so far.
func (b *Builder) Substituted() int { return len(b.substituted) }

// substitutable walks want and their runtime closures, and the build
// inputs of every missing node no cache offers.
func (b *Builder) substitutable(ctx context.Context, want []*plan.Node, missed map[*plan.Node]bool) []*plan.Node {
	seen := map[*plan.Node]bool{}
	var todo []*plan.Node
	var walk func(n *plan.Node)
	walk = func(n *plan.Node) {
		if seen[n] || b.has(n.Base()) {
			return
		}
		seen[n] = true
		if !missed[n] && b.Subst.Lookup(ctx, n.Base(), runtimeBases(n)) {
			todo = append(todo, n)
			return
		}
		for _, d := range inputs(n) {
			walk(d)
		}
	}
	for _, n := range plan.Closure(want) {
		walk(n)
	}
	return todo
}

func (b *Builder) fetchAll(ctx context.Context, todo []*plan.Node, missed map[*plan.Node]bool) {
	out := b.Progress
	if out == nil {
		out = io.Discard
	}
	rep := progress.NewFetches(out, len(todo))
	defer rep.Close()
	var mu sync.Mutex
	work := make(chan *plan.Node)
	var wg sync.WaitGroup
	for range min(fetchers, len(todo)) {
		wg.Go(func() {
			for n := range work {
				start := time.Now()
				size, err := b.Subst.Fetch(ctx, b.Store, n.Base(), b.epoch())
				mu.Lock()
				if err != nil {
					missed[n] = true
					rep.Missed(n.ID())
				} else {
					if b.substituted == nil {
						b.substituted = map[string]bool{}
					}
					b.substituted[n.ID()] = true
					rep.Done(n.ID(), size, time.Since(start))
				}
				mu.Unlock()
			}
		})
	}
	for _, n := range todo {
		work <- n
	}
	close(work)
	wg.Wait()
}

func runtimeBases(n *plan.Node) []string {
	out := []string{}
	for _, r := range n.Runtime {
		out = append(out, r.Base())
	}
	return out
}
