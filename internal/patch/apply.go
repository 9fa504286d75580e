package patch

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// Apply applies the patch to the tree at dir, file by file in the patch's
// order. It returns a note per hunk that applied away from its stated line.
// Every path stays inside dir: names with .. or a leading /, and symlinks
// out of the tree, are refused.
func (p *Patch) Apply(dir string) ([]string, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	var notes []string
	hunk := 0 // index into hunkLines across files
	for _, f := range p.files {
		n, err := p.applyFile(root, f, hunk)
		notes = append(notes, n...)
		if err != nil {
			return notes, fmt.Errorf("%s: %w", p.Name, err)
		}
		hunk += len(f.TextFragments)
	}
	return notes, nil
}

func checkName(name string) error {
	if name == "" || path.IsAbs(name) || name != path.Clean(name) || name == ".." || strings.HasPrefix(name, "../") {
		return fmt.Errorf("file name %q leaves the source tree or is not clean", name)
	}
	return nil
}

func (p *Patch) applyFile(root *os.Root, f *gitdiff.File, firstHunk int) ([]string, error) {
	oldName, newName := p.strip(f.OldName), p.strip(f.NewName)
	target := p.path(f)
	for _, n := range []string{oldName, newName} {
		if n == "" && (f.IsNew || f.IsDelete) {
			continue
		}
		if err := checkName(n); err != nil {
			return nil, err
		}
	}
	var src []byte
	mode := fs.FileMode(0o644)
	if f.IsNew {
		if _, err := root.Lstat(newName); err == nil {
			return nil, fmt.Errorf("%s: the patch creates it, but the source has it already", newName)
		}
	} else {
		fi, err := root.Lstat(oldName)
		if err != nil {
			return nil, fmt.Errorf("%s: not in the source (is the patch for another version, or not -p1?)", oldName)
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file in the source", oldName)
		}
		mode = fi.Mode().Perm()
		if src, err = root.ReadFile(oldName); err != nil {
			return nil, err
		}
	}
	out, notes, err := p.content(f, src, target, firstHunk)
	if err != nil {
		return notes, err
	}
	if f.IsDelete {
		if len(out) != 0 {
			return notes, fmt.Errorf("%s: the patch deletes it, but the source holds more than the patch removes", oldName)
		}
		return notes, root.Remove(oldName)
	}
	if f.NewMode != 0 {
		mode = 0o644
		if f.NewMode&0o100 != 0 {
			mode = 0o755
		}
	}
	if dir := path.Dir(newName); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return notes, err
		}
	}
	if f.IsRename {
		if err := root.Remove(oldName); err != nil {
			return notes, err
		}
	}
	// Written in place, so a hard link elsewhere in the tree would change
	// too; unpacked sources have none that matter, and patch does the same.
	if err := root.WriteFile(newName, out, mode); err != nil {
		return notes, err
	}
	return notes, root.Chmod(newName, mode)
}

// content is the file's new bytes.
func (p *Patch) content(f *gitdiff.File, src []byte, name string, firstHunk int) ([]byte, []string, error) {
	var out bytes.Buffer
	if f.IsBinary {
		if f.BinaryFragment == nil {
			return nil, nil, fmt.Errorf("%s: a binary change without its data (make it with git diff --binary)", name)
		}
		if err := gitdiff.Apply(&out, bytes.NewReader(src), f); err != nil {
			return nil, nil, fmt.Errorf("%s: binary change does not apply: %w", name, err)
		}
		return out.Bytes(), nil, nil
	}
	lines := splitLines(src)
	var notes []string
	next, delta := 0, 0 // the first line not yet written; how far hunks moved
	for i, fr := range f.TextFragments {
		pre := preimage(fr)
		stated := int(fr.OldPosition) - 1
		if fr.OldPosition == 0 || fr.OldLines == 0 {
			// git says "@@ -N,0" for lines added after line N.
			stated = int(fr.OldPosition)
		}
		at, ok := find(lines, pre, stated+delta, next)
		if !ok {
			return nil, notes, p.hunkError(name, i, firstHunk, fr, lines, pre, stated+delta)
		}
		if at != stated {
			notes = append(notes, fmt.Sprintf("%s: hunk %d of %s applied at line %d (offset %+d lines)", p.Name, i+1, name, at+1, at-stated))
		}
		for _, l := range lines[next:at] {
			out.WriteString(l)
		}
		// gitdiff's applier checks and writes the hunk, given just the
		// lines where it was found.
		moved := *fr
		moved.OldPosition = 1
		if len(pre) == 0 {
			moved.OldPosition = 0
		}
		var hunk bytes.Buffer
		a := gitdiff.NewTextApplier(&hunk, strings.NewReader(strings.Join(lines[at:at+len(pre)], "")))
		if err := a.ApplyFragment(&moved); err != nil {
			return nil, notes, fmt.Errorf("%s: hunk %d: %w", name, i+1, err)
		}
		if err := a.Close(); err != nil {
			return nil, notes, err
		}
		out.Write(hunk.Bytes())
		next = at + len(pre)
		delta = at - stated
	}
	for _, l := range lines[next:] {
		out.WriteString(l)
	}
	return out.Bytes(), notes, nil
}

func (p *Patch) hunkError(name string, i, firstHunk int, fr *gitdiff.TextFragment, lines, pre []string, at int) error {
	e := &HunkError{Patch: p.Name, File: name, Hunk: i + 1, Header: fr.Header()}
	if k := firstHunk + i; k < len(p.hunkLines) {
		e.PatchLine = p.hunkLines[k]
	}
	at = max(0, min(at, len(lines)))
	for k, want := range pre {
		if at+k >= len(lines) {
			e.Line, e.Expected = at+k+1, want
			return e
		}
		if lines[at+k] != want {
			e.Line, e.Found, e.Expected = at+k+1, lines[at+k], want
			return e
		}
	}
	// The lines match at the stated place but it lies before an earlier
	// hunk's end: the hunks overlap or are out of order.
	return fmt.Errorf("%s: hunk %d (%s) overlaps the hunk before it", name, i+1, strings.TrimSpace(fr.Header()))
}

// preimage is the source lines a hunk expects: its context and deletions.
func preimage(fr *gitdiff.TextFragment) []string {
	var pre []string
	for _, l := range fr.Lines {
		if l.Old() {
			pre = append(pre, l.Line)
		}
	}
	return pre
}

// find is where pre occurs in lines at or after from, nearest to want,
// earlier first on a tie, as GNU patch searches.
func find(lines, pre []string, want, from int) (int, bool) {
	last := len(lines) - len(pre)
	match := func(at int) bool {
		if at < from || at > last {
			return false
		}
		for k, l := range pre {
			if lines[at+k] != l {
				return false
			}
		}
		return true
	}
	for d := 0; want-d >= from || want+d <= last; d++ {
		if match(want - d) {
			return want - d, true
		}
		if d > 0 && match(want+d) {
			return want + d, true
		}
	}
	return 0, false
}

// splitLines splits src after each newline; a last line without one is
// kept as it is, as gitdiff's lines are.
func splitLines(src []byte) []string {
	var out []string
	for len(src) > 0 {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			out = append(out, string(src))
			break
		}
		out = append(out, string(src[:i+1]))
		src = src[i+1:]
	}
	return out
}
