package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
)

// Profile loads a profile named by a path, or by a bare name from the
// tree's profiles/.
func (p *Project) Profile(arg string) (*profile.Profile, error) {
	path := abs(p.dir, arg)
	if _, err := os.Stat(path); err != nil && !strings.ContainsAny(arg, "/.") {
		path = filepath.Join(p.Root, "profiles", arg+".toml")
	}
	return profile.Load(path)
}

// Resolve reads a command's PROFILE|PKG argument: a recipe's name is a
// package (prof is nil), anything else a profile.
func (p *Project) Resolve(arg string) (prof *profile.Profile, err error) {
	_, repoErr := p.Repo.Get(arg)
	if repoErr == nil && !strings.HasSuffix(arg, ".toml") {
		return nil, nil
	}
	prof, err = p.Profile(arg)
	if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(arg, "/.") {
		// A bare name is a package as often as a profile; say both were looked for.
		return nil, fmt.Errorf("%q is no profile (no profiles/%s.toml) and no package: %w", arg, arg, repoErr)
	}
	return prof, err
}

// Plan plans what arg names: a profile for targets (default: its own),
// or a package alone for the first of targets (default: the build host).
func (p *Project) Plan(arg string, prof *profile.Profile, targets []string) (*plan.Plan, error) {
	if prof == nil {
		t := plan.Host
		if len(targets) > 0 {
			t = targets[0]
		}
		return plan.ForPackages(p.Config(), t, arg)
	}
	for _, t := range targets {
		if !prof.HasTarget(t) {
			return nil, fmt.Errorf("%s: profile has no target %s (its targets: %v)", prof.File, t, prof.Targets)
		}
	}
	return plan.ForProfile(p.Config(), prof, targets...)
}

// PlanBy plans the package name for target as the toolchain tc builds it.
func (p *Project) PlanBy(tc, name, target string) (*plan.Plan, error) {
	cfg := p.Config()
	cfg.Toolchain = tc
	return plan.ForPackages(cfg, target, name)
}
