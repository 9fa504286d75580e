package recipe

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// TemplatesDir is the directory in a recipe tree that holds shared templates.
const TemplatesDir = "_templates"

// Tree is one recipe tree: its files, and the name that stands for its
// root in errors and template names (a host directory, or a name for a
// tree built into the binary).
type Tree struct {
	FS   fs.FS
	Name string
}

// path is the name of the tree's file rel, as errors show it.
func (t Tree) path(rel string) string { return t.Name + "/" + rel }

// Repo is a set of recipe trees. Later trees (overlays) shadow earlier ones.
type Repo struct {
	Trees   []Tree
	recipes map[string]*Recipe
}

// Open loads every recipe under the directory base and then under each
// overlay directory; an overlay's recipe replaces the built-in one of the
// same name.
func Open(base string, overlays ...string) (*Repo, error) {
	var trees []Tree
	for _, d := range append([]string{base}, overlays...) {
		t, err := DirTree(d)
		if err != nil {
			return nil, err
		}
		trees = append(trees, t)
	}
	return OpenTrees(trees...)
}

// DirTree is the recipe tree in the host directory dir. Its files are
// read through an os.Root, so no symlink leads a template out of it.
func DirTree(dir string) (Tree, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Tree{}, err
	}
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return Tree{}, fmt.Errorf("recipe tree %s does not exist", abs)
	case err != nil:
		return Tree{}, err
	case !st.IsDir():
		return Tree{}, fmt.Errorf("recipe tree %s is not a directory", abs)
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return Tree{}, err
	}
	return Tree{FS: root.FS(), Name: abs}, nil
}

// OpenTrees loads every recipe of the first tree and then of each later
// one, which shadows the earlier ones.
func OpenTrees(trees ...Tree) (*Repo, error) {
	r := &Repo{recipes: map[string]*Recipe{}}
	for i, t := range trees {
		found, err := loadTree(t)
		if err != nil {
			return nil, err
		}
		if i > 0 && len(found) == 0 && !hasTemplates(t) {
			return nil, fmt.Errorf("recipe overlay %s holds no recipes (expected <category>/<name>/recipe.toml)", t.Name)
		}
		for _, rc := range found {
			r.recipes[rc.Name] = rc
		}
		r.Trees = append(r.Trees, t)
	}
	return r, nil
}

func hasTemplates(t Tree) bool {
	st, err := fs.Stat(t.FS, TemplatesDir)
	return err == nil && st.IsDir()
}

// loadTree reads <category>/<name>/recipe.toml of t in sorted order.
func loadTree(t Tree) ([]*Recipe, error) {
	files, err := fs.Glob(t.FS, "*/*/recipe.toml")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	byName := map[string]*Recipe{}
	var out []*Recipe
	for _, f := range files {
		if strings.HasPrefix(f, "_") {
			continue
		}
		data, err := fs.ReadFile(t.FS, f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.path(f), err)
		}
		rc, err := parse(t.path(f), data, t.FS, path.Dir(f))
		if err != nil {
			return nil, err
		}
		rc.Root = t.Name
		if prev, ok := byName[rc.Name]; ok {
			return nil, fmt.Errorf("duplicate recipe %q: %s has version %s, %s has version %s; remove or rename one",
				rc.Name, prev.File, prev.Version, rc.File, rc.Version)
		}
		byName[rc.Name] = rc
		out = append(out, rc)
	}
	return out, nil
}

