// Package policy checks and fixes a build's output directory before the store commits it: symbols
// stripped, no trace of the build directory, static executables only for target packages, every
// entry read-only with its mtime at SOURCE_DATE_EPOCH.
package policy

import (
	"fmt"
	"os"
	"path"
	"strings"
)

// DefaultBuildPath is the sandbox path of the build directory; its bytes in an output mean the
// output depends on where it was built.
const DefaultBuildPath = "/build/"

// Options says what Apply enforces.
type Options struct {
	// Epoch is SOURCE_DATE_EPOCH: every entry's atime and mtime are set to it.
	Epoch int64
	// Static marks a target package: any ELF with PT_INTERP or DT_NEEDED fails it.
	Static bool
	// Strip is the path of the strip tool (llvm-strip or GNU strip); "" strips nothing.
	Strip string
	// StripCmd, when set, replaces Strip with a command and its leading
	// arguments: the seed's llvm-strip runs through the seed's own dynamic
	// loader, so no host tool touches an output.
	StripCmd []string
	// NoStrip keeps symbols even when Strip is set, for recipes that ask for it.
	NoStrip bool
	// BuildPath is the byte string no file may contain; DefaultBuildPath when empty.
	BuildPath string
	// Forbidden are further byte strings no file may contain: world
	// outputs must not refer to the seed's libraries or headers.
	Forbidden []string
	// AllowBuildPath are globs (path.Match syntax, relative to the output, "dir/**" for a whole
	// tree) of files allowed to contain BuildPath.
	AllowBuildPath []string
}

// Apply strips, checks and seals dir, in that order: stripping rewrites files, so it comes before
// the checks see them and before the mtimes are fixed. It returns an *Error listing every
// violation, or another error when dir cannot be processed at all.
func Apply(dir string, o Options) error {
	if o.BuildPath == "" {
		o.BuildPath = DefaultBuildPath
	}
	for _, g := range o.AllowBuildPath {
		if _, err := path.Match(g, ""); err != nil {
			return fmt.Errorf("policy: allow_build_path glob %q: %w", g, err)
		}
	}
	if fi, err := os.Stat(dir); err != nil {
		return fmt.Errorf("policy: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("policy: %s is not a directory", dir)
	}
	entries, err := walk(dir)
	if err != nil {
		return err
	}
	var bad []Violation
	for _, e := range entries {
		if e.kind == kindOther {
			bad = append(bad, Violation{Path: e.rel, Offset: -1,
				Problem: fmt.Sprintf("is a %v; outputs may hold only files, directories and symlinks", e.mode.Type())})
		}
	}
	if len(bad) > 0 {
		return &Error{Dir: dir, Violations: bad}
	}
	cmd := o.StripCmd
	if len(cmd) == 0 && o.Strip != "" {
		cmd = []string{o.Strip}
	}
	if len(cmd) > 0 && !o.NoStrip {
		if err := strip(dir, entries, cmd); err != nil {
			return err
		}
	}
	for _, pat := range append([]string{o.BuildPath}, o.Forbidden...) {
		v, err := checkBuildPath(dir, entries, pat, o.AllowBuildPath)
		if err != nil {
			return err
		}
		bad = append(bad, v...)
	}
	if o.Static {
		v, err := checkStatic(dir, entries)
		if err != nil {
			return err
		}
		bad = append(bad, v...)
	}
	if len(bad) > 0 {
		return &Error{Dir: dir, Violations: bad}
	}
	if err := makeReadOnly(dir, entries); err != nil {
		return err
	}
	return setTimes(dir, entries, o.Epoch)
}

// Violation is one thing wrong with one entry of an output.
type Violation struct {
	Path    string // relative to the output directory
	Offset  int64  // byte offset of the finding in the file, -1 when it has none
	Problem string
}

func (v Violation) String() string {
	if v.Offset >= 0 {
		return fmt.Sprintf("%s at offset %d: %s", v.Path, v.Offset, v.Problem)
	}
	return v.Path + ": " + v.Problem
}

// Error lists the violations that keep an output from being committed.
type Error struct {
	Dir        string
	Violations []Violation
}

// maxShown bounds the message; a broken package can have thousands of violations.
const maxShown = 20

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "policy: %s: %d violation(s):", e.Dir, len(e.Violations))
	for i, v := range e.Violations {
		if i == maxShown {
			fmt.Fprintf(&b, "\n  ... and %d more", len(e.Violations)-maxShown)
			break
		}
		b.WriteString("\n  " + v.String())
	}
	return b.String()
}
