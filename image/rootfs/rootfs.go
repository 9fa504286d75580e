// Package rootfs writes a tree as a compressed tar archive (the rootfs tarball).
//
// The format is PAX, fixed, so long names and large ids have one encoding; names carry no
// leading "/" or "./", directories end in "/", owner names are left empty so that only numeric
// ids (fixed by the tree) go in.
package rootfs

import (
	"archive/tar"
	"bufio"
	"fmt"
	"io"
	"time"

	"stalix.dev/stalix-build/image/compression"
	"stalix.dev/stalix-build/image/tree"
)

// WriteTar writes t as a tar archive compressed with kind ("zstd", "gzip" or "none"). It does
// not close w.
func WriteTar(w io.Writer, t *tree.Tree, kind string) error {
	if err := t.Check(); err != nil {
		return fmt.Errorf("rootfs tar: %w", err)
	}
	cw, err := compression.NewWriter(w, kind)
	if err != nil {
		return fmt.Errorf("rootfs tar: %w", err)
	}
	bw := bufio.NewWriterSize(cw, 256<<10)
	tw := tar.NewWriter(bw)
	mtime := time.Unix(t.Epoch, 0)
	for _, e := range t.Entries() {
		if err := writeEntry(tw, e, t, mtime); err != nil {
			cw.Close()
			return fmt.Errorf("rootfs tar: %s: %w", e.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		cw.Close()
		return fmt.Errorf("rootfs tar: %w", err)
	}
	if err := bw.Flush(); err != nil {
		cw.Close()
		return fmt.Errorf("rootfs tar: %w", err)
	}
	if err := cw.Close(); err != nil {
		return fmt.Errorf("rootfs tar: compress: %w", err)
	}
	return nil
}

func writeEntry(tw *tar.Writer, e *tree.Entry, t *tree.Tree, mtime time.Time) error {
	h := &tar.Header{Name: e.Name(), Mode: int64(e.Mode), Uid: e.UID, Gid: e.GID,
		ModTime: mtime, Format: tar.FormatPAX}
	switch e.Type {
	case tree.Dir:
		h.Typeflag, h.Name = tar.TypeDir, h.Name+"/"
	case tree.File:
		h.Typeflag, h.Size = tar.TypeReg, e.Size
	case tree.Symlink:
		h.Typeflag, h.Linkname = tar.TypeSymlink, e.Target
	case tree.Hardlink:
		f := t.Get(e.Target)
		h.Typeflag, h.Linkname = tar.TypeLink, f.Name()
		h.Mode, h.Uid, h.Gid = int64(f.Mode), f.UID, f.GID
	case tree.CharDev, tree.BlockDev:
		h.Typeflag = tar.TypeChar
		if e.Type == tree.BlockDev {
			h.Typeflag = tar.TypeBlock
		}
		h.Devmajor, h.Devminor = int64(e.Major), int64(e.Minor)
	default:
		return fmt.Errorf("cannot write a %s", e.Type)
	}
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	if h.Typeflag != tar.TypeReg || h.Size == 0 {
		return nil
	}
	r, err := e.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	n, err := io.Copy(tw, r)
	if err == nil && n != h.Size {
		err = fmt.Errorf("read %d of %d bytes", n, h.Size)
	}
	return err
}
