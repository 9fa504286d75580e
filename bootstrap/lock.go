// Package bootstrap holds the seed: the only binaries the pipeline does not
// build from source (Debian bookworm's clang, lld, make, shell and friends),
// pinned by sha256 in seed-x86_64.lock, fetched with the host's apt and
// unpacked in Go into one tree the first toolchain stage runs in.
package bootstrap

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Entry pins one Debian binary package.
type Entry struct {
	Name    string
	Version string
	Arch    string // amd64 or all
	SHA256  string // of the .deb
	Size    int64  // of the .deb, for progress and the README's numbers
}

// String is the entry's line in a lock file.
func (e Entry) String() string {
	return fmt.Sprintf("%s %s %s %s %d", e.Name, e.Version, e.Arch, e.SHA256, e.Size)
}

var (
	pkgNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9+.-]+$`)
	versionRE = regexp.MustCompile(`^([0-9]+:)?[0-9][A-Za-z0-9.+~-]*$`)
	archRE    = regexp.MustCompile(`^[a-z0-9-]+$`)
	sha256RE  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

func (e Entry) check() error {
	switch {
	case !pkgNameRE.MatchString(e.Name):
		return fmt.Errorf("bad package name %q", e.Name)
	case !versionRE.MatchString(e.Version):
		return fmt.Errorf("%s: bad version %q", e.Name, e.Version)
	case !archRE.MatchString(e.Arch):
		return fmt.Errorf("%s: bad architecture %q", e.Name, e.Arch)
	case !sha256RE.MatchString(e.SHA256):
		return fmt.Errorf("%s: sha256 %q is not 64 lowercase hex digits", e.Name, e.SHA256)
	case e.Size <= 0:
		return fmt.Errorf("%s: bad size %d", e.Name, e.Size)
	}
	return nil
}

// ParseLock reads a lock: one "NAME VERSION ARCH SHA256 SIZE" line per
// package, sorted by name, each name once; blank lines and # comments are
// ignored.
func ParseLock(r io.Reader) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: want NAME VERSION ARCH SHA256 SIZE, got %d fields", n, len(f))
		}
		size, err := strconv.ParseInt(f[4], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: bad size %q", n, f[4])
		}
		e := Entry{Name: f[0], Version: f[1], Arch: f[2], SHA256: f[3], Size: size}
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if len(out) > 0 && out[len(out)-1].Name >= e.Name {
			return nil, fmt.Errorf("line %d: %s is out of order or repeated (the lock is sorted by name; regenerate it)", n, e.Name)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no packages")
	}
	return out, nil
}

// ReadLock parses the lock file at path.
func ReadLock(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	es, err := ParseLock(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return es, nil
}

// FormatLock writes entries in lock form, sorted, under a header saying
// where they came from.
func FormatLock(header string, es []Entry) []byte {
	es = append([]Entry(nil), es...)
	sort.Slice(es, func(i, j int) bool { return es[i].Name < es[j].Name })
	var b bytes.Buffer
	for _, l := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		if l != "" {
			b.WriteString("# " + l + "\n")
		}
	}
	for _, e := range es {
		b.WriteString(e.String() + "\n")
	}
	return b.Bytes()
}

// LockHash is the sha256 of the lock's packages in canonical form, without
// comments: two locks pinning the same .debs hash alike. It names the seed
// in the store.
func LockHash(lockPath string) (string, error) {
	es, err := ReadLock(lockPath)
	if err != nil {
		return "", err
	}
	return HashEntries(es), nil
}

// HashEntries is LockHash of a lock already parsed.
func HashEntries(es []Entry) string {
	h := sha256.Sum256(FormatLock("", es))
	return hex.EncodeToString(h[:])
}
