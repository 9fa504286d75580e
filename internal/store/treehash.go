package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Entry is one member of a tree as a content hash sees it.
type Entry struct {
	Rel    string // relative to the root, "." for the root itself
	Mode   fs.FileMode
	Target string // a symlink's target
	SHA256 string // a regular file's content
	Size   int64  // a regular file's size
}

// Walk calls fn for every entry of dir in sorted path order, a directory
// before what it holds, with each regular file's sha256. skip, when set,
// leaves an entry out (and, for a directory, all below it).
func Walk(dir string, skip func(rel string) bool, fn func(Entry) error) error {
	return filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if skip != nil && rel != "." && skip(rel) {
			if de.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := de.Info()
		if err != nil {
			return err
		}
		e := Entry{Rel: rel, Mode: info.Mode()}
		switch {
		case e.Mode&fs.ModeSymlink != 0:
			if e.Target, err = os.Readlink(p); err != nil {
				return err
			}
		case e.Mode.IsRegular():
			if e.SHA256, err = FileSHA256(p); err != nil {
				return err
			}
			e.Size = info.Size()
		}
		return fn(e)
	})
}

// TreeHash hashes a directory tree over a canonical encoding: entries in
// sorted path order, each with its type, permission bits, and the sha256 of
// its content or its link target. Times and owners are left out, since the
// output policy fixes them.
func TreeHash(dir string) (string, int64, error) {
	h := sha256.New()
	var size int64
	err := Walk(dir, nil, func(e Entry) error {
		switch {
		case e.Mode.IsDir():
			fmt.Fprintf(h, "d %q %o\n", e.Rel, e.Mode.Perm())
		case e.Mode&fs.ModeSymlink != 0:
			fmt.Fprintf(h, "l %q %q\n", e.Rel, e.Target)
		case e.Mode.IsRegular():
			size += e.Size
			fmt.Fprintf(h, "f %q %o %d %s\n", e.Rel, e.Mode.Perm(), e.Size, e.SHA256)
		default:
			fmt.Fprintf(h, "o %q %v\n", e.Rel, e.Mode)
		}
		return nil
	})
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

// FileSHA256 is the hex sha256 of a file's content.
func FileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
