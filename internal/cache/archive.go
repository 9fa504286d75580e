// Package cache is the shared binary cache: store entries as canonical
// archives, signed records that name them, and the two places that hold
// them (an HTTP server speaking Bazel's remote-cache protocol, or a
// directory), with a substituter that puts a found entry into the store.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"stalix.dev/stalix-build/internal/store"
)

// The archive of one store entry is the store's content-hash encoding with
// the content in it: a magic line, then every entry's line in the order the
// content hash walks them (store.Entry.Line), each regular file's line
// followed by exactly its bytes, a hard link as an "h" line naming the
// first path of its file, and a trailer that counts entries and bytes. No
// times, owners or host paths are in it, so one tree has one archive, and
// the hash of the lines alone (an "h" read as the "f" line it links to) is
// the tree's content hash.
const (
	magic   = "stalix-archive 1\n"
	maxLine = 1 << 16
)

// Summary is what an archive holds, as a writer or reader counted it.
type Summary struct {
	ContentHash string // store.TreeHash of the tree
	Size        int64  // bytes of regular files, hard links counted each time
	Entries     int
	SHA256      string // of the archive's bytes
}

// summer counts an archive's bytes, entries and content hash as they pass.
type summer struct {
	tree, all hash.Hash
	n         Summary
}

func newSummer() *summer { return &summer{tree: sha256.New(), all: sha256.New()} }

// entry accounts for one entry of the tree.
func (s *summer) entry(e store.Entry) {
	io.WriteString(s.tree, e.Line())
	s.n.Size += e.Size
	s.n.Entries++
}

func (s *summer) summary() Summary {
	n := s.n
	n.ContentHash = hex.EncodeToString(s.tree.Sum(nil))
	n.SHA256 = hex.EncodeToString(s.all.Sum(nil))
	return n
}

func hardLine(path, first string) string { return fmt.Sprintf("h %q %q\n", path, first) }

func trailer(n Summary) string { return fmt.Sprintf("end %d %d\n", n.Entries, n.Size) }

// WriteArchive writes the archive of the tree at dir to w. Anything but
// directories, regular files and symlinks, and any mode bit beyond the
// permission bits, is refused: the content hash could not tell it apart.
func WriteArchive(w io.Writer, dir string) (Summary, error) {
	s := newSummer()
	out := io.MultiWriter(w, s.all)
	if _, err := io.WriteString(out, magic); err != nil {
		return Summary{}, err
	}
	type inode struct{ dev, ino uint64 }
	first := map[inode]string{}
	err := store.Walk(dir, nil, func(e store.Entry) error {
		host := filepath.Join(dir, e.Rel)
		kind := e.Mode.Type() &^ fs.ModeDir &^ fs.ModeSymlink
		if kind != 0 || e.Mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) != 0 {
			return fmt.Errorf("%s: %v: an archive holds directories, files and symlinks with permission bits only", host, e.Mode)
		}
		s.entry(e)
		if !e.Mode.IsRegular() {
			_, err := io.WriteString(out, e.Line())
			return err
		}
		rel := filepath.ToSlash(e.Rel)
		if fi, err := os.Lstat(host); err != nil {
			return err
		} else if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
			k := inode{uint64(st.Dev), uint64(st.Ino)}
			if p, seen := first[k]; seen {
				_, err := io.WriteString(out, hardLine(rel, p))
				return err
			}
			first[k] = rel
		}
		if _, err := io.WriteString(out, e.Line()); err != nil {
			return err
		}
		return copyFile(out, host, e.Size)
	})
	if err != nil {
		return Summary{}, err
	}
	if _, err := io.WriteString(out, trailer(s.n)); err != nil {
		return Summary{}, err
	}
	return s.summary(), nil
}

// copyFile writes exactly size bytes of host: a file that changed size
// since it was hashed would break the framing.
func copyFile(w io.Writer, host string, size int64) error {
	f, err := os.Open(host)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := io.Copy(w, io.LimitReader(f, size+1))
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("%s changed while being archived (%d bytes, was %d)", host, n, size)
	}
	return nil
}
