package build

import (
	"context"
	"fmt"
	"path/filepath"

	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/plan"
)

// Need builds what want needs that the store lacks: it substitutes what
// b.Subst's caches offer first, fetches the rest's sources into f, and
// fails before any build when one of them needs the seed and the store
// lacks it. It returns the nodes it built, none when the store had them
// all or the caches gave them (Substituted counts those). f becomes the
// Builder's Sources.
func (b *Builder) Need(ctx context.Context, pl *plan.Plan, want []*plan.Node, f *fetch.Fetcher) ([]*plan.Node, error) {
	pending := Pending(pl, b.Store, want)
	if len(pending) == 0 {
		return nil, nil
	}
	if b.Subst != nil && b.Substitute(ctx, want) > 0 {
		if pending = Pending(pl, b.Store, want); len(pending) == 0 {
			return nil, nil
		}
	}
	if err := f.Fetch(ctx, Wants(pending)); err != nil {
		return nil, err
	}
	for _, n := range pending {
		if n.Seed {
			if seed := filepath.Base(b.Seed); b.Seed == "" || !b.Store.Has(seed) {
				return nil, fmt.Errorf("%s needs the seed %s: run stalix-build seed first", n.ID(), seed)
			}
			break
		}
	}
	b.Sources = f
	return pending, b.Run(ctx, pending)
}

// Wants lists the source files of nodes, as the fetcher asks for them.
func Wants(nodes []*plan.Node) []fetch.Want {
	var out []fetch.Want
	for _, n := range nodes {
		for _, s := range n.Sources {
			out = append(out, fetch.Want{Recipe: n.Recipe.File, File: s.FileName(), URL: s.URL, SHA256: s.SHA256, Debian: s.Debian,
				Tree: s.Tree, Git: s.Git, Ref: s.Ref})
		}
	}
	return out
}
