package pack

import (
	"fmt"
	"os"

	"stalix.dev/stalix-build/internal/check"
	"stalix.dev/stalix-build/internal/compose"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/store"
)

// Twice writes every target's images from the packer's store and again
// from second (a check's rebuild store), into two temporary directories,
// and compares them. Packages second lacks (those the check did not
// rebuild) are copied over first.
func (p *Packer) Twice(second *store.Store) ([]check.ImageResult, error) {
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
	for _, arch := range p.Plan.Targets {
		roots := p.Plan.Roots[arch]
		if p.System != nil {
			roots = append(append([]*plan.Node(nil), roots...), p.System.Plan.Roots[arch]...)
		}
		for _, n := range plan.Closure(roots) {
			if err := second.CopyFrom(p.Store, n.Base()); err != nil {
				return nil, err
			}
		}
		for i, s := range []*store.Store{p.Store, second} {
			realm, err := compose.MakeRealm(s, p.Plan, p.Profile, arch, p.Epoch)
			if err != nil {
				return nil, err
			}
			if _, err := p.images(s, realm, arch, []string{a, b}[i], false); err != nil {
				return nil, fmt.Errorf("%s images from the %s store: %w", arch, []string{"first", "second"}[i], err)
			}
		}
	}
	return check.CompareImages(a, b)
}
