// Package initramfs writes a tree as the kernel's initramfs: a cpio newc archive, compressed.
//
// The kernel opens /dev/console for PID 1 before /init runs, so the archive must hold that char
// device (5:1). cavaliergopher/cpio writes every device number as 0:0, so device records are
// written by hand (newc.go) into the same stream, between the library's records, in sorted
// order. One archive with one trailer, rather than a second concatenated segment, keeps the
// whole archive visible to `cpio -t` and `bsdtar -t`, which stop at the first trailer.
package initramfs

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/cavaliergopher/cpio"

	"stalix.dev/stalix-build/image/compression"
	"stalix.dev/stalix-build/image/tree"
)

// Console is the device record the writer adds when the tree has no /dev/console.
var Console = tree.Entry{Path: "/dev/console", Type: tree.CharDev, Mode: 0o600, Major: 5, Minor: 1}

// WriteInitramfs writes t as a newc archive compressed with kind ("zstd", "gzip" or "none"), adding /dev and /dev/console when the tree lacks them. It does not close w.
func WriteInitramfs(w io.Writer, t *tree.Tree, kind string) error {
	cw, err := compression.NewWriter(w, kind)
	if err != nil {
		return fmt.Errorf("initramfs: %w", err)
	}
	if err := WriteCPIO(cw, t); err != nil {
		cw.Close()
		return err
	}
	if err := cw.Close(); err != nil {
		return fmt.Errorf("initramfs: compress: %w", err)
	}
	return nil
}

// WriteCPIO writes the uncompressed newc archive of t plus /dev/console; see WriteInitramfs.
func WriteCPIO(w io.Writer, t *tree.Tree) error {
	if err := t.Check(); err != nil {
		return fmt.Errorf("initramfs: %w", err)
	}
	if d := t.Get("/dev"); d != nil && d.Type != tree.Dir {
		return fmt.Errorf("initramfs: /dev is a %s; the kernel needs a directory there for /dev/console", d.Type)
	}
	entries := withConsole(t)
	bw := bufio.NewWriterSize(w, 256<<10)
	cw := cpio.NewWriter(bw)
	mtime := time.Unix(t.Epoch, 0)

	// Inode numbers follow sorted order; the names of one hard-linked file share the file's
	// number and link count, and (as GNU cpio does) only the last name carries the data: the
	// kernel links each later name to the first and writes the body into the shared inode.
	ino := map[string]int64{}
	subdirs := map[string]int{}
	links := t.Links()
	last := map[string]string{}
	for i, e := range entries {
		ino[e.Path] = int64(i + 1)
		if e.Type == tree.Dir {
			subdirs[parent(e.Path)]++
		}
		if e.Type == tree.Hardlink {
			last[e.Target] = e.Path
		}
	}

	for _, e := range entries {
		if err := writeEntry(cw, bw, e, t, ino, subdirs, links, last, mtime); err != nil {
			return fmt.Errorf("initramfs: %s: %w", e.Path, err)
		}
	}
	if err := cw.Close(); err != nil {
		return fmt.Errorf("initramfs: trailer: %w", err)
	}
	return bw.Flush()
}

func writeEntry(cw *cpio.Writer, bw *bufio.Writer, e *tree.Entry, t *tree.Tree, ino map[string]int64,
	subdirs map[string]int, links map[string]int, last map[string]string, mtime time.Time) error {
	switch e.Type {
	case tree.CharDev, tree.BlockDev:
		if err := cw.Flush(); err != nil { // the previous body's padding, before our bytes
			return err
		}
		kind := uint32(cpio.TypeChar)
		if e.Type == tree.BlockDev {
			kind = cpio.TypeBlock
		}
		return writeNewc(bw, newcHeader{
			ino: uint32(ino[e.Path]), mode: kind | e.Mode, uid: uint32(e.UID), gid: uint32(e.GID),
			nlink: 1, mtime: uint32(t.Epoch), rdevMajor: e.Major, rdevMinor: e.Minor, name: e.Name(),
		})
	}

	h := &cpio.Header{Name: e.Name(), Mode: cpio.FileMode(e.Mode), Uid: e.UID, Guid: e.GID,
		ModTime: mtime, Inode: ino[e.Path], Links: 1}
	file := e // the entry whose content and metadata a hard link shares
	switch e.Type {
	case tree.Dir:
		h.Mode |= cpio.TypeDir
		h.Links = 2 + subdirs[e.Path]
	case tree.Symlink:
		h.Mode |= cpio.TypeSymlink
		h.Size = int64(len(e.Target))
	case tree.File, tree.Hardlink:
		if e.Type == tree.Hardlink {
			file = t.Get(e.Target)
			h.Mode, h.Uid, h.Guid, h.Inode = cpio.FileMode(file.Mode), file.UID, file.GID, ino[file.Path]
		}
		h.Mode |= cpio.TypeReg
		if n := links[file.Path]; n > 0 {
			h.Links = n
			if last[file.Path] == e.Path {
				h.Size = file.Size
			}
		} else {
			h.Size = file.Size
		}
		if h.Size > 1<<32-1 {
			return fmt.Errorf("%d bytes is more than newc's 4 GiB limit", h.Size)
		}
	}
	if err := cw.WriteHeader(h); err != nil {
		return err
	}
	switch {
	case e.Type == tree.Symlink:
		_, err := io.WriteString(cw, e.Target)
		return err
	case h.Size > 0:
		r, err := file.Open()
		if err != nil {
			return err
		}
		defer r.Close()
		n, err := io.Copy(cw, r)
		if err == nil && n != h.Size {
			err = fmt.Errorf("read %d of %d bytes", n, h.Size)
		}
		return err
	}
	return nil
}

// withConsole returns the tree's entries plus /dev and /dev/console where missing, sorted.
func withConsole(t *tree.Tree) []*tree.Entry {
	entries := t.Entries()
	if t.Get("/dev") == nil {
		entries = append(entries, &tree.Entry{Path: "/dev", Type: tree.Dir, Mode: 0o755})
	}
	if t.Get(Console.Path) == nil {
		c := Console
		entries = append(entries, &c)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
	return entries
}

func parent(p string) string {
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return "/"
}
