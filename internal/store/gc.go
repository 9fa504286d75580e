package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// AddRoot records name -> base so that gc keeps base and all it reaches.
func (s *Store) AddRoot(name, base string) error {
	p := filepath.Join(s.Dir, rootsDir, name)
	tmp := p + ".tmp"
	os.Remove(tmp)
	if err := os.Symlink(filepath.Join("..", base), tmp); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// Roots lists the entries named by root links that still exist.
func (s *Store) Roots() ([]string, error) {
	des, err := os.ReadDir(filepath.Join(s.Dir, rootsDir))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, de := range des {
		target, err := os.Readlink(filepath.Join(s.Dir, rootsDir, de.Name()))
		if err != nil {
			continue
		}
		out = append(out, filepath.Base(target))
	}
	return out, nil
}

// GC removes every entry that no root, and no name in keep, reaches through
// manifests' inputs and runtime lists. It takes the store lock exclusively
// so that no build runs meanwhile.
func (s *Store) GC(keep []string, dryRun bool) ([]string, error) {
	if err := syscall.Flock(int(s.lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return nil, fmt.Errorf("store %s is in use by another stalix-build; try gc again when it is done", s.Dir)
	}
	defer syscall.Flock(int(s.lock.Fd()), syscall.LOCK_SH)
	entries, err := s.Entries()
	if err != nil {
		return nil, err
	}
	roots, err := s.Roots()
	if err != nil {
		return nil, err
	}
	live := map[string]bool{}
	var mark func(base string)
	mark = func(base string) {
		if live[base] {
			return
		}
		live[base] = true
		m, err := s.ReadManifest(base)
		if err != nil {
			return
		}
		for _, in := range append(append([]string(nil), m.Inputs...), m.Runtime...) {
			mark(in)
		}
	}
	for _, r := range roots {
		mark(r)
	}
	for _, k := range keep {
		for _, e := range entries {
			if e == k || strings.HasSuffix(strings.SplitN(e, "-", 2)[1], k) || strings.Contains(e, "-"+k+"-") {
				mark(e)
			}
		}
	}
	var removed []string
	for _, e := range entries {
		if live[e] {
			continue
		}
		removed = append(removed, e)
		if dryRun {
			continue
		}
		// Manifest first: an entry without one no longer counts as present.
		if err := removeAll(filepath.Join(s.Dir, metaDir, e)); err != nil {
			return removed, err
		}
		if err := removeAll(s.Path(e)); err != nil {
			return removed, err
		}
	}
	return removed, s.CleanStale()
}
