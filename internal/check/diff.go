// Package check rebuilds outputs under changed conditions and explains
// where two builds differ.
package check

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// FileDiff is one path that differs between two trees.
type FileDiff struct {
	Path   string `json:"path"`
	SizeA  int64  `json:"size_a"`
	SizeB  int64  `json:"size_b"`
	HashA  string `json:"sha256_a,omitempty"`
	HashB  string `json:"sha256_b,omitempty"`
	Offset int64  `json:"first_difference"` // -1 when only one side has the path or kinds differ
	Note   string `json:"note,omitempty"`
	// ELF is set when both sides are ELF files: where inside them they differ.
	ELF      *ELFDiff `json:"elf,omitempty"`
	ELFError string   `json:"elf_error,omitempty"`
}

type info struct {
	mode   fs.FileMode
	size   int64
	target string
}

func scan(root string) (map[string]info, error) {
	m := map[string]info{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		in := info{mode: fi.Mode(), size: fi.Size()}
		if fi.Mode()&fs.ModeSymlink != 0 {
			in.target, _ = os.Readlink(p)
		}
		m[rel] = in
		return nil
	})
	return m, err
}

// CompareTrees lists every path whose kind, mode, link target or content
// differs between a and b, in path order.
func CompareTrees(a, b string) ([]FileDiff, error) {
	ma, err := scan(a)
	if err != nil {
		return nil, err
	}
	mb, err := scan(b)
	if err != nil {
		return nil, err
	}
	var out []FileDiff
	for _, p := range unionKeys(ma, mb) {
		ia, okA := ma[p]
		ib, okB := mb[p]
		d := FileDiff{Path: p, SizeA: ia.size, SizeB: ib.size, Offset: -1}
		switch {
		case !okA:
			d.Note = "only in the second build"
		case !okB:
			d.Note = "only in the first build"
		case ia.mode != ib.mode:
			d.Note = "mode " + ia.mode.String() + " vs " + ib.mode.String()
		case ia.mode&fs.ModeSymlink != 0:
			if ia.target == ib.target {
				continue
			}
			d.Note = "link " + ia.target + " vs " + ib.target
		case ia.mode.IsRegular():
			off, ha, hb, err := firstDifference(filepath.Join(a, p), filepath.Join(b, p))
			if err != nil {
				return nil, err
			}
			if off < 0 {
				continue
			}
			d.Offset, d.HashA, d.HashB = off, ha, hb
			// A malformed ELF is a finding about the file, not a reason to stop comparing.
			if d.ELF, err = ExplainELF(filepath.Join(a, p), filepath.Join(b, p)); err != nil {
				d.ELFError = err.Error()
			}
		default:
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// firstDifference returns the first differing byte offset (-1 if equal)
// and both files' sha256.
func firstDifference(a, b string) (int64, string, string, error) {
	fa, err := os.Open(a)
	if err != nil {
		return 0, "", "", err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return 0, "", "", err
	}
	defer fb.Close()
	ha, hb := sha256.New(), sha256.New()
	ra := bufio.NewReaderSize(io.TeeReader(fa, ha), 1<<16)
	rb := bufio.NewReaderSize(io.TeeReader(fb, hb), 1<<16)
	off := int64(-1)
	var pos int64
	bufA, bufB := make([]byte, 1<<16), make([]byte, 1<<16)
	for {
		na, errA := io.ReadFull(ra, bufA)
		nb, errB := io.ReadFull(rb, bufB)
		if off < 0 {
			n := min(na, nb)
			for i := 0; i < n; i++ {
				if bufA[i] != bufB[i] {
					off = pos + int64(i)
					break
				}
			}
			if off < 0 && na != nb {
				off = pos + int64(n)
			}
		}
		pos += int64(max(na, nb))
		if errA != nil && errB != nil {
			break
		}
	}
	sa, sb := hex.EncodeToString(ha.Sum(nil)), hex.EncodeToString(hb.Sum(nil))
	if off < 0 && sa != sb {
		off = 0
	}
	return off, sa, sb, nil
}

// SameFile reports whether two files hold the same bytes, and if not the
// first differing offset.
func SameFile(a, b string) (bool, int64, error) {
	off, _, _, err := firstDifference(a, b)
	return off < 0, off, err
}

// unionKeys lists the keys of both maps once each, sorted, so reports come
// out in the same order every time.
func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
