package cache

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"stalix.dev/stalix-build/internal/store"
)

// Limits bound what one archive may make: it comes from the network.
type Limits struct {
	// MaxSize is the most file bytes it may write (the signed size).
	MaxSize int64
	// MaxArchive is the most archive bytes it may read (the signed
	// archive size): a few compressed bytes could otherwise expand into
	// millions of entries.
	MaxArchive int64
	// Epoch is the time every entry gets, as the output policy gives a
	// local build's.
	Epoch int64
}

// Extract unpacks an archive into dest, an empty directory, and returns
// what it held. It is a parser of untrusted input and refuses, naming the
// line: anything out of canonical form (so an accepted archive is the one
// WriteArchive makes of the result), a path that is absolute, has "." or
// ".." components or a parent that is not a directory made earlier, a
// symlink whose target climbs out of the entry, a hard link to anything but
// a file made earlier, devices and other kinds, content that does not match
// its sha256, and trailing bytes. On an error dest holds a part of the tree:
// the caller drops it (a store transaction does).
func Extract(r io.Reader, dest string, lim Limits) (Summary, error) {
	root, err := os.OpenRoot(dest)
	if err != nil {
		return Summary{}, err
	}
	defer root.Close()
	x := &extractor{
		br: bufio.NewReaderSize(&capped{r: r, left: lim.MaxArchive}, maxLine), root: root, lim: lim, s: newSummer(),
		files: map[string]store.Entry{}, dirs: map[string]bool{},
	}
	if err := x.run(); err != nil {
		return Summary{}, fmt.Errorf("archive line %d: %w", x.line, err)
	}
	if err := x.seal(dest); err != nil {
		return Summary{}, err
	}
	return x.s.summary(), nil
}

type extractor struct {
	br    *bufio.Reader
	root  *os.Root
	lim   Limits
	s     *summer
	line  int
	prev  []string // the previous path's components, for the order
	files map[string]store.Entry
	dirs  map[string]bool
	made  []store.Entry // in archive order, for seal
}

// next reads one line, newline included, into the archive's hash.
func (x *extractor) next() (string, error) {
	x.line++
	b, err := x.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return "", errors.New("line too long")
	}
	if errors.Is(err, io.EOF) {
		return "", errors.New("archive ends early (truncated?)")
	}
	if err != nil {
		return "", err
	}
	x.s.all.Write(b)
	return string(b), nil
}

func (x *extractor) run() error {
	l, err := x.next()
	if err != nil {
		return err
	}
	if l != magic {
		return errors.New("not a stalix archive (bad magic line)")
	}
	for {
		l, err := x.next()
		if err != nil {
			return err
		}
		if strings.HasPrefix(l, "end ") {
			return x.end(l)
		}
		if err := x.record(l); err != nil {
			return err
		}
	}
}

// end checks the trailer's counts and that nothing follows it.
func (x *extractor) end(l string) error {
	if x.s.n.Entries == 0 {
		return errors.New("archive has no root directory")
	}
	if l != trailer(x.s.n) {
		return fmt.Errorf("trailer %q, but read %d entries and %d bytes", strings.TrimSpace(l), x.s.n.Entries, x.s.n.Size)
	}
	if _, err := x.br.ReadByte(); err != io.EOF {
		return errors.New("bytes after the trailer")
	}
	return nil
}

func (x *extractor) record(l string) error {
	if len(l) < 3 || l[1] != ' ' {
		return fmt.Errorf("malformed line %q", l)
	}
	kind := l[0]
	p, rest, err := quoted(l[2:])
	if err != nil {
		return err
	}
	comps, err := x.place(p, kind)
	if err != nil {
		return fmt.Errorf("%q: %w", p, err)
	}
	e := store.Entry{Rel: p}
	switch kind {
	case 'd':
		e.Mode, err = perm(rest)
		e.Mode |= fs.ModeDir
	case 'f':
		err = fileFields(rest, &e)
	case 'l':
		e.Mode = fs.ModeSymlink | 0o777
		e.Target, rest, err = quoted(rest)
		if err == nil && rest != "\n" {
			err = fmt.Errorf("malformed line %q", l)
		}
	case 'h':
		return x.hardlink(l, p, rest)
	default:
		return fmt.Errorf("%q: kind %q refused: an entry holds directories, files and symlinks", p, kind)
	}
	if err != nil {
		return fmt.Errorf("%q: %w", p, err)
	}
	if e.Line() != l {
		return fmt.Errorf("%q: not in canonical form: %q", p, l)
	}
	switch kind {
	case 'd':
		err = x.dir(e, comps)
	case 'f':
		err = x.file(e)
	case 'l':
		err = x.symlink(e, comps)
	}
	if err != nil {
		return fmt.Errorf("%q: %w", p, err)
	}
	x.s.entry(e)
	x.made = append(x.made, e)
	return nil
}

// quoted splits a Go-quoted string off the front of s, and the space after it.
func quoted(s string) (string, string, error) {
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", "", fmt.Errorf("malformed quoted string in %q", s)
	}
	v, _ := strconv.Unquote(q)
	rest := s[len(q):]
	if strings.HasPrefix(rest, " ") {
		rest = rest[1:]
	}
	return v, rest, nil
}

func perm(s string) (fs.FileMode, error) {
	v, err := strconv.ParseUint(strings.TrimSuffix(s, "\n"), 8, 32)
	if err != nil || v > 0o777 {
		return 0, fmt.Errorf("bad permission bits %q", strings.TrimSpace(s))
	}
	return fs.FileMode(v), nil
}

