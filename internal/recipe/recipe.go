// Package recipe loads recipe.toml files and renders their build.sh templates.
package recipe

import (
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Source is one pinned input of a recipe: a file by its sha256, or a git
// source tree by its tree hash.
type Source struct {
	URL    string `toml:"url"`
	SHA256 string `toml:"sha256"`
	Debian string `toml:"debian"`
	File   string `toml:"file"`
	Strip  int    `toml:"strip"`
	Dest   string `toml:"dest"`
	// Include keeps only these paths (after strip) when unpacking: most
	// of a 1.3 GB LLVM tree is never read by a runtime library's build.
	Include []string `toml:"include"`
	// Git, Ref and Tree pin a source tree by content: Tree is the hash of
	// its files (srctree.Hash), Git the repository and Ref the tag or
	// commit it was taken from. Any copy with those files will do.
	Git  string `toml:"git"`
	Ref  string `toml:"ref"`
	Tree string `toml:"tree"`
	// Line is where the source's table starts in its recipe.toml, for errors.
	Line int `toml:"-"`
}

// FileName is the name the source is known by in the cache and in errors.
func (s Source) FileName() string {
	if s.Git != "" {
		return strings.TrimSuffix(path.Base(strings.TrimRight(s.Git, "/")), ".git") + "-" + s.Ref
	}
	if s.File != "" {
		return s.File
	}
	if s.URL != "" {
		return filepath.Base(s.URL)
	}
	return s.SHA256
}

// Deps lists dependencies by role. Tools run on the build host; libs are
// linked for the target; runtime packages are installed alongside.
type Deps struct {
	Tools   []string `toml:"tools"`
	Libs    []string `toml:"libs"`
	Runtime []string `toml:"runtime"`
}

// Override holds what a [target.<arch>] table may change.
type Override struct {
	Options map[string]any `toml:"options"`
	Deps    *Deps          `toml:"deps"`
	Sources []Source       `toml:"source"`
}

// Recipe is one package definition as written in recipe.toml.
type Recipe struct {
	Name        string `toml:"name"`
	Version     string `toml:"version"`
	Description string `toml:"description"`
	// License is an SPDX license expression for what the package holds.
	License string `toml:"license"`
	Stage   string `toml:"stage"`
	// CXX says the recipe compiles C++: its stage's implicit_cxx packages
	// (the C++ compiler and runtime) become inputs.
	CXX bool `toml:"cxx"`
	// Freestanding says nothing the recipe builds sees the target's libc
	// (a kernel): its stage's implicit packages (cc, with the musl sysroot
	// it waits for) are not inputs, so under a seed it starts at once. Its
	// build programs still get a host compiler: the seed's clang, or the
	// seedless_implicit packages under a seedless toolchain.
	Freestanding bool     `toml:"freestanding"`
	Sources      []Source `toml:"source"`
	// SourcesFrom names the recipe whose sources this one builds from
	// (busybox-tools builds busybox's tarball with another applet list).
	SourcesFrom string `toml:"sources_from"`
	// Patches are files in the recipe's directory, applied in order to
	// /build/src before the script runs (internal/patch).
	Patches []string `toml:"patches"`
	// Lines of sources_from and patches in recipe.toml, for errors.
	SourcesFromLine, PatchesLine int                 `toml:"-"`
	Deps                         Deps                `toml:"deps"`
	Options                      map[string]any      `toml:"options"`
	Target                       map[string]Override `toml:"target"`

	// Dir is the recipe's directory and File its recipe.toml, for errors
	// and for resolving templates.
	Dir  string `toml:"-"`
	File string `toml:"-"`
	// Root is the recipe tree the recipe came from.
	Root string `toml:"-"`
	// fsys holds the recipe's files, in the directory dir.
	fsys fs.FS
	dir  string
}

// ReadFile reads name, a clean path inside the recipe's directory, from
// its tree: the tree may be built into the binary rather than on disk.
func (r *Recipe) ReadFile(name string) ([]byte, error) {
	return fs.ReadFile(r.fsys, path.Join(r.dir, name))
}

// ForTarget returns the recipe with the [target.<arch>] overrides applied.
// The receiver is not changed.
func (r *Recipe) ForTarget(arch string) *Recipe {
	c := *r
	c.Options = MergeOptions(r.Options, nil)
	o, ok := r.Target[arch]
	if !ok {
		return &c
	}
	c.Options = MergeOptions(r.Options, o.Options)
	if o.Deps != nil {
		c.Deps = *o.Deps
	}
	if len(o.Sources) > 0 {
		c.Sources = o.Sources
	}
	return &c
}

// MergeOptions returns base overlaid with over, as a new map.
func MergeOptions(base, over map[string]any) map[string]any {
	m := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		m[k] = v
	}
	for k, v := range over {
		m[k] = v
	}
	return m
}

