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

// Line is the entry's line in the content hash's encoding. The binary
// cache's archive is made of these lines, so its headers alone give the
// content hash of what it unpacks to.
func (e Entry) Line() string {
	rel := filepath.ToSlash(e.Rel)
	switch {
	case e.Mode.IsDir():
		return fmt.Sprintf("d %q %o\n", rel, e.Mode.Perm())
	case e.Mode&fs.ModeSymlink != 0:
		return fmt.Sprintf("l %q %q\n", rel, e.Target)
	case e.Mode.IsRegular():
		return fmt.Sprintf("f %q %o %d %s\n", rel, e.Mode.Perm(), e.Size, e.SHA256)
	}
	return fmt.Sprintf("o %q %v\n", rel, e.Mode)
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
		size += e.Size
		_, err := io.WriteString(h, e.Line())
		return err
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
