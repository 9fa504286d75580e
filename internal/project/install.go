package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/recipe"
)

// System loads and plans the system an install media installs (its [install] profile, with
// [install.options] over that profile's options) for targets, by default the media's; nil when
// media is no install media. The profile is NAME.toml beside the media's file, else the tree's
// profiles/NAME.toml.
func (p *Project) System(media *profile.Profile, targets []string) (*pack.System, error) {
	if media == nil || media.Install == nil {
		return nil, nil
	}
	name := media.Install.Profile
	var sp *profile.Profile
	var err error
	if beside := filepath.Join(filepath.Dir(media.File), name+".toml"); fileExists(beside) {
		sp, err = profile.Load(beside)
	} else {
		sp, err = p.Profile(name)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: install.profile %q: no %s.toml beside it or in %s", media.File, name, name, p.name("profiles"))
	}
	if err != nil {
		return nil, err
	}
	if sp.Install != nil {
		return nil, fmt.Errorf("%s: install.profile %q is itself an install media; name a system profile", media.File, name)
	}
	if sp.Options == nil {
		sp.Options = map[string]map[string]any{}
	}
	for pkg, opts := range media.Install.Options {
		sp.Options[pkg] = recipe.MergeOptions(sp.Options[pkg], opts)
	}
	if len(targets) == 0 {
		targets = media.Targets
	}
	for _, t := range targets {
		if !sp.HasTarget(t) {
			return nil, fmt.Errorf("%s: installs %s, which has no target %s (its targets: %v)", media.File, sp.File, t, sp.Targets)
		}
	}
	pl, err := plan.ForProfile(p.Config(), sp, targets...)
	if err != nil {
		return nil, fmt.Errorf("%s: the installed system: %w", media.File, err)
	}
	return &pack.System{Profile: sp, Plan: pl}, nil
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
