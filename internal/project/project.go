// Package project loads the tree the verbs work on: recipes, stages,
// profiles and the seed lock, from a checkout or, outside one, from the
// tree built into the binary. It resolves a command's PROFILE|PKG argument
// and plans it.
package project

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	stalixbuild "stalix.dev/stalix-build"
	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/recipe"
)

// Embedded is what errors call the tree built into the binary.
const Embedded = "<embedded>"

// Options say where the tree is and how to plan it.
type Options struct {
	Root      string   // the checkout; "" finds it (see find)
	Overlays  []string // recipe trees that shadow the built-in ones
	Toolchain string   // overrides the profile's toolchain when set
	Dir       string   // the working directory, for relative paths
}

// Project is a loaded tree.
type Project struct {
	// Root is the checkout's directory, or Embedded; FS holds its files.
	Root      string
	FS        fs.FS
	Repo      *recipe.Repo
	Stages    *plan.Stages
	SeedHash  string
	Toolchain string
	dir       string
}

// Open loads the tree o names.
func Open(o Options) (*Project, error) {
	p := &Project{Root: find(o), Toolchain: o.Toolchain, dir: o.Dir}
	base := recipe.Tree{Name: p.name("recipes")}
	if p.Root == Embedded {
		p.FS = stalixbuild.Tree
		sub, err := fs.Sub(p.FS, "recipes")
		if err != nil {
			return nil, err
		}
		base.FS = sub
	} else {
		p.FS = os.DirFS(p.Root)
		var err error
		if base, err = recipe.DirTree(base.Name); err != nil {
			return nil, err
		}
	}
	trees := []recipe.Tree{base}
	for _, ov := range o.Overlays {
		t, err := recipe.DirTree(abs(o.Dir, ov))
		if err != nil {
			return nil, err
		}
		trees = append(trees, t)
	}
	var err error
	if p.Repo, err = recipe.OpenTrees(trees...); err != nil {
		return nil, err
	}
	data, err := p.read("stages/stages.toml")
	if err != nil {
		return nil, err
	}
	if p.Stages, err = plan.ParseStages(p.name("stages/stages.toml"), data); err != nil {
		return nil, err
	}
	// Every seed-stage hash names the seed by its lock: planning without
	// it would name a seed no one can fetch.
	es, _, err := p.SeedLock()
	if err != nil {
		return nil, fmt.Errorf("seed lock: %w (it pins the seed; see bootstrap/README.md to regenerate it)", err)
	}
	p.SeedHash = bootstrap.HashEntries(es)
	return p, nil
}

// find is --root, else $STALIX_ROOT, else the first directory from the
// working directory up that holds stages/stages.toml, else the tree built
// into the binary.
func find(o Options) string {
	if o.Root != "" {
		return abs(o.Dir, o.Root)
	}
	if r := os.Getenv("STALIX_ROOT"); r != "" {
		return abs(o.Dir, r)
	}
	for d := o.Dir; d != ""; {
		if _, err := os.Stat(filepath.Join(d, "stages", "stages.toml")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return Embedded
}

// name is what errors call the tree's file rel.
func (p *Project) name(rel string) string { return p.Root + "/" + rel }

func (p *Project) read(rel string) ([]byte, error) {
	data, err := fs.ReadFile(p.FS, rel)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.name(rel), unwrapPath(err))
	}
	return data, nil
}

// unwrapPath drops a PathError's own path, which names the file inside
// the FS only.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

const seedLock = "bootstrap/seed-" + plan.Host + ".lock"

// SeedLock reads the lock pinning the seed for this host; name is what
// errors call it.
func (p *Project) SeedLock() (es []bootstrap.Entry, name string, err error) {
	name = p.name(seedLock)
	data, err := p.read(seedLock)
	if err != nil {
		return nil, name, err
	}
	if es, err = bootstrap.ParseLock(bytes.NewReader(data)); err != nil {
		return nil, name, fmt.Errorf("%s: %w", name, err)
	}
	return es, name, nil
}

// SeedLockFile is the seed lock as a host file, for the seed import and
// update: the checkout's own, or the embedded one written under dir.
func (p *Project) SeedLockFile(dir string) (string, error) {
	if p.Root != Embedded {
		return filepath.Join(p.Root, seedLock), nil
	}
	data, err := p.read(seedLock)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, seedLock)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".lock-*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return path, nil
}

// SeedBase names the seed's store entry after its lock.
func (p *Project) SeedBase() string {
	return p.SeedHash[:32] + "-seed-" + plan.Host
}

// Config is what the planner needs of the project.
func (p *Project) Config() plan.Config {
	return plan.Config{Repo: p.Repo, Stages: p.Stages, SeedHash: p.SeedHash, Toolchain: p.Toolchain}
}

func abs(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
