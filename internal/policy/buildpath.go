package policy

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// chunkSize is how much of a file is searched at once; large outputs are streamed, not loaded.
const chunkSize = 1 << 20

// checkBuildPath reports every file (and symlink target) that contains pat, unless a glob of
// allow covers it.
func checkBuildPath(dir string, entries []entry, pat string, allow []string) ([]Violation, error) {
	var bad []Violation
	for _, e := range entries {
		if allowed(e.rel, allow) {
			continue
		}
		p := filepath.Join(dir, e.rel)
		switch e.kind {
		case kindSymlink:
			target, err := os.Readlink(p)
			if err != nil {
				return nil, fmt.Errorf("policy: %w", err)
			}
			if i := strings.Index(target, pat); i >= 0 {
				bad = append(bad, Violation{Path: e.rel, Offset: -1,
					Problem: fmt.Sprintf("symlink to %q points into the build directory %s%s", target, pat, allowHint)})
			}
		case kindFile:
			v, err := scanFile(p, e.rel, pat)
			if err != nil {
				return nil, err
			}
			if v != nil {
				bad = append(bad, *v)
			}
		}
	}
	return bad, nil
}

const allowHint = "; fix the build (e.g. -ffile-prefix-map=/build/src=.) or list the file in the recipe's allow_build_path"

func scanFile(p, rel, pat string) (*Violation, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	defer f.Close()
	off, err := index(f, []byte(pat), chunkSize)
	if err != nil {
		return nil, fmt.Errorf("policy: reading %s: %w", rel, err)
	}
	if off < 0 {
		return nil, nil
	}
	return &Violation{Path: rel, Offset: off,
		Problem: fmt.Sprintf("contains the build directory %s in %s%s", pat, excerpt(f, off, len(pat)), allowHint)}, nil
}

// index returns the offset of the first pat in r, or -1. It reads chunk bytes at a time and
// carries the last len(pat)-1 bytes over, so a match across two reads is still found.
func index(r io.Reader, pat []byte, chunk int) (int64, error) {
	if len(pat) == 0 {
		return 0, nil
	}
	keep := len(pat) - 1
	if chunk < 1 {
		chunk = 1
	}
	buf := make([]byte, keep+chunk)
	carried := 0
	var base int64 // file offset of buf[0]
	for {
		n, err := io.ReadFull(r, buf[carried:])
		data := buf[:carried+n]
		if i := bytes.Index(data, pat); i >= 0 {
			return base + int64(i), nil
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return -1, nil
		}
		if err != nil {
			return -1, err
		}
		c := min(keep, len(data))
		copy(buf, data[len(data)-c:])
		base += int64(len(data) - c)
		carried = c
	}
}

// excerpt quotes a few bytes around a match so the report shows what leaked (a -I flag, a
// __FILE__, an rpath) without dumping binary junk.
func excerpt(f *os.File, off int64, n int) string {
	const around = 24
	start := max(off-around, 0)
	b := make([]byte, int(off-start)+n+around)
	m, _ := f.ReadAt(b, start)
	return strconv.Quote(string(b[:m]))
}

// allowed reports whether rel matches one of the globs: path.Match, or "dir/**" for dir and
// everything below it.
func allowed(rel string, globs []string) bool {
	for _, g := range globs {
		if prefix, ok := strings.CutSuffix(g, "/**"); ok {
			if rel == prefix || strings.HasPrefix(rel, prefix+"/") {
				return true
			}
			continue
		}
		if ok, _ := path.Match(g, rel); ok {
			return true
		}
	}
	return false
}
