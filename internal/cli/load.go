package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/recipe"
	"stalix.dev/stalix-build/internal/store"
)

// project is a loaded checkout: recipes, stages, the seed lock's hash.
type project struct {
	root   string
	repo   *recipe.Repo
	stages *plan.Stages
	seed   string
	// toolchain overrides the profile's choice when set (--toolchain).
	toolchain string
}

func (c *common) load(e *Env) (*project, error) {
	root, err := c.projectRoot(e)
	if err != nil {
		return nil, err
	}
	var overlays []string
	for _, o := range c.overlays {
		overlays = append(overlays, absFrom(e.Dir, o))
	}
	repo, err := recipe.Open(filepath.Join(root, "recipes"), overlays...)
	if err != nil {
		return nil, err
	}
	st, err := plan.LoadStages(filepath.Join(root, "stages", "stages.toml"))
	if err != nil {
		return nil, err
	}
	return &project{root: root, repo: repo, stages: st, seed: seedHash(root), toolchain: c.toolchain}, nil
}

// seedHash names the seed by its lock, which pins every .deb by sha256.
func seedHash(root string) string {
	h, err := bootstrap.LockHash(filepath.Join(root, "bootstrap", "seed-"+plan.Host+".lock"))
	if err != nil {
		return "unlocked"
	}
	return h
}

func (p *project) seedLock() string {
	return filepath.Join(p.root, "bootstrap", "seed-"+plan.Host+".lock")
}

func (p *project) config() plan.Config {
	return plan.Config{Repo: p.repo, Stages: p.stages, SeedHash: p.seed, Toolchain: p.toolchain}
}

// profilePath accepts a path or a bare name from profiles/.
func (p *project) profile(e *Env, arg string) (*profile.Profile, error) {
	path := absFrom(e.Dir, arg)
	if _, err := os.Stat(path); err != nil && !strings.ContainsAny(arg, "/.") {
		path = filepath.Join(p.root, "profiles", arg+".toml")
	}
	return profile.Load(path)
}

// planFor plans a profile (path or name) or, when arg names a recipe, that
// package alone.
func (p *project) planFor(e *Env, arg string, targets []string) (*plan.Plan, *profile.Profile, error) {
	_, repoErr := p.repo.Get(arg)
	if repoErr == nil && !strings.HasSuffix(arg, ".toml") {
		t := plan.Host
		if len(targets) > 0 {
			t = targets[0]
		}
		pl, err := plan.ForPackages(p.config(), t, arg)
		return pl, nil, err
	}
	prof, err := p.profile(e, arg)
	if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(arg, "/.") {
		// A bare name is a package as often as a profile; say both were looked for.
		return nil, nil, fmt.Errorf("%q is no profile (no profiles/%s.toml) and no package: %w", arg, arg, repoErr)
	}
	if err != nil {
		return nil, nil, err
	}
	for _, t := range targets {
		if !prof.HasTarget(t) {
			return nil, nil, fmt.Errorf("%s: profile has no target %s (its targets: %v)", prof.File, t, prof.Targets)
		}
	}
	pl, err := plan.ForProfile(p.config(), prof, targets...)
	return pl, prof, err
}

func (c *common) openStore() (*store.Store, error) {
	dir := c.store
	if dir == "" {
		dir = store.DefaultDir()
	}
	return store.Open(dir)
}

func markCached(pl *plan.Plan, s *store.Store) {
	for _, n := range pl.Nodes {
		n.Cached = s.Has(n.Base())
	}
}

func absFrom(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
