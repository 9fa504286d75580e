package recipe

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
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
	l := &loader{roots: r.Roots}
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
	path := filepath.Join(rc.Dir, BuildScript)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.loader.last = nil
	tpl, err := r.set.FromCache(path)
	if err != nil {
		return "", r.loadError(path, err)
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteWriter(ctx.value(), &buf); err != nil {
		return "", r.loadError(path, err)
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

// loader resolves template names inside the recipe trees only: first next to
// the including file, then in each tree's _templates, overlays first.
type loader struct {
	roots []string
	last  error // why the last Get failed; guarded by Renderer.mu
	// real holds the roots with symlinks resolved, and seen the verdicts
	// of inside, both filled lazily; guarded by Renderer.mu.
	real []string
	seen map[string]bool
}

func (l *loader) Abs(base, name string) string {
	if filepath.IsAbs(name) {
		return filepath.Clean(name)
	}
	var tries []string
	if base != "" {
		tries = append(tries, filepath.Join(filepath.Dir(base), name))
	}
	for i := len(l.roots) - 1; i >= 0; i-- {
		tries = append(tries, filepath.Join(l.roots[i], TemplatesDir, name))
	}
	for _, p := range tries {
		// Stat first: most candidates do not exist, and inside costs a
		// symlink walk.
		if _, err := os.Stat(p); err == nil && l.inside(p) {
			return p
		}
	}
	if len(tries) > 0 {
		return tries[len(tries)-1]
	}
	return name
}

func (l *loader) Get(path string) (io.Reader, error) {
	if !l.inside(path) {
		l.last = fmt.Errorf("template %s is outside the recipe trees; templates may only come from the recipe's directory or %s/", path, TemplatesDir)
		return nil, l.last
	}
	data, err := os.ReadFile(path)
	if err != nil {
		l.last = fmt.Errorf("template %s not found (looked next to the recipe and in %s/ of each recipe tree)", filepath.Base(path), TemplatesDir)
		return nil, l.last
	}
	return bytes.NewReader(data), nil
}

// inside reports whether p, with symlinks resolved, lies in one of the roots.
func (l *loader) inside(p string) bool {
	if v, ok := l.seen[p]; ok {
		return v
	}
	if l.real == nil {
		l.seen = map[string]bool{}
		for _, root := range l.roots {
			rr, err := filepath.EvalSymlinks(root)
			if err != nil {
				rr = root
			}
			l.real = append(l.real, rr)
		}
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		real = filepath.Clean(p)
	}
	ok := false
	for _, rr := range l.real {
		if rel, err := filepath.Rel(rr, real); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
			ok = true
		}
	}
	l.seen[p] = ok
	return ok
}
