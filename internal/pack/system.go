package pack

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"stalix.dev/stalix-build/image/disk"
	"stalix.dev/stalix-build/internal/compose"
	"stalix.dev/stalix-build/internal/install"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/store"
)

// System is what an install media installs: the profile its [install] names, with the media's
// [install.options] laid over that profile's own, planned for the media's targets
// (project.Project.System). Its plan is separate from the media's: the two may build one recipe
// with different options, as the installed kernel differs from the media's.
type System struct {
	Profile *profile.Profile
	Plan    *plan.Plan
}

// Wanted is what the installed system needs, every target.
func (sys *System) Wanted() []*plan.Node {
	var out []*plan.Node
	for _, t := range sys.Plan.Targets {
		out = append(out, plan.Closure(sys.Plan.Roots[t])...)
	}
	return out
}

// payload composes the installed system for arch in s and returns what the media carries of it
// (install.Add); with root set, the realm is also kept as a gc root beside the media's.
func (sys *System) payload(s *store.Store, media *profile.Profile, arch string, epoch int64, root bool) (*install.System, *compose.Realm, error) {
	realm, err := compose.MakeRealm(s, sys.Plan, sys.Profile, arch, epoch)
	if err != nil {
		return nil, nil, err
	}
	if root {
		if err := s.AddRoot("realm-"+media.Name+"-installs-"+sys.Profile.Name+"-"+arch, realm.Base); err != nil {
			return nil, nil, err
		}
	}
	if realm.Kernel == nil {
		return nil, nil, fmt.Errorf("%s: the installed system has no kernel: set kernel in it", sys.Profile.File)
	}
	t, err := compose.Root(s, realm, epoch)
	if err != nil {
		return nil, nil, err
	}
	kroot, err := KernelRoot(s, realm.Kernel)
	if err != nil {
		return nil, nil, err
	}
	esp := int64(disk.MinESPSize)
	if d := sys.Profile.Outputs.Disk; d != nil {
		esp, _ = profile.ParseSize(d.ESP) // the profile loader checked it
	}
	return &install.System{
		Name: sys.Profile.Name, Arch: arch, Tree: t, Root: kroot, ESPSize: esp, Seed: []byte(realm.Base),
		StoreCount: len(realm.Packages) + 1,
		Kernel:     filepath.Join(s.Path(realm.Kernel.Base()), "boot", "vmlinuz"),
	}, realm, nil
}

// KernelRoot is what a built kernel's command line names as its root, so that a disk for it
// gives the root partition that name or GUID. A kernel that keeps no config names nothing.
func KernelRoot(s *store.Store, kernel *plan.Node) (disk.Root, error) {
	config := filepath.Join(s.Path(kernel.Base()), "boot", "config")
	cmdline, err := disk.KernelCmdline(config)
	if errors.Is(err, fs.ErrNotExist) {
		return disk.Root{}, nil
	}
	if err != nil {
		return disk.Root{}, err
	}
	root, err := disk.RootFromCmdline(cmdline)
	if err != nil {
		return disk.Root{}, fmt.Errorf("%s: %w", config, err)
	}
	return root, nil
}
