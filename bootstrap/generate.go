package bootstrap

import (
	"context"
	"fmt"
	"os"
	"sort"
)

// LockHeader opens every generated lock.
const LockHeader = `Seed lock: every Debian package the seed unpacks, pinned by .deb sha256.
Generated from seed.list by "stalix-build seed update"; do not edit.
Fields: name version architecture sha256 size`

// Update resolves the packages of the list at listPath and their
// Depends/Pre-Depends closure with the host's apt as configured, for the
// Debian architecture arch (amd64 when empty). Every pin of current that
// the archive still serves and that still fits is kept, so only what
// vanished moves, with what its dependencies force; a nil current takes
// the preferred version of everything (see prefer).
func Update(ctx context.Context, listPath, arch string, current []Entry) ([]Entry, error) {
	names, err := ReadList(listPath)
	if err != nil {
		return nil, err
	}
	es, err := (&Apt{Arch: arch}).Resolve(ctx, names, current)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", listPath, err)
	}
	return es, nil
}

// Updated is what UpdateLock did.
type Updated struct {
	Changes  []Change
	Packages int
	Hash     string // the seed's hash after the update
}

// UpdateLock re-resolves the list into the lock file: with all, afresh;
// otherwise keeping every pin the archive still serves. The file is
// rewritten only when a pin changed.
func UpdateLock(ctx context.Context, listPath, lockPath string, all bool) (Updated, error) {
	cur, err := ReadLock(lockPath)
	if err != nil {
		return Updated{}, err
	}
	keep := cur
	if all {
		keep = nil
	}
	es, err := Update(ctx, listPath, "amd64", keep)
	if err != nil {
		return Updated{}, err
	}
	u := Updated{Changes: Diff(cur, es), Packages: len(es)}
	if len(u.Changes) > 0 {
		if err := WriteLock(lockPath, es); err != nil {
			return u, err
		}
	}
	u.Hash, err = LockHash(lockPath)
	return u, err
}

// WriteLock writes es to path in lock form, atomically.
func WriteLock(path string, es []Entry) error {
	tmp := path + ".new"
	if err := os.WriteFile(tmp, FormatLock(LockHeader, es), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Change is one line of a lock's diff; Old or New is empty for a package
// that came or went.
type Change struct {
	Name, Old, New string
}

func (c Change) String() string {
	old, new := c.Old, c.New
	if old == "" {
		old = "(new)"
	}
	if new == "" {
		new = "(gone)"
	}
	return c.Name + " " + old + " -> " + new
}

// Diff lists, by name, the packages whose pin differs between two locks.
// A pin whose version stayed but whose .deb changed shows its sha256.
func Diff(old, new []Entry) []Change {
	byName := func(es []Entry) map[string]Entry {
		m := map[string]Entry{}
		for _, e := range es {
			m[e.Name] = e
		}
		return m
	}
	o, n := byName(old), byName(new)
	var out []Change
	show := func(e Entry, other Entry) string {
		if e.Version == other.Version {
			return e.Version + " sha256 " + e.SHA256[:12]
		}
		return e.Version
	}
	for name, e := range o {
		f, ok := n[name]
		switch {
		case !ok:
			out = append(out, Change{Name: name, Old: e.Version})
		case e != f:
			out = append(out, Change{Name: name, Old: show(e, f), New: show(f, e)})
		}
	}
	for name, f := range n {
		if _, ok := o[name]; !ok {
			out = append(out, Change{Name: name, New: f.Version})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
