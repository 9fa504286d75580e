// Package srctree names a source tree by its content. A git source is
// pinned by the hash of its files, not of any archive of them, so a clone,
// a forge's tarball and a mirror's copy all count as the same source when
// they hold the same files.
package srctree

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"

	"stalix.dev/stalix-build/internal/store"
)

// Hash is the tree hash of the directory root: the sha256 of one line per
// entry below root, in sorted path order, as store.TreeHash walks it, but
// with git's view of a file: a directory has no mode, a file is executable
// or not, a symlink is its target. That is all git records, so a checkout
// (whose modes follow the umask), `git archive` (which writes 0664 or
// 0775) and a forge's tarball agree. The root's own name, times and owners
// are left out, and so is anything called .git, which git never tracks.
func Hash(root string) (string, error) {
	h := sha256.New()
	err := walk(root, func(e store.Entry) error {
		_, err := fmt.Fprintln(h, line(e))
		return err
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

var hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Valid reports whether s looks like a tree hash.
func Valid(s string) bool { return hashRE.MatchString(s) }

// line is an entry's part of the encoding.
func line(e store.Entry) string {
	rel := filepath.ToSlash(e.Rel)
	switch {
	case e.Mode.IsDir():
		return fmt.Sprintf("d %q", rel)
	case e.Mode&fs.ModeSymlink != 0:
		return fmt.Sprintf("l %q %q", rel, e.Target)
	case executable(e.Mode):
		return fmt.Sprintf("x %q %d %s", rel, e.Size, e.SHA256)
	}
	return fmt.Sprintf("f %q %d %s", rel, e.Size, e.SHA256)
}

// executable is git's rule: the owner's execute bit decides.
func executable(m fs.FileMode) bool { return m&0o100 != 0 }

// walk visits root's entries but root itself and .git, refusing what git
// cannot hold.
func walk(root string, fn func(store.Entry) error) error {
	return store.Walk(root, func(rel string) bool { return filepath.Base(rel) == ".git" }, func(e store.Entry) error {
		if e.Rel == "." {
			return nil
		}
		if !e.Mode.IsDir() && !e.Mode.IsRegular() && e.Mode&fs.ModeSymlink == 0 {
			return fmt.Errorf("%s: %s is a %v; a source tree holds only files, directories and symlinks", root, e.Rel, e.Mode.Type())
		}
		return fn(e)
	})
}
