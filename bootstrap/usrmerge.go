package bootstrap

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// mergedTops are the top-level directories Debian bookworm packages still
// ship files in, which a merged-/usr system keeps as links into /usr.
var mergedTops = []string{"bin", "sbin", "lib", "lib32", "lib64", "libx32"}

// alwaysLinked get a top-level link even when no package used them: the
// ELF interpreter is /lib64/ld-linux-x86-64.so.2 and #! lines say /bin/sh.
var alwaysLinked = map[string]bool{"bin": true, "sbin": true, "lib": true, "lib64": true}

// MergeUsr moves dest/bin, dest/sbin and dest/lib* under dest/usr and
// replaces them with links (bin -> usr/bin, ...), so that absolute paths
// such as /lib64/ld-linux-x86-64.so.2 resolve when dest is mounted as a
// root. Relative symlinks that would point elsewhere from their new place
// are rewritten; a file present in both places with different content is
// an error.
func MergeUsr(dest string) error {
	for _, top := range mergedTops {
		src := filepath.Join(dest, top)
		fi, err := os.Lstat(src)
		switch {
		case os.IsNotExist(err):
			if !alwaysLinked[top] {
				continue
			}
		case err != nil:
			return fmt.Errorf("usr-merge: %w", err)
		case fi.Mode()&fs.ModeSymlink != 0:
			if l, _ := os.Readlink(src); l == "usr/"+top {
				continue
			}
			return fmt.Errorf("usr-merge: /%s is a symlink to somewhere other than usr/%s", top, top)
		case fi.IsDir():
			if err := relinkTree(dest, top); err != nil {
				return err
			}
			if err := mergeDir(src, filepath.Join(dest, "usr", top), "/"+top); err != nil {
				return err
			}
			if err := os.Remove(src); err != nil {
				return fmt.Errorf("usr-merge: %w", err)
			}
		default:
			return fmt.Errorf("usr-merge: /%s is a file", top)
		}
		if err := os.MkdirAll(filepath.Join(dest, "usr", top), 0o755); err != nil {
			return fmt.Errorf("usr-merge: %w", err)
		}
		if err := os.Symlink("usr/"+top, src); err != nil {
			return fmt.Errorf("usr-merge: %w", err)
		}
	}
	return nil
}

// merged maps an absolute path of the unmerged layout to the merged one.
func merged(p string) string {
	for _, top := range mergedTops {
		if p == "/"+top || strings.HasPrefix(p, "/"+top+"/") {
			return "/usr" + p
		}
	}
	return p
}

// relinkTree rewrites the relative symlinks under dest/top whose meaning
// would change once they live under dest/usr/top.
func relinkTree(dest, top string) error {
	return filepath.WalkDir(filepath.Join(dest, top), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return err
		}
		target, err := os.Readlink(p)
		if err != nil || path.IsAbs(target) {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		oldDir := "/" + path.Dir(filepath.ToSlash(rel))
		newDir := "/usr" + oldDir
		want := merged(path.Join(oldDir, target))
		if merged(path.Join(newDir, target)) == want {
			return nil
		}
		nt, err := filepath.Rel(newDir, want)
		if err != nil {
			return err
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		return os.Symlink(nt, p)
	})
}

// mergeDir moves everything in src into dst. name is src's path in the
// seed, for errors.
func mergeDir(src, dst, name string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("usr-merge: %w", err)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return fmt.Errorf("usr-merge: %w", err)
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	for _, e := range ents {
		s, d := filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())
		sfi, err := os.Lstat(s)
		if err != nil {
			return fmt.Errorf("usr-merge: %w", err)
		}
		dfi, err := os.Lstat(d)
		if os.IsNotExist(err) {
			if err := os.Rename(s, d); err != nil {
				return fmt.Errorf("usr-merge: %w", err)
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("usr-merge: %w", err)
		}
		if sfi.IsDir() && dfi.IsDir() {
			if err := mergeDir(s, d, name+"/"+e.Name()); err != nil {
				return err
			}
			if err := os.Remove(s); err != nil {
				return fmt.Errorf("usr-merge: %w", err)
			}
			continue
		}
		if !same(s, d, sfi, dfi) {
			return fmt.Errorf("usr-merge: %s and /usr%s both exist and differ; two packages of the seed ship the same file", name+"/"+e.Name(), name+"/"+e.Name())
		}
		if err := os.Remove(s); err != nil {
			return fmt.Errorf("usr-merge: %w", err)
		}
	}
	return nil
}

// same reports whether two entries are interchangeable: links with one
// target, or regular files with one content.
func same(a, b string, afi, bfi fs.FileInfo) bool {
	if afi.Mode().Type() != bfi.Mode().Type() {
		return false
	}
	if afi.Mode()&fs.ModeSymlink != 0 {
		la, _ := os.Readlink(a)
		lb, _ := os.Readlink(b)
		return la == lb
	}
	if !afi.Mode().IsRegular() || afi.Size() != bfi.Size() {
		return false
	}
	ba, err1 := os.ReadFile(a)
	bb, err2 := os.ReadFile(b)
	return err1 == nil && err2 == nil && bytes.Equal(ba, bb)
}
