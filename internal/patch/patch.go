// Package patch applies a recipe's patches to its unpacked source. It runs
// in Go, before the sandbox, so a seed build and a seedless one (whose
// busybox patch behaves otherwise) apply a patch the same way, and a patch
// that does not apply is reported by hunk before anything runs.
//
// go-gitdiff parses the patch (git's extended headers, renames, modes and
// binary hunks included) and applies each hunk; this package finds where a
// hunk goes. Like GNU patch, a hunk whose lines moved applies at its
// nearest match (an offset); unlike it, every context line must match (no
// fuzz), so a patch means one thing on one source.
package patch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// Patch is one parsed patch file.
type Patch struct {
	Name  string
	files []*gitdiff.File
	// git is true when the patch came from git, whose parser already took
	// a/ and b/ off the names; other diffs keep them, and Apply drops one
	// leading component, as patch -p1 does.
	git bool
	// hunkLines is where each text hunk's @@ line is in the patch file, in
	// the order the parser returns hunks.
	hunkLines []int
}

var parseLineRE = regexp.MustCompile(`^gitdiff: line (\d+): `)

// Parse reads a patch file; name is its file name, for errors.
func Parse(name string, data []byte) (*Patch, error) {
	files, _, err := gitdiff.Parse(bytes.NewReader(data))
	if err != nil {
		if m := parseLineRE.FindStringSubmatch(err.Error()); m != nil {
			return nil, fmt.Errorf("%s:%s: %s", name, m[1], strings.TrimPrefix(err.Error(), m[0]))
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: holds no diff (want the output of diff -u or git diff)", name)
	}
	p := &Patch{Name: name, files: files}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "diff --git "):
			p.git = true
		case strings.HasPrefix(l, "@@ -"):
			p.hunkLines = append(p.hunkLines, n)
		}
	}
	return p, nil
}

// Files lists the paths the patch changes, as Apply sees them.
func (p *Patch) Files() []string {
	var out []string
	for _, f := range p.files {
		out = append(out, p.path(f))
	}
	return out
}

// path is the file a diff changes, relative to the source tree.
func (p *Patch) path(f *gitdiff.File) string {
	name := f.NewName
	if f.IsDelete {
		name = f.OldName
	}
	return p.strip(name)
}

func (p *Patch) strip(name string) string {
	if p.git {
		return name
	}
	if _, rest, ok := strings.Cut(name, "/"); ok {
		return rest
	}
	return name
}

// HunkError is a hunk that matches the source nowhere.
type HunkError struct {
	Patch     string // the patch file
	PatchLine int    // where the hunk starts in it
	File      string // the source file it changes
	Hunk      int    // its number among the file's hunks, from 1
	Header    string // its @@ line
	// Line is the source line where the hunk should start, and Found and
	// Expected the first line there that differs; Found is empty when
	// the file ends first.
	Line            int
	Found, Expected string
}

func (e *HunkError) Error() string {
	where := e.Patch
	if e.PatchLine > 0 {
		where += ":" + strconv.Itoa(e.PatchLine)
	}
	what := fmt.Sprintf("%s ends before line %d, where the hunk expects %s", e.File, e.Line, quote(e.Expected))
	if e.Found != "" || e.Expected == "" {
		what = fmt.Sprintf("line %d of %s is %s, the hunk expects %s", e.Line, e.File, quote(e.Found), quote(e.Expected))
	}
	return fmt.Sprintf("hunk %d of %s (%s, %s) does not apply: %s, and the hunk's lines are nowhere else in the file",
		e.Hunk, e.File, where, strings.TrimSpace(e.Header), what)
}

// quote shows one source line, shortened.
func quote(s string) string {
	s = strings.TrimRight(s, "\n")
	if len(s) > 72 {
		s = s[:69] + "..."
	}
	return strconv.Quote(s)
}

// IsHunkError reports whether err is (or wraps) a *HunkError.
func IsHunkError(err error) bool {
	var he *HunkError
	return errors.As(err, &he)
}
