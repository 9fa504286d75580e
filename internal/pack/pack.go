// Package pack is the image step: it turns a built profile into the files
// under out/. For each target it composes the realm (a gc root), lays out
// the root tree, and writes the initramfs, the rootfs tarball, the kernel
// and the disk, each through a temporary file; SHA256SUMS lists them. The
// image, boot and check verbs all write through it, one file per step.
package pack

import (
	"os"
	"strconv"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/store"
)

// Packer writes the images of one planned profile from one store.
type Packer struct {
	Store   *store.Store
	Plan    *plan.Plan
	Profile *profile.Profile
	// Mke2fs writes the ext4 root; "" takes the host's (see Tools).
	Mke2fs string
	// Epoch is every timestamp in the images.
	Epoch int64
	// Tools are the image tools' nodes (e2fsprogs), and Seed and SeedBase
	// the seed's lock and store entry: the SBOM names them.
	Tools    []*plan.Node
	Seed     []bootstrap.Entry
	SeedBase string
	// Manifest, when set, is where the SBOM reads manifests instead of the
	// store: a store filled from a binary cache lacks the build inputs,
	// whose signed records still give theirs.
	Manifest func(base string) (*store.Manifest, error)
	// System is what an install media carries for stalix-install, under
	// install.Dir; nil for any other profile. The store must hold its
	// closure too.
	System *System
}

// Artifacts are the files one target's images went to, by kind; "" for a
// kind the profile does not ask for.
type Artifacts struct {
	Initramfs, Disk, Tar, Kernel string
	StoreCount                   int // entries under /ix/store in the root
	// InstallStoreCount is the same for the system an install media carries.
	InstallStoreCount int
}

// Files lists the artifacts written, in a fixed order.
func (a *Artifacts) Files() []string {
	var out []string
	for _, f := range []string{a.Initramfs, a.Disk, a.Tar, a.Kernel} {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Epoch is SOURCE_DATE_EPOCH, else the builds' fixed default.
func Epoch() int64 {
	if v, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		return v
	}
	return build.DefaultEpoch
}
