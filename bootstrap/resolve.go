package bootstrap

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Dep is one alternative of a dependency: a package name and the
// versions it may have.
type Dep struct {
	Name string
	Rel  Relation
}

func (d Dep) String() string { return d.Name + d.Rel.String() }

// parseDeps splits a Depends field into groups of alternatives, keeping
// version constraints and dropping architecture qualifiers (":any") and
// restriction lists ("[amd64]", "<!nocheck>").
func parseDeps(field string) [][]Dep {
	var groups [][]Dep
	for _, g := range strings.Split(field, ",") {
		var alts []Dep
		for _, alt := range strings.Split(g, "|") {
			alt = strings.TrimSpace(alt)
			var d Dep
			d.Name = alt
			if i := strings.IndexAny(alt, " ([<"); i >= 0 {
				d.Name = alt[:i]
			}
			d.Name, _, _ = strings.Cut(d.Name, ":")
			if d.Name == "" {
				continue
			}
			if open := strings.IndexByte(alt, '('); open >= 0 {
				if end := strings.IndexByte(alt[open:], ')'); end > 0 {
					inner := strings.TrimSpace(alt[open+1 : open+end])
					op := inner[:len(inner)-len(strings.TrimLeft(inner, "<>="))]
					d.Rel = Relation{Op: op, Version: strings.TrimSpace(inner[len(op):])}
				}
			}
			alts = append(alts, d)
		}
		if len(alts) > 0 {
			groups = append(groups, alts)
		}
	}
	return groups
}

// deps is a version's Pre-Depends then Depends.
func (r *record) deps() [][]Dep {
	return append(parseDeps(r.PreDepends), parseDeps(r.Depends)...)
}

// Resolve chooses a version of every wanted package and of everything
// they Depend or Pre-Depend on. For each package it takes, among the
// versions the archive serves that satisfy every constraint met so far:
// the one pinned in keep, if any; else the base suite's; else the newest.
// Of alternatives it takes the first that has such a version; of a
// virtual package a provider already chosen, else the first by name.
// Conflicts and Breaks are not looked at: the seed is unpacked, never
// installed, so only what the binaries need at run time matters.
func (a *Apt) Resolve(ctx context.Context, wanted []string, keep []Entry) ([]Entry, error) {
	pinned := map[string]Entry{}
	for _, e := range keep {
		pinned[e.Name] = e
	}
	// Constraints only accumulate, and a round is redone only when it met
	// a new one that an earlier choice broke, so rounds are few.
	cons := map[string][]Relation{}
	for round := 0; ; round++ {
		if round > 1000 {
			return nil, fmt.Errorf("resolving did not settle after %d rounds", round)
		}
		chosen, redo, err := a.round(ctx, wanted, pinned, cons)
		if err != nil {
			return nil, err
		}
		if redo {
			continue
		}
		out := make([]Entry, 0, len(chosen))
		for _, r := range chosen {
			out = append(out, r.Entry)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return out, nil
	}
}

// round walks the closure breadth first, choosing as it goes. It reports
// redo when a constraint found late rules out a version chosen earlier.
func (a *Apt) round(ctx context.Context, wanted []string, pinned map[string]Entry, cons map[string][]Relation) (map[string]*record, bool, error) {
	chosen := map[string]*record{}
	queued := map[string]bool{}
	var queue []string
	add := func(name string) {
		if !queued[name] {
			queued[name] = true
			queue = append(queue, name)
		}
	}
	for _, w := range wanted {
		add(w)
	}
	redo := false
	for len(queue) > 0 {
		level := queue
		queue = nil
		if err := a.warm(ctx, level); err != nil {
			return nil, false, err
		}
		var next []string
		for _, name := range level {
			for _, r := range a.versions[name] {
				for _, g := range r.deps() {
					for _, d := range g {
						next = append(next, d.Name)
					}
				}
			}
		}
		if err := a.warm(ctx, next); err != nil {
			return nil, false, err
		}
		for _, name := range level {
			if a.versions[name] == nil {
				p, err := a.provider(ctx, name, queued)
				if err != nil {
					return nil, false, fmt.Errorf("%s: %w", name, err)
				}
				add(p)
				continue
			}
			r, err := a.choose(name, pinned, cons[name])
			if err != nil {
				return nil, false, err
			}
			chosen[name] = r
			for _, g := range r.deps() {
				d, err := a.pick(ctx, g, queued, cons)
				if err != nil {
					return nil, false, fmt.Errorf("%s %s depends on %w", r.Name, r.Version, err)
				}
				if d.Rel.Op != "" && !hasRel(cons[d.Name], d.Rel) {
					cons[d.Name] = append(cons[d.Name], d.Rel)
					if c := chosen[d.Name]; c != nil && !d.Rel.Allows(c.Version) {
						redo = true
					}
				}
				add(d.Name)
			}
		}
	}
	return chosen, redo, nil
}

func hasRel(rs []Relation, r Relation) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// allowed lists name's served versions that satisfy every relation, best
// first.
func (a *Apt) allowed(name string, rels []Relation) []*record {
	var out []*record
next:
	for _, r := range a.versions[name] {
		for _, rel := range rels {
			if !rel.Allows(r.Version) {
				continue next
			}
		}
		out = append(out, r)
	}
	return out
}

// choose picks name's version: the pin if the archive still serves it
// and it fits, else the best that fits.
func (a *Apt) choose(name string, pinned map[string]Entry, rels []Relation) (*record, error) {
	ok := a.allowed(name, rels)
	if len(ok) == 0 {
		var have []string
		for _, r := range a.versions[name] {
			have = append(have, r.Version)
		}
		var want []string
		for _, rel := range rels {
			want = append(want, strings.TrimSpace(rel.String()))
		}
		return nil, fmt.Errorf("no version of %s satisfies %s (the archive has %s)", name, strings.Join(want, ", "), strings.Join(have, ", "))
	}
	if p, has := pinned[name]; has {
		for _, r := range ok {
			if r.Version == p.Version && r.SHA256 == p.SHA256 && r.Arch == p.Arch {
				return r, nil
			}
		}
	}
	return ok[0], nil
}

// pick chooses the alternative of one dependency group: the first real
// package with a version that fits, or a provider of a virtual one.
func (a *Apt) pick(ctx context.Context, alts []Dep, queued map[string]bool, cons map[string][]Relation) (Dep, error) {
	for _, d := range alts {
		if a.versions[d.Name] != nil {
			rels := cons[d.Name]
			if d.Rel.Op != "" {
				rels = append(append([]Relation(nil), rels...), d.Rel)
			}
			if len(a.allowed(d.Name, rels)) > 0 {
				return d, nil
			}
			continue
		}
		// A virtual package: versioned provides are rare in the seed's
		// closure, so the relation is not carried to the provider.
		if p, err := a.provider(ctx, d.Name, queued); err == nil {
			return Dep{Name: p}, nil
		}
	}
	var names []string
	for _, d := range alts {
		names = append(names, d.String())
	}
	return Dep{}, fmt.Errorf("nothing installable for %s", strings.Join(names, " | "))
}

// provider picks a real package providing a virtual name: one already
// wanted, else the first by name that the archive serves.
func (a *Apt) provider(ctx context.Context, name string, queued map[string]bool) (string, error) {
	ps, err := a.providers(ctx, name)
	if err != nil {
		return "", err
	}
	if err := a.load(ctx, ps); err != nil {
		return "", err
	}
	for _, p := range ps {
		if queued[p] && a.versions[p] != nil {
			return p, nil
		}
	}
	for _, p := range ps {
		if a.versions[p] != nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("nothing installable for %s", name)
}
