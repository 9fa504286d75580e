package srctree

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/zstd"

	"stalix.dev/stalix-build/internal/store"
	"stalix.dev/stalix-build/internal/unpack"
)

// WriteTar writes root as a plain tar in the tree's own terms: the walk's
// order, no top directory, modes 0755 or 0644 (0777 for links), owner 0,
// time 0. Unpacking it gives back a tree with the same hash.
func WriteTar(w io.Writer, root string) error {
	tw := tar.NewWriter(w)
	err := walk(root, func(e store.Entry) error {
		hdr := &tar.Header{Name: filepath.ToSlash(e.Rel), ModTime: time.Unix(0, 0), Mode: 0o644}
		switch {
		case e.Mode.IsDir():
			hdr.Typeflag, hdr.Name, hdr.Mode = tar.TypeDir, hdr.Name+"/", 0o755
		case e.Mode&fs.ModeSymlink != 0:
			hdr.Typeflag, hdr.Linkname, hdr.Mode = tar.TypeSymlink, e.Target, 0o777
		default:
			hdr.Typeflag, hdr.Size = tar.TypeReg, e.Size
			if executable(e.Mode) {
				hdr.Mode = 0o755
			}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil
		}
		return copyFile(tw, filepath.Join(root, e.Rel), e.Size)
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// copyFile copies exactly size bytes, so a file that changed since it was
// hashed fails the write rather than the tar.
func copyFile(w io.Writer, p string, size int64) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := io.Copy(w, io.LimitReader(f, size+1))
	if err == nil && n != size {
		err = fmt.Errorf("%s changed while it was archived", p)
	}
	return err
}

// WriteArchive writes the canonical archive of root: WriteTar compressed
// with zstd under fixed options (one encoder thread, as the image writers
// use). The bytes are stable for one zstd version; nothing depends on
// that, since a tree is always checked by its hash.
func WriteArchive(w io.Writer, root string) error {
	z, err := zstd.NewWriter(w,
		zstd.WithEncoderLevel(zstd.SpeedDefault),
		zstd.WithEncoderConcurrency(1),
		zstd.WithEncoderCRC(true),
		zstd.WithWindowSize(8<<20))
	if err != nil {
		return err
	}
	if err := WriteTar(z, root); err != nil {
		z.Close()
		return err
	}
	return z.Close()
}

// Auto asks Extract to leave out a single top directory, as forges' and
// release tarballs have (seatd-0.7.0/), and nothing when there is none.
const Auto = -1

// Extract unpacks archive (a tar, plain or compressed) into dir with the
// unpacker the builds use, and returns the tree's root: dir itself, or,
// with strip Auto and a single directory at the top, that directory,
// whose name is returned as top.
func Extract(archive, dir string, strip int) (root, top string, err error) {
	n := strip
	if n == Auto {
		n = 0
	}
	if err := unpack.Tar(archive, dir, n); err != nil {
		return "", "", err
	}
	if strip != Auto {
		return dir, "", nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", "", err
	}
	if len(ents) == 1 && ents[0].Type().IsDir() {
		return filepath.Join(dir, ents[0].Name()), ents[0].Name(), nil
	}
	return dir, "", nil
}
