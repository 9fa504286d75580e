package store

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// CopyFrom puts src's entry base into s unchanged: a check that rebuilt
// only some packages still composes its second image in its own store.
func (s *Store) CopyFrom(src *Store, base string) error {
	m, err := src.ReadManifest(base)
	if err != nil {
		return err
	}
	txn, err := s.Begin(base)
	if err != nil {
		return err
	}
	if txn.Done() {
		txn.Abort()
		return nil
	}
	if err := copyTree(src.Path(base), txn.Out); err != nil {
		txn.Abort()
		return fmt.Errorf("copy %s: %w", base, err)
	}
	return txn.Commit(*m)
}

// copyTree copies files, directories and links with their permission
// bits; directories are made writable while filling and sealed after.
func copyTree(from, to string) error {
	var dirs []string
	var modes []fs.FileMode
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			dirs, modes = append(dirs, dst), append(modes, fi.Mode().Perm())
			return os.MkdirAll(dst, 0o755)
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		case fi.Mode().IsRegular():
			in, err := os.Open(p)
			if err != nil {
				return err
			}
			defer in.Close()
			out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, fi.Mode().Perm()|0o200)
			if err != nil {
				return err
			}
			if _, err := io.Copy(out, in); err != nil {
				out.Close()
				return err
			}
			if err := out.Close(); err != nil {
				return err
			}
			return os.Chmod(dst, fi.Mode().Perm())
		}
		return fmt.Errorf("%s: cannot copy a %v", p, fi.Mode().Type())
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := os.Chmod(dirs[i], modes[i]); err != nil {
			return err
		}
	}
	return nil
}
