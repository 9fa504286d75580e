// Package bundle writes the corresponding source of an image: every source
// file and patch that went into its packages, the recipes and templates
// that say how they were built, each script as the sandbox ran it, and a
// manifest. It is what a distributor of GPL binaries must be able to hand
// over.
package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/recipe"
)

// Manifest is manifest.json: what each package was built from, by path
// inside the bundle.
type Manifest struct {
	Name     string    `json:"name"`
	Packages []Package `json:"packages"`
}

// Package is one node of the bundle.
type Package struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Version string   `json:"version"`
	License string   `json:"license"`
	Out     string   `json:"out"`
	Recipe  string   `json:"recipe"`
	Script  string   `json:"script"`
	Sources []Source `json:"sources"`
	Patches []string `json:"patches"`
}

// Source is one pinned source in the bundle: a file by its sha256, or a
// git source's tree as the cache keeps it (srctree's canonical archive).
type Source struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256,omitempty"`
	URL    string `json:"url,omitempty"`
	Debian string `json:"debian,omitempty"`
	Git    string `json:"git,omitempty"`
	Ref    string `json:"ref,omitempty"`
	Tree   string `json:"tree,omitempty"`
}

// Cache finds verified sources: a file by its sha256, a tree by its hash
// (fetch.Fetcher is one).
type Cache interface {
	Path(sha256 string) string
	TreePath(tree string) string
}

// The files that list the bundle.
const (
	ManifestName = "manifest.json"
	SumsName     = "SHA256SUMS"
)

