package check

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cavaliergopher/cpio"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// ImageResult is the verdict for one image written twice.
type ImageResult struct {
	Name      string     `json:"name"`
	Identical bool       `json:"identical"`
	Offset    int64      `json:"first_difference,omitempty"`
	Files     []FileDiff `json:"differing_files,omitempty"`
	Note      string     `json:"note,omitempty"`
}

// CompareImages compares every file of dir a with its namesake in b.
func CompareImages(a, b string) ([]ImageResult, error) {
	des, err := os.ReadDir(a)
	if err != nil {
		return nil, err
	}
	var out []ImageResult
	for _, de := range des {
		name := de.Name()
		if !de.Type().IsRegular() || name == "SHA256SUMS" {
			continue
		}
		pa, pb := filepath.Join(a, name), filepath.Join(b, name)
		same, off, err := SameFile(pa, pb)
		if err != nil {
			return nil, err
		}
		r := ImageResult{Name: name, Identical: same}
		if !same {
			r.Offset = off
			r.Files, r.Note = inside(pa, pb, off)
		}
		out = append(out, r)
	}
	return out, nil
}

// inside explains a difference in terms of the archive's members when the
// image is an archive, and by byte offset otherwise.
func inside(a, b string, off int64) ([]FileDiff, string) {
	switch {
	case strings.Contains(a, ".cpio."), strings.Contains(a, ".tar."):
		ma, errA := members(a)
		mb, errB := members(b)
		if err := errors.Join(errA, errB); err != nil {
			return nil, fmt.Sprintf("first difference at byte %d; members unreadable: %v", off, err)
		}
		return diffMembers(ma, mb), ""
	}
	return nil, fmt.Sprintf("first difference at byte %d of the image", off)
}

type member struct {
	header string
	data   []byte
}

// members reads a compressed cpio or tar into name -> header and content.
func members(path string) (map[string]member, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader
	switch {
	case strings.HasSuffix(path, ".zst"):
		d, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, err
		}
		defer d.Close()
		r = d
	case strings.HasSuffix(path, ".gz"):
		g, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		r = g
	default:
		r = f
	}
	m := map[string]member{}
	if strings.Contains(path, ".cpio.") {
		cr := cpio.NewReader(r)
		for {
			h, err := cr.Next()
			if err == io.EOF {
				return m, nil
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			data, err := io.ReadAll(cr)
			if err != nil {
				return nil, fmt.Errorf("%s: member %s: %w", path, h.Name, err)
			}
			m[h.Name] = member{fmt.Sprintf("mode %o uid %d gid %d link %q mtime %d", h.Mode, h.Uid, h.Guid, h.Linkname, h.ModTime.Unix()), data}
		}
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return m, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: member %s: %w", path, h.Name, err)
		}
		m[h.Name] = member{fmt.Sprintf("type %c mode %o uid %d gid %d link %q mtime %d", h.Typeflag, h.Mode, h.Uid, h.Gid, h.Linkname, h.ModTime.Unix()), data}
	}
}

func diffMembers(a, b map[string]member) []FileDiff {
	var out []FileDiff
	for _, n := range unionKeys(a, b) {
		ma, okA := a[n]
		mb, okB := b[n]
		d := FileDiff{Path: n, SizeA: int64(len(ma.data)), SizeB: int64(len(mb.data)), Offset: -1}
		switch {
		case !okA:
			d.Note = "only in the second image"
		case !okB:
			d.Note = "only in the first image"
		case ma.header != mb.header:
			d.Note = ma.header + " vs " + mb.header
		case !bytes.Equal(ma.data, mb.data):
			d.Offset = firstByte(ma.data, mb.data)
		default:
			continue
		}
		out = append(out, d)
	}
	return out
}

func firstByte(a, b []byte) int64 {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return int64(i)
		}
	}
	return int64(min(len(a), len(b)))
}
