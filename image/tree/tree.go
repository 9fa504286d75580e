package tree

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// Tree is a root file system. Its root directory is implicit (mode 0755, owner 0:0); every other
// directory is an entry. Epoch is the modification time, in seconds since 1970, of every entry
// (SOURCE_DATE_EPOCH).
type Tree struct {
	Epoch   int64
	entries map[string]*Entry
}

// New returns an empty tree whose entries all carry the modification time epoch.
func New(epoch int64) *Tree {
	return &Tree{Epoch: epoch, entries: map[string]*Entry{}}
}

// Len is the number of entries, the root excluded.
func (t *Tree) Len() int { return len(t.entries) }

// Get returns the entry at an absolute path, or nil.
func (t *Tree) Get(p string) *Entry { return t.entries[p] }

// Entries returns the entries sorted by path bytes, which puts every directory before its contents.
func (t *Tree) Entries() []*Entry {
	out := make([]*Entry, 0, len(t.entries))
	for _, e := range t.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// CleanPath turns "etc/passwd", "/etc//passwd/" and "./etc/passwd" into "/etc/passwd".
func CleanPath(p string) (string, error) {
	c := path.Clean("/" + p)
	if c == "/" {
		return "", fmt.Errorf("path %q names the root, which is implicit", p)
	}
	if strings.ContainsRune(c, 0) {
		return "", fmt.Errorf("path %q holds a NUL byte", p)
	}
	return c, nil
}

// Add puts e into the tree, replacing an entry with the same path (so synthetic files can
// override ones read from a directory), and creates missing parent directories with mode 0755.
// A directory replacing a directory only updates its metadata.
func (t *Tree) Add(e Entry) error {
	p, err := CleanPath(e.Path)
	if err != nil {
		return err
	}
	e.Path = p
	if err := validate(&e); err != nil {
		return err
	}
	if old := t.entries[p]; old != nil && old.Type == Dir && e.Type != Dir && t.hasChildren(p) {
		return fmt.Errorf("%s: cannot replace a non-empty directory with a %s; remove its contents first", p, e.Type)
	}
	if err := t.mkdirAll(path.Dir(p)); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	t.entries[p] = &e
	return nil
}

// Remove deletes an entry and, for a directory, everything below it.
func (t *Tree) Remove(p string) {
	p = path.Clean("/" + p)
	delete(t.entries, p)
	for k := range t.entries {
		if strings.HasPrefix(k, p+"/") {
			delete(t.entries, k)
		}
	}
}

func (t *Tree) hasChildren(dir string) bool {
	for k := range t.entries {
		if strings.HasPrefix(k, dir+"/") {
			return true
		}
	}
	return false
}

func (t *Tree) mkdirAll(dir string) error {
	if dir == "/" {
		return nil
	}
	if e := t.entries[dir]; e != nil {
		if e.Type != Dir {
			return fmt.Errorf("parent %s is a %s, not a directory", dir, e.Type)
		}
		return nil
	}
	if err := t.mkdirAll(path.Dir(dir)); err != nil {
		return err
	}
	t.entries[dir] = &Entry{Path: dir, Type: Dir, Mode: 0o755}
	return nil
}

func validate(e *Entry) error {
	if e.Mode&^0o7777 != 0 {
		return fmt.Errorf("%s: mode %#o has bits outside 07777; the type goes in Type", e.Path, e.Mode)
	}
	if e.UID < 0 || e.GID < 0 {
		return fmt.Errorf("%s: negative owner %d:%d", e.Path, e.UID, e.GID)
	}
	switch e.Type {
	case Dir, CharDev, BlockDev:
	case File:
		if e.Source == "" {
			e.Size = int64(len(e.Data))
		} else if e.Size < 0 {
			return fmt.Errorf("%s: negative size", e.Path)
		}
	case Symlink:
		if e.Target == "" {
			return fmt.Errorf("%s: symlink without a target", e.Path)
		}
		e.Size = int64(len(e.Target))
		e.Mode = 0o777 // what Linux gives every symlink, whatever was asked
	case Hardlink:
		p, err := CleanPath(e.Target)
		if err != nil {
			return fmt.Errorf("%s: hard link target: %w", e.Path, err)
		}
		e.Target = p
	default:
		return fmt.Errorf("%s: unknown entry type %s", e.Path, e.Type)
	}
	return nil
}

// Check verifies what Add cannot see one entry at a time: every hard link names a regular file
// that sorts before it, so that each writer emits the file before its further names.
func (t *Tree) Check() error {
	for _, e := range t.entries {
		if e.Type != Hardlink {
			continue
		}
		target := t.entries[e.Target]
		switch {
		case target == nil:
			return fmt.Errorf("%s: hard link to %s, which is not in the tree", e.Path, e.Target)
		case target.Type != File:
			return fmt.Errorf("%s: hard link to %s, a %s; only regular files can be hard linked", e.Path, e.Target, target.Type)
		case e.Target >= e.Path:
			return fmt.Errorf("%s: hard link to %s, which sorts after it; make %s the file and %s the link", e.Path, e.Target, e.Path, e.Target)
		}
	}
	return nil
}

// Links counts the names of each regular file that has hard links: the file's path maps to
// 1 + the number of hard links to it.
func (t *Tree) Links() map[string]int {
	n := map[string]int{}
	for _, e := range t.entries {
		if e.Type == Hardlink {
			if n[e.Target] == 0 {
				n[e.Target] = 1
			}
			n[e.Target]++
		}
	}
	return n
}

// Graft adds every entry of sub under dir (an absolute path), hard links included: a link's
// target moves with it. dir itself becomes a directory of mode dirMode.
func (t *Tree) Graft(sub *Tree, dir string, dirMode uint32) error {
	if err := t.Add(Entry{Path: dir, Type: Dir, Mode: dirMode}); err != nil {
		return err
	}
	dir = path.Clean("/" + dir)
	for _, e := range sub.Entries() {
		c := *e
		c.Path = dir + e.Path
		if c.Type == Hardlink {
			c.Target = dir + e.Target
		}
		if err := t.Add(c); err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
	}
	return nil
}