// fileFields parses "perm size sha256\n".
func fileFields(s string, e *store.Entry) error {
	f := strings.Fields(s)
	if len(f) != 3 {
		return fmt.Errorf("malformed file line")
	}
	var err error
	if e.Mode, err = perm(f[0]); err != nil {
		return err
	}
	if e.Size, err = strconv.ParseInt(f[1], 10, 64); err != nil || e.Size < 0 {
		return fmt.Errorf("bad size %q", f[1])
	}
	if b, err := hex.DecodeString(f[2]); err != nil || len(b) != sha256.Size {
		return fmt.Errorf("bad sha256 %q", f[2])
	}
	e.SHA256 = f[2]
	return nil
}

// place checks a path: the root first and only first, then clean relative
// names strictly after the previous one in the walk's order, each inside a
// directory the archive made.
func (x *extractor) place(p string, kind byte) ([]string, error) {
	if x.s.n.Entries == 0 {
		if p != "." || kind != 'd' {
			return nil, errors.New("the first entry must be the root directory \".\"")
		}
		return nil, nil
	}
	if p == "." || p == "" || strings.HasPrefix(p, "/") {
		return nil, errors.New("path must be relative and below the root")
	}
	comps := strings.Split(p, "/")
	for _, c := range comps {
		if c == "" || c == "." || c == ".." || strings.ContainsRune(c, 0) {
			return nil, errors.New("path has an empty, \".\", \"..\" or NUL component")
		}
	}
	if !walkLess(x.prev, comps) {
		return nil, errors.New("out of order (the archive is sorted, each path once)")
	}
	parent := path.Dir(p)
	if parent != "." && !x.dirs[parent] {
		return nil, fmt.Errorf("parent %s is not a directory of the archive", parent)
	}
	x.prev = comps
	return comps, nil
}

// walkLess orders paths as the content hash's walk visits them: component
// by component, a directory before what it holds.
func walkLess(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

func (x *extractor) dir(e store.Entry, comps []string) error {
	x.dirs[e.Rel] = true
	if comps == nil {
		return nil // the root is dest itself
	}
	return x.root.Mkdir(e.Rel, 0o700)
}

func (x *extractor) file(e store.Entry) error {
	if x.s.n.Size+e.Size > x.lim.MaxSize {
		return fmt.Errorf("%d bytes of files, more than the %d signed for", x.s.n.Size+e.Size, x.lim.MaxSize)
	}
	f, err := x.root.OpenFile(e.Rel, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.CopyN(io.MultiWriter(f, h, x.s.all), x.br, e.Size)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if n < e.Size {
			return fmt.Errorf("content ends after %d of %d bytes (truncated?)", n, e.Size)
		}
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != e.SHA256 {
		return fmt.Errorf("content has sha256 %s, its line says %s", got, e.SHA256)
	}
	x.files[e.Rel] = e
	return nil
}

// symlink refuses a target that is empty or climbs out of the entry: a
// relative one resolved from the link's directory, or an absolute one with
// ".." (the image maps /ix/store/... onto the host's store). Absolute
// targets are otherwise the guest's business (/run/runit/...): nothing
// here follows them.
func (x *extractor) symlink(e store.Entry, comps []string) error {
	t := e.Target
	if t == "" || len(t) > 4095 || strings.ContainsRune(t, 0) {
		return errors.New("empty, overlong or NUL symlink target")
	}
	abs := strings.HasPrefix(t, "/")
	depth := len(comps) - 1
	for _, c := range strings.Split(t, "/") {
		switch c {
		case "", ".":
		case "..":
			if depth--; abs || depth < 0 {
				return fmt.Errorf("symlink target %q leaves the entry", t)
			}
		default:
			depth++
		}
	}
	return x.root.Symlink(t, e.Rel)
}

// hardlink makes p a second name of a file made earlier.
func (x *extractor) hardlink(l, p, rest string) error {
	first, rest, err := quoted(rest)
	if err != nil || rest != "\n" || hardLine(p, first) != l {
		return fmt.Errorf("%q: not in canonical form: %q", p, l)
	}
	e, ok := x.files[first]
	if !ok {
		return fmt.Errorf("%q: hard link to %q, which is no file made earlier in the archive", p, first)
	}
	if x.s.n.Size+e.Size > x.lim.MaxSize {
		return fmt.Errorf("%q: %d bytes of files, more than the %d signed for", p, x.s.n.Size+e.Size, x.lim.MaxSize)
	}
	if err := x.root.Link(first, p); err != nil {
		return fmt.Errorf("%q: %w", p, err)
	}
	e.Rel = p
	x.s.entry(e)
	x.made = append(x.made, e)
	return nil
}

// seal gives every entry its permission bits and the epoch, deepest
// first, so directories are closed after what they hold. Every parent is a
// directory this extraction made, so the paths lead nowhere else.
func (x *extractor) seal(dest string) error {
	ts := []unix.Timespec{{Sec: x.lim.Epoch}, {Sec: x.lim.Epoch}}
	for i := len(x.made) - 1; i >= 0; i-- {
		e := x.made[i]
		p := filepath.Join(dest, filepath.FromSlash(e.Rel))
		if e.Mode&fs.ModeSymlink == 0 {
			if err := os.Chmod(p, e.Mode.Perm()); err != nil {
				return err
			}
		}
		if err := unix.UtimesNanoAt(unix.AT_FDCWD, p, ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return err
		}
	}
	return nil
}

// capped fails a read past its budget instead of ending quietly, so an
// over-long archive is refused rather than cut to an accepted prefix.
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, err := io.ReadFull(c.r, one[:]); n == 0 {
			return 0, err
		}
		return 0, errors.New("archive longer than the size signed for")
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
