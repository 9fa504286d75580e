package pack

import (
	"errors"
	"path/filepath"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/recipe"
	"stalix.dev/stalix-build/internal/store"
)

// Tools plans what the image step runs on the build host: the pipeline's
// own e2fsprogs, so the ext4 root's bytes depend on a pinned mke2fs, not
// on the host's. It is nil when the profile has no disk, or when the
// recipe tree has no e2fsprogs (the host's mke2fs writes the disk then).
func Tools(cfg plan.Config, prof *profile.Profile) (*plan.Plan, error) {
	if prof.Outputs.Disk == nil {
		return nil, nil
	}
	var unknown *recipe.UnknownError
	if _, err := cfg.Repo.Get("e2fsprogs"); errors.As(err, &unknown) {
		return nil, nil
	}
	return plan.ForPackages(cfg, plan.Host, "e2fsprogs")
}

// Mke2fs keeps the built tools as a gc root and returns their mke2fs, ""
// for no tools.
func Mke2fs(s *store.Store, tools *plan.Plan) (string, error) {
	if tools == nil {
		return "", nil
	}
	n := tools.Roots[plan.Host][0]
	if err := s.AddRoot("tool-e2fsprogs", n.Base()); err != nil {
		return "", err
	}
	return filepath.Join(s.Path(n.Base()), "sbin", "mke2fs"), nil
}
