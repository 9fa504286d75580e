package recipe

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/flosch/pongo2/v6"
)

// BuildScript is the template every recipe carries next to recipe.toml.
const BuildScript = "build.sh"

// Target describes what a node is built for, as templates see it.
type Target struct {
	Arch       string
	Triple     string
	KernelArch string
	EFIName    string
}

// Context is everything a template may read. It is plain data, so
// rendering the same context always gives the same text.
type Context struct {
	Name    string
	Version string
	Out     string
	Stage   string
	Target  Target
	Host    Target
	Deps    map[string]string // recipe name -> store path
	Options map[string]any
	// Compiler is the store path of the chosen toolchain's compiler, ""
	// for the seed's clang.
	Compiler string
	// Seed says whether the sandbox has the seed's /usr; without it, the
	// stage's seedless packages are the only tools (stages/stages.toml).
	Seed bool
	// Libs are the store paths of the libraries linked for the target,
	// transitively, in link order; HostLibs those for the build host's
	// helper programs. Tools are in Deps only.
	Libs, HostLibs []string
}

func (t Target) value() map[string]any {
	return map[string]any{"arch": t.Arch, "triple": t.Triple, "kernel_arch": t.KernelArch, "efi_name": t.EFIName}
}

func (c Context) value() pongo2.Context {
	deps := map[string]any{}
	for k, v := range c.Deps {
		deps[strings.ReplaceAll(k, "-", "_")] = v
	}
	opts := map[string]any{}
	for k, v := range c.Options {
		opts[strings.ReplaceAll(k, "-", "_")] = v
	}
	return pongo2.Context{
		"name": c.Name, "version": c.Version, "out": c.Out, "src": "/build/src",
		"stage": c.Stage, "target": c.Target.value(), "host": c.Host.value(),
		"deps": deps, "options": opts, "compiler": c.Compiler, "seed": c.Seed,
		"libs": c.Libs, "host_libs": c.HostLibs,
	}
}

// Renderer renders build scripts of one Repo. Templates can only be loaded
// from the repo's trees, and tags that read files verbatim are banned.
type Renderer struct {
	repo   *Repo
	mu     sync.Mutex
	set    *pongo2.TemplateSet
	loader *loader
}

// NewRenderer returns a Renderer for the repo's trees.
func NewRenderer(r *Repo) (*Renderer, error) {
	// Scripts are shell, not HTML: a quote in an option must reach the
	// script as a quote. pongo2 only offers this switch process-wide.
	pongo2.SetAutoescape(false)
	l := &loader{trees: r.Trees}
	set := pongo2.NewSet("recipes", l)
	// ssi reads any file as text; include and extends go through the loader.
	if err := set.BanTag("ssi"); err != nil {
		return nil, err
	}
	set.Options.TrimBlocks = true
	set.Options.LStripBlocks = true
	return &Renderer{repo: r, set: set, loader: l}, nil
}

// Render returns the rendered build.sh of rc for ctx.
func (r *Renderer) Render(rc *Recipe, ctx Context) (string, error) {
	name := rc.Dir + "/" + BuildScript
	r.mu.Lock()
	defer r.mu.Unlock()
	r.loader.last = nil
	tpl, err := r.set.FromCache(name)
	if err != nil {
		return "", r.loadError(name, err)
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteWriter(ctx.value(), &buf); err != nil {
		return "", r.loadError(name, err)
	}
	return buf.String(), nil
}

// loadError prefers the loader's own reason, which pongo2 does not pass on.
func (r *Renderer) loadError(path string, err error) error {
	if r.loader.last != nil {
		return fmt.Errorf("%s: %w", path, r.loader.last)
	}
	return templateError(path, err)
}

// templateError puts pongo2's position first, as file:line:column.
func templateError(path string, err error) error {
	var pe *pongo2.Error
	if errors.As(err, &pe) {
		file := pe.Filename
		if file == "" || file == "<string>" {
			file = path
		}
		msg := pe.Sender
		if pe.OrigError != nil {
			msg += ": " + pe.OrigError.Error()
		}
		if pe.Line > 0 {
			return fmt.Errorf("%s:%d:%d: %s", file, pe.Line, pe.Column, msg)
		}
		return fmt.Errorf("%s: %s", file, msg)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// loader resolves template names inside the recipe trees only: first next
// to the including file, then in each tree's _templates, overlays first. A
// name is a tree's name joined with a path inside it (Tree.path).
type loader struct {
	trees []Tree
	last  error // why the last Get failed; guarded by Renderer.mu
}

// locate splits name into its tree and a valid path inside it.
func (l *loader) locate(name string) (Tree, string, bool) {
	for _, t := range l.trees {
		if rel, ok := strings.CutPrefix(name, t.Name+"/"); ok && fs.ValidPath(rel) {
			return t, rel, true
		}
	}
	return Tree{}, "", false
}

func (l *loader) Abs(base, name string) string {
	// pongo2 passes what Abs returned through Abs again: a name under a
	// tree's name is final, even one that leaves the tree (Get refuses it).
	for _, t := range l.trees {
		if strings.HasPrefix(name, t.Name+"/") {
			return name
		}
	}
	if filepath.IsAbs(name) {
		return name
	}
	var tries []string
	if t, rel, ok := l.locate(base); ok {
		tries = append(tries, t.path(path.Join(path.Dir(rel), name)))
	}
	for i := len(l.trees) - 1; i >= 0; i-- {
		tries = append(tries, l.trees[i].path(path.Join(TemplatesDir, name)))
	}
	// The first candidate that exists, or fails otherwise than by not
	// existing; else the first that leaves its tree, for Get to refuse;
	// else the last, for Get to report missing.
	out := ""
	for _, p := range tries {
		t, rel, ok := l.locate(p)
		if !ok {
			if out == "" {
				out = p
			}
			continue
		}
		if _, err := fs.Stat(t.FS, rel); !errors.Is(err, fs.ErrNotExist) {
			return p
		}
	}
	switch {
	case out != "":
		return out
	case len(tries) > 0:
		return tries[len(tries)-1]
	}
	return name
}

func (l *loader) Get(name string) (io.Reader, error) {
	t, rel, ok := l.locate(name)
	if !ok {
		l.last = fmt.Errorf("template %s is outside the recipe trees; templates may only come from the recipe's directory or %s/", name, TemplatesDir)
		return nil, l.last
	}
	data, err := fs.ReadFile(t.FS, rel)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		l.last = fmt.Errorf("template %s not found (looked next to the recipe and in %s/ of each recipe tree)", path.Base(rel), TemplatesDir)
		return nil, l.last
	case err != nil:
		l.last = fmt.Errorf("template %s cannot be read: %w (templates may only come from the recipe trees)", name, err)
		return nil, l.last
	}
	return bytes.NewReader(data), nil
}
