package cli

import (
	"os"

	"stalix.dev/stalix-build/internal/check"
	"stalix.dev/stalix-build/internal/compose"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/store"
)

// imagesTwice writes the profile's images from the main store and again
// from the check's second store, into two temporary directories, and
// compares them. Packages the check did not rebuild are copied over.
func imagesTwice(s, second *store.Store, pl *plan.Plan, prof *profile.Profile, mke2fs string) ([]check.ImageResult, error) {
	a, err := os.MkdirTemp("", "stalix-image-a-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(a)
	b, err := os.MkdirTemp("", "stalix-image-b-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(b)
	for _, arch := range pl.Targets {
		for i, st := range []*store.Store{s, second} {
			if st == second {
				for _, n := range plan.Closure(pl.Roots[arch]) {
					if err := second.CopyFrom(s, n.Base()); err != nil {
						return nil, err
					}
				}
			}
			realm, err := compose.MakeRealm(st, pl, prof, arch, epoch())
			if err != nil {
				return nil, err
			}
			dir := []string{a, b}[i]
			if _, err := writeImages(st, prof, realm, arch, dir, prof.Name+"-"+arch, mke2fs); err != nil {
				return nil, err
			}
		}
	}
	return check.CompareImages(a, b)
}
