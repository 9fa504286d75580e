package cli

import (
	"context"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/store"
)

// session is what a verb that plans and builds has open: the project, the
// plan of its one PROFILE|PKG argument, the store, and a context that
// SIGINT cancels.
type session struct {
	p      *project
	pl     *plan.Plan
	prof   *profile.Profile // nil when the argument named a package
	s      *store.Store
	ctx    context.Context
	cancel context.CancelFunc
}

func (ss *session) close() {
	ss.cancel()
	ss.s.Close()
}

// wanted is what the planned packages need at run time, every target.
func (ss *session) wanted() []*plan.Node {
	var out []*plan.Node
	for _, t := range ss.pl.Targets {
		out = append(out, plan.Closure(ss.pl.Roots[t])...)
	}
	return out
}

// open parses args, wants exactly one PROFILE or PKG, and plans it. With
// needProfile a package name is a usage error.
func (b *buildFlags) open(e *Env, fs flagSet, args []string, needProfile bool) (*session, error) {
	pos, err := parse(fs.FlagSet, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != 1 {
		if needProfile {
			return nil, usagef("want one PROFILE")
		}
		return nil, usagef("want one PROFILE or PKG")
	}
	p, err := b.load(e)
	if err != nil {
		return nil, err
	}
	pl, prof, err := p.planFor(e, pos[0], b.targets)
	if err != nil {
		return nil, err
	}
	if needProfile && prof == nil {
		return nil, usagef("%s is a package; this command wants a profile", pos[0])
	}
	s, err := b.openStore()
	if err != nil {
		return nil, err
	}
	ctx, cancel := interruptible()
	return &session{p: p, pl: pl, prof: prof, s: s, ctx: ctx, cancel: cancel}, nil
}
