package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
)

// Profile loads a profile named by a host path; or by a bare name, as
// profiles/NAME.toml of the tree; or by a path inside the tree, such as
// profiles/minimal.toml outside the checkout.
func (p *Project) Profile(arg string) (*profile.Profile, error) {
	host := abs(p.dir, arg)
	rel := path.Clean(filepath.ToSlash(arg))
	if !strings.ContainsAny(arg, "/.") {
		rel = "profiles/" + arg + ".toml"
	}
	if _, err := os.Stat(host); err == nil || !fs.ValidPath(rel) {
		return profile.Load(host)
	}
	if _, err := fs.Stat(p.FS, rel); err != nil && strings.ContainsAny(arg, "/.") {
		return profile.Load(host) // says the host file is missing
	}
	prof, err := profile.LoadFS(p.FS, rel, p.name(rel))
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("%s: %w", p.name(rel), pe.Err)
	}
	return prof, err
}

// Profiles names every profile in the tree's profiles/, sorted.
func (p *Project) Profiles() ([]string, error) {
	files, err := fs.Glob(p.FS, "profiles/*.toml")
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(path.Base(f), ".toml"))
	}
	return names, err
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