// Stage returns the recipe's stage, "world" when unset.
func (r *Recipe) StageName() string {
	if r.Stage == "" {
		return "world"
	}
	return r.Stage
}

func (r *Recipe) validate() error {
	switch {
	case r.Name == "":
		return fmt.Errorf("%s: missing name (add name = \"...\")", r.File)
	case r.Version == "":
		return fmt.Errorf("%s: missing version (add version = \"...\")", r.File)
	}
	all := r.allSources()
	for i, s := range all {
		if err := s.validate(); err != nil {
			return fmt.Errorf("%s: source %d (%s): %w", r.at(s.Line), i+1, s.FileName(), err)
		}
	}
	if r.SourcesFrom != "" {
		switch {
		case r.SourcesFrom == r.Name:
			return fmt.Errorf("%s: sources_from names this recipe itself; name the recipe whose [[source]] tables to build from", r.at(r.SourcesFromLine))
		case len(all) > 0:
			return fmt.Errorf("%s: sources_from = %q takes all of %s's sources, and this recipe has [[source]] tables too (line %d): keep one or the other", r.at(r.SourcesFromLine), r.SourcesFrom, r.SourcesFrom, all[0].Line)
		}
	}
	for _, p := range r.Patches {
		if err := r.checkPatch(p); err != nil {
			return fmt.Errorf("%s: patches: %w", r.at(r.PatchesLine), err)
		}
	}
	return nil
}

// checkPatch wants a patch named by a clean path inside the recipe's
// directory, and there.
func (r *Recipe) checkPatch(name string) error {
	if name == "" || filepath.IsAbs(name) || name != filepath.Clean(name) || name == ".." || strings.HasPrefix(name, "../") {
		return fmt.Errorf("%q: name a file in %s by a path inside it, such as \"fix-foo.patch\"", name, r.Dir)
	}
	fi, err := fs.Stat(r.fsys, path.Join(r.dir, name))
	if err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: no such file in %s (patches are files in the recipe's directory)", name, r.Dir)
	}
	return nil
}

// at is the recipe file with a line, when known, for errors.
func (r *Recipe) at(line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", r.File, line)
	}
	return r.File
}

var hexRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s Source) validate() error {
	if s.Strip < 0 {
		return fmt.Errorf("strip must not be negative")
	}
	if s.Git != "" || s.Ref != "" || s.Tree != "" {
		switch {
		case s.Git == "" || s.Ref == "" || s.Tree == "":
			return fmt.Errorf("a git source needs git = \"URL\", ref = \"TAG or COMMIT\" and tree = \"<hash>\" (stalix-build sources import prints the tree hash)")
		case !hexRE.MatchString(s.Tree):
			return fmt.Errorf("tree must be 64 lowercase hex digits, got %q", s.Tree)
		case s.SHA256 != "" || s.Debian != "" || s.File != "":
			return fmt.Errorf("a git source is pinned by its tree alone: drop sha256, debian and file (url may name an archive of the tree, such as a forge's tarball)")
		case s.Strip != 0:
			return fmt.Errorf("strip has no meaning for a git source: its tree has no top directory (use include and dest)")
		}
		return nil
	}
	if len(s.SHA256) != 64 {
		return fmt.Errorf("sha256 must be 64 hex digits, got %q", s.SHA256)
	}
	if s.URL == "" && s.Debian == "" {
		return fmt.Errorf("needs url or debian = \"name=version\" (or git, ref and tree for a git source)")
	}
	return nil
}

func (r *Recipe) allSources() []Source {
	all := append([]Source(nil), r.Sources...)
	keys := make([]string, 0, len(r.Target))
	for k := range r.Target {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		all = append(all, r.Target[k].Sources...)
	}
	return all
}