// Write fills dir, which must be empty or missing, with the sources of
// nodes (each store entry once), taken from cache. It lists every file in SHA256SUMS, so
// `sha256sum -c SHA256SUMS` checks the copy.
func Write(dir, name string, nodes []*plan.Node, cache Cache) (*Manifest, error) {
	if des, err := os.ReadDir(dir); err == nil && len(des) > 0 {
		return nil, fmt.Errorf("bundle: %s is not empty: give a new directory", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	w := &writer{dir: dir, cache: cache, sums: map[string]string{}, srcByPin: map[string]string{}, trees: map[string]string{}}
	m := &Manifest{Name: name}
	sorted := slices.Clone(nodes)
	slices.SortFunc(sorted, func(a, b *plan.Node) int { return strings.Compare(a.Base(), b.Base()) })
	// Plans of one project share nodes (the image tools' cc is the
	// profile's): each store entry once.
	sorted = slices.CompactFunc(sorted, func(a, b *plan.Node) bool { return a.Base() == b.Base() })
	slices.SortStableFunc(sorted, func(a, b *plan.Node) int { return strings.Compare(a.ID(), b.ID()) })
	for _, n := range sorted {
		p, err := w.node(n)
		if err != nil {
			return nil, err
		}
		m.Packages = append(m.Packages, p)
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := w.write(ManifestName, append(data, '\n')); err != nil {
		return nil, err
	}
	var sums strings.Builder
	for _, p := range slices.Sorted(maps.Keys(w.sums)) {
		fmt.Fprintf(&sums, "%s  %s\n", w.sums[p], p)
	}
	if err := os.WriteFile(filepath.Join(dir, SumsName), []byte(sums.String()), 0o644); err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	return m, nil
}

type writer struct {
	dir      string
	cache    Cache
	sums     map[string]string // bundle path -> sha256
	srcByPin map[string]string // source sha256 or tree -> bundle path
	trees    map[string]string // recipe tree root -> its directory in the bundle
}

func (w *writer) node(n *plan.Node) (Package, error) {
	tree, err := w.tree(n.Recipe.Root)
	if err != nil {
		return Package{}, err
	}
	rel, err := filepath.Rel(n.Recipe.Root, n.Recipe.Dir)
	if err != nil {
		return Package{}, err
	}
	p := Package{
		ID: n.ID(), Name: n.Name, Version: n.Version, License: n.Recipe.License, Out: n.Out(),
		Recipe: tree + "/" + filepath.ToSlash(rel), Script: "scripts/" + strings.ReplaceAll(n.ID(), "/", "_") + ".sh",
		Sources: []Source{}, Patches: []string{},
	}
	if err := w.copyTree(n.Recipe.Dir, p.Recipe); err != nil {
		return Package{}, err
	}
	for _, f := range n.Recipe.Patches {
		p.Patches = append(p.Patches, p.Recipe+"/"+filepath.ToSlash(f))
	}
	if err := w.write(p.Script, []byte(n.Script)); err != nil {
		return Package{}, err
	}
	for _, s := range n.Sources {
		path, err := w.sourceFile(n, s)
		if err != nil {
			return Package{}, err
		}
		p.Sources = append(p.Sources, Source{Path: path, SHA256: s.SHA256, URL: s.URL, Debian: s.Debian, Git: s.Git, Ref: s.Ref, Tree: s.Tree})
	}
	return p, nil
}

// tree names a recipe tree in the bundle after its directory ("recipes"
// for the shipped one), with its shared templates copied once.
func (w *writer) tree(root string) (string, error) {
	if t, ok := w.trees[root]; ok {
		return t, nil
	}
	name := filepath.Base(root)
	for i := 2; slices.Contains(slices.Collect(maps.Values(w.trees)), name); i++ {
		name = fmt.Sprintf("%s-%d", filepath.Base(root), i)
	}
	w.trees[root] = name
	tmpl := filepath.Join(root, recipe.TemplatesDir)
	if _, err := os.Stat(tmpl); err == nil {
		if err := w.copyTree(tmpl, name+"/"+recipe.TemplatesDir); err != nil {
			return "", err
		}
	}
	return name, nil
}

// sourceFile copies a cached source under sources/, by its file name, or
// by its pin too when another source took that name.
func (w *writer) sourceFile(n *plan.Node, s recipe.Source) (string, error) {
	pin, name, from := s.SHA256, s.FileName(), w.cache.Path(s.SHA256)
	if s.Tree != "" {
		pin, name, from = s.Tree, s.FileName()+".tree.tar.zst", w.cache.TreePath(s.Tree)
	}
	if p, ok := w.srcByPin[pin]; ok {
		return p, nil
	}
	path := "sources/" + name
	if _, taken := w.sums[path]; taken {
		path = "sources/" + pin[:16] + "/" + name
	}
	got, err := w.copyFile(from, path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: source %s (%s) is not in the source cache: run stalix-build fetch first", n.Recipe.File, s.FileName(), pinName(s))
	}
	if err != nil {
		return "", err
	}
	// A tree's archive was checked against its tree hash when the cache
	// took it; a file is checked here against the pin itself.
	if s.Tree == "" && got != s.SHA256 {
		return "", fmt.Errorf("bundle: %s: cached %s has sha256 %s, not the pinned %s: remove it from the cache and fetch again", n.Recipe.File, from, got, s.SHA256)
	}
	w.srcByPin[pin] = path
	return path, nil
}

func pinName(s recipe.Source) string {
	if s.Tree != "" {
		return "tree " + s.Tree
	}
	return "sha256 " + s.SHA256
}

// copyTree copies a directory's regular files and subdirectories.
func (w *writer) copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, de fs.DirEntry, err error) error {
		if err != nil || !de.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		_, err = w.copyFile(p, to+"/"+filepath.ToSlash(rel))
		return err
	})
}

// copyFile copies from to the bundle path to and returns its sha256.
func (w *writer) copyFile(from, to string) (string, error) {
	if sum, ok := w.sums[to]; ok {
		return sum, nil // a shared template or recipe, copied already
	}
	in, err := os.Open(from)
	if err != nil {
		return "", err
	}
	defer in.Close()
	dst := filepath.Join(w.dir, filepath.FromSlash(to))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return "", fmt.Errorf("bundle: %w", err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("bundle: %s: %w", to, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	w.sums[to] = sum
	return sum, nil
}

func (w *writer) write(to string, data []byte) error {
	dst := filepath.Join(w.dir, filepath.FromSlash(to))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	sum := sha256.Sum256(data)
	w.sums[to] = hex.EncodeToString(sum[:])
	return nil
}
