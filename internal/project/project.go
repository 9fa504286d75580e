// Package project loads the tree the verbs work on: recipes, stages,
// profiles and the seed lock, from a checkout. It resolves a command's
// PROFILE|PKG argument and plans it.
package project

import (
	"fmt"
	"os"
	"path/filepath"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/recipe"
)

// Options say where the tree is and how to plan it.
type Options struct {
	Root      string   // the checkout; "" finds it (see find)
	Overlays  []string // recipe trees that shadow the built-in ones
	Toolchain string   // overrides the profile's toolchain when set
	Dir       string   // the working directory, for relative paths
}

// Project is a loaded tree.
type Project struct {
	Root      string
	Repo      *recipe.Repo
	Stages    *plan.Stages
	SeedHash  string
	Toolchain string
	dir       string
}

// Open loads the tree o names.
func Open(o Options) (*Project, error) {
	root, err := find(o)
	if err != nil {
		return nil, err
	}
	var overlays []string
	for _, ov := range o.Overlays {
		overlays = append(overlays, abs(o.Dir, ov))
	}
	repo, err := recipe.Open(filepath.Join(root, "recipes"), overlays...)
	if err != nil {
		return nil, err
	}
	st, err := plan.LoadStages(filepath.Join(root, "stages", "stages.toml"))
	if err != nil {
		return nil, err
	}
	p := &Project{Root: root, Repo: repo, Stages: st, Toolchain: o.Toolchain, dir: o.Dir}
	// Every seed-stage hash names the seed by its lock: planning without
	// it would name a seed no one can fetch.
	p.SeedHash, err = bootstrap.LockHash(p.SeedLock())
	if err != nil {
		return nil, fmt.Errorf("seed lock: %w (it pins the seed; see bootstrap/README.md to regenerate it)", err)
	}
	return p, nil
}

// find is --root, else $STALIX_ROOT, else the first directory from the
// working directory up that holds stages/stages.toml.
func find(o Options) (string, error) {
	if o.Root != "" {
		return abs(o.Dir, o.Root), nil
	}
	if r := os.Getenv("STALIX_ROOT"); r != "" {
		return abs(o.Dir, r), nil
	}
	for d := o.Dir; ; {
		if _, err := os.Stat(filepath.Join(d, "stages", "stages.toml")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no stages/stages.toml in %s or above: run from a stalix-build checkout or pass --root", o.Dir)
		}
		d = parent
	}
}

// SeedLock is the lock pinning the seed for this host.
func (p *Project) SeedLock() string {
	return filepath.Join(p.Root, "bootstrap", "seed-"+plan.Host+".lock")
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