// LoadFile parses one recipe.toml.
func LoadFile(path string) (*Recipe, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes recipe.toml text; path is used in errors and to find
// build.sh, and the recipe's files are read from its host directory.
func Parse(path string, data []byte) (*Recipe, error) {
	return parse(path, data, os.DirFS(filepath.Dir(path)), ".")
}

// parse decodes recipe.toml text of the recipe whose files are dir in fsys.
func parse(path string, data []byte, fsys fs.FS, dir string) (*Recipe, error) {
	rc := Recipe{fsys: fsys, dir: dir}
	md, err := toml.Decode(string(data), &rc)
	if err != nil {
		return nil, TOMLError(path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		line, col := keyPosition(data, und[0])
		return nil, fmt.Errorf("%s:%d:%d: unknown key %s (known: name, version, description, license, stage, cxx, freestanding, source, sources_from, patches, deps, options, target)",
			path, line, col, strings.Join(keys, ", "))
	}
	rc.File = path
	rc.Dir = filepath.Dir(path)
	rc.setLines(data)
	if md.IsDefined("sources_from") {
		rc.SourcesFromLine, _ = keyPosition(data, toml.Key{"sources_from"})
	}
	if md.IsDefined("patches") {
		rc.PatchesLine, _ = keyPosition(data, toml.Key{"patches"})
	}
	if err := rc.validate(); err != nil {
		return nil, err
	}
	if err := rc.checkLicense(md, data); err != nil {
		return nil, err
	}
	if err := rc.checkOptions(data); err != nil {
		return nil, err
	}
	return &rc, nil
}

var lineRE = regexp.MustCompile(`^toml: line (\d+)`)

// sourceRE matches a [[source]] or [[target.<arch>.source]] table header.
var sourceRE = regexp.MustCompile(`^\s*\[\[\s*(?:target\s*\.\s*"?([A-Za-z0-9_-]+)"?\s*\.\s*)?source\s*\]\]`)

// setLines records where each source table starts, since the decoder
// keeps no positions.
func (rc *Recipe) setLines(data []byte) {
	seen := map[string]int{}
	for i, l := range strings.Split(string(data), "\n") {
		m := sourceRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		k := seen[m[1]]
		seen[m[1]]++
		if m[1] == "" {
			if k < len(rc.Sources) {
				rc.Sources[k].Line = i + 1
			}
			continue
		}
		if o, ok := rc.Target[m[1]]; ok && k < len(o.Sources) {
			o.Sources[k].Line = i + 1
		}
	}
}

// TOMLError turns a TOML decode error into file:line:column form.
func TOMLError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d:%d: %s", path, pe.Position.Line, pe.Position.Col, pe.Message)
	}
	// Type mismatches come back as plain text that names only the line.
	if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("%s:%s:1: %s", path, m[1], strings.TrimPrefix(err.Error(), "toml: "))
	}
	return fmt.Errorf("%s: %w", path, err)
}

// Get returns the recipe called name, or an error that suggests close names.
func (r *Repo) Get(name string) (*Recipe, error) {
	if rc, ok := r.recipes[name]; ok {
		return rc, nil
	}
	return nil, &UnknownError{Name: name, Closest: Closest(name, r.Names(), 3)}
}

// Names lists every recipe name in sorted order.
func (r *Repo) Names() []string {
	names := make([]string, 0, len(r.recipes))
	for n := range r.recipes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// UnknownError is returned for a name no recipe has.
type UnknownError struct {
	Name    string
	Closest []string
}

func (e *UnknownError) Error() string {
	if len(e.Closest) == 0 {
		return fmt.Sprintf("unknown package %q", e.Name)
	}
	return fmt.Sprintf("unknown package %q (did you mean %s?)", e.Name, strings.Join(e.Closest, ", "))
}

// keyPosition finds where key's last part is defined, since the decoder's
// metadata does not keep positions of keys it did not use.
func keyPosition(data []byte, key toml.Key) (int, int) {
	last := key[len(key)-1]
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimLeft(line, " \t[")
		if strings.HasPrefix(t, last) {
			rest := strings.TrimLeft(t[len(last):], " \t]")
			if rest == "" || strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ".") {
				return i + 1, len(line) - len(strings.TrimLeft(line, " \t")) + 1
			}
		}
	}
	return 1, 1
}

// SourcesOf is what rc (with its target's overrides applied) builds from
// on arch: its own sources, or, with sources_from, those of the recipe it
// names, followed in turn.
func (r *Repo) SourcesOf(rc *Recipe, arch string) ([]Source, error) {
	chain := []string{rc.Name}
	cur := rc
	for cur.SourcesFrom != "" {
		from, err := r.Get(cur.SourcesFrom)
		if err != nil {
			return nil, fmt.Errorf("%s: sources_from: %w", cur.at(cur.SourcesFromLine), err)
		}
		chain = append(chain, from.Name)
		for _, n := range chain[:len(chain)-1] {
			if n == from.Name {
				return nil, fmt.Errorf("%s: sources_from goes round: %s", cur.at(cur.SourcesFromLine), strings.Join(chain, " -> "))
			}
		}
		cur = from.ForTarget(arch)
	}
	return cur.Sources, nil
}
