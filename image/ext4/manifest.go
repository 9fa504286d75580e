package ext4

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"stalix.dev/stalix-build/image/tree"
)

// Our e2fsprogs (recipes/core/e2fsprogs/manifest.patch) populates the file system from a list,
// `mke2fs -d @MANIFEST`, replaying per entry the calls that -d DIR makes, so nothing is staged:
// staging copied every file (~0.25 s of a 0.75 s write of 100 MB) and needed root for owners
// and device nodes. The patch's mke2fs -V prints manifestMarker; any other mke2fs is given a
// staged directory as before.
const manifestMarker = "(stalix-manifest 1)"

type binKey struct {
	path  string
	size  int64
	mtime int64
}

// manifestSupport caches SupportsManifest per binary, keyed by size and mtime too so a binary
// replaced in place is asked again.
var manifestSupport sync.Map

// SupportsManifest reports whether mke2fs takes -d @MANIFEST in our format, in which case Write
// stages nothing and needs no root.
func SupportsManifest(mke2fs string) bool {
	fi, err := os.Stat(mke2fs)
	if err != nil {
		return false
	}
	k := binKey{mke2fs, fi.Size(), fi.ModTime().UnixNano()}
	if v, ok := manifestSupport.Load(k); ok {
		return v.(bool)
	}
	cmd := exec.Command(mke2fs, "-V")
	cmd.Env = []string{"LC_ALL=C"}
	out, _ := cmd.CombinedOutput() // mke2fs -V prints to stderr; its status says nothing more
	ok := bytes.Contains(out, []byte(manifestMarker))
	manifestSupport.Store(k, ok)
	return ok
}

// visitLess orders paths as mke2fs -d visits a staged tree: depth first, each directory's
// names in strcmp order (alphasort in the C locale). That is byte order with '/' below every
// byte a name can hold, so "/a/b" comes before "/a-c", unlike in Tree.Entries.
func visitLess(a, b string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if x == '/' {
			return true
		}
		if y == '/' {
			return false
		}
		return x < y
	}
	return len(a) < len(b)
}

// writeManifest writes t as a manifest (format in the patch: NUL-terminated fields, records
// in visit order, "u" closing each directory) into work and returns its path. Files held in
// memory are written to work/data first, since mke2fs copies file content from host files.
func writeManifest(t *tree.Tree, work string) (string, error) {
	entries := t.Entries()
	sort.Slice(entries, func(i, j int) bool { return visitLess(entries[i].Path, entries[j].Path) })

	p := filepath.Join(work, "manifest")
	f, err := os.Create(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<16)
	field := func(s ...string) {
		for _, x := range s {
			w.WriteString(x)
			w.WriteByte(0)
		}
	}
	// head starts a record for name with the mode and owner of e, which for a hard link group
	// is the file, whichever name comes first.
	head := func(kind, name string, e *tree.Entry) {
		field(kind, strconv.FormatUint(uint64(e.Mode), 8), strconv.Itoa(e.UID), strconv.Itoa(e.GID), name)
	}

	dirs := []string{"/"}
	// fileNo numbers the f records; a hard link group is keyed by its file's path and made by
	// whichever of its names is visited first, as -d DIR's table of staged inodes does.
	fileNo := map[string]int{}
	data := 0
	for _, e := range entries {
		name := path.Base(e.Path)
		parent := path.Dir(e.Path)
		for len(dirs) > 1 && dirs[len(dirs)-1] != parent {
			field("u")
			dirs = dirs[:len(dirs)-1]
		}
		if dirs[len(dirs)-1] != parent {
			return "", fmt.Errorf("%s: parent directory not in the tree", e.Path)
		}
		switch e.Type {
		case tree.Dir:
			head("d", name, e)
			dirs = append(dirs, e.Path)
		case tree.File, tree.Hardlink:
			key := e.Path
			if e.Type == tree.Hardlink {
				key = e.Target
			}
			if n, ok := fileNo[key]; ok {
				field("h", name, strconv.Itoa(n))
				continue
			}
			file := t.Get(key)
			src, err := source(file, work, &data)
			if err != nil {
				return "", err
			}
			fileNo[key] = len(fileNo)
			head("f", name, file)
			field(src)
		case tree.Symlink:
			if strings.IndexByte(e.Target, 0) >= 0 {
				return "", fmt.Errorf("%s: symlink target holds a NUL byte", e.Path)
			}
			head("l", name, e)
			field(e.Target)
		case tree.CharDev, tree.BlockDev:
			if err := checkDev(e); err != nil {
				return "", err
			}
			kind := "c"
			if e.Type == tree.BlockDev {
				kind = "b"
			}
			head(kind, name, e)
			field(strconv.FormatUint(uint64(e.Major), 10), strconv.FormatUint(uint64(e.Minor), 10))
		default:
			return "", fmt.Errorf("%s: cannot write a %s", e.Path, e.Type)
		}
	}
	for range dirs[1:] {
		field("u")
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	return p, f.Close()
}

// source returns the host file mke2fs copies e's content from, checking a source's size as
// Entry.Open does, or writing in-memory data to work/data/N.
func source(e *tree.Entry, work string, n *int) (string, error) {
	if e.Source == "" {
		dir := filepath.Join(work, "data")
		if *n == 0 {
			if err := os.Mkdir(dir, 0o700); err != nil {
				return "", err
			}
		}
		p := filepath.Join(dir, strconv.Itoa(*n))
		*n++
		return p, os.WriteFile(p, e.Data, 0o600)
	}
	var st unix.Stat_t
	if err := unix.Stat(e.Source, &st); err != nil { // also refuses a path holding a NUL
		return "", fmt.Errorf("%s: stat source: %w", e.Path, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return "", fmt.Errorf("%s: source %s is not a regular file", e.Path, e.Source)
	}
	if st.Size != e.Size {
		return "", fmt.Errorf("%s: source %s changed size from %d to %d since the tree was made; rebuild the tree", e.Path, e.Source, e.Size, st.Size)
	}
	return e.Source, nil
}

// checkDev refuses device numbers that Linux's dev_t (12-bit major, 20-bit minor) cannot hold:
// mknod would store others truncated, and the manifest reader refuses them.
func checkDev(e *tree.Entry) error {
	if e.Major > 0xfff || e.Minor > 0xfffff {
		return fmt.Errorf("%s: device %d:%d out of range: Linux holds majors below 4096 and minors below 1048576", e.Path, e.Major, e.Minor)
	}
	return nil
}
