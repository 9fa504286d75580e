package pack

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"stalix.dev/stalix-build/image/disk"
	"stalix.dev/stalix-build/image/initramfs"
	"stalix.dev/stalix-build/image/rootfs"
	"stalix.dev/stalix-build/internal/atomicfile"
	"stalix.dev/stalix-build/internal/compose"
	"stalix.dev/stalix-build/internal/install"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/store"
)

// Write composes arch's realm in the store, keeps it as a gc root, and
// writes its images into out as <profile>-<arch>.*; the store must hold
// the profile's closure for arch.
func (p *Packer) Write(arch, out string) (*Artifacts, error) {
	realm, err := compose.MakeRealm(p.Store, p.Plan, p.Profile, arch, p.Epoch)
	if err != nil {
		return nil, err
	}
	if err := p.Store.AddRoot("realm-"+p.Profile.Name+"-"+arch, realm.Base); err != nil {
		return nil, err
	}
	return p.images(p.Store, realm, arch, out, true)
}

// images writes realm's images from s into out; roots keeps an install media's system realm as
// a gc root.
func (p *Packer) images(s *store.Store, realm *compose.Realm, arch, out string, roots bool) (*Artifacts, error) {
	prof := p.Profile
	if prof.Outputs.Disk != nil && realm.Kernel == nil {
		return nil, fmt.Errorf("%s: a disk needs a kernel for its ESP: set kernel in the profile", prof.File)
	}
	t, err := compose.Root(s, realm, p.Epoch)
	if err != nil {
		return nil, err
	}
	var payload *install.System
	if p.System != nil {
		if payload, _, err = p.System.payload(s, prof, arch, p.Epoch, roots); err != nil {
			return nil, err
		}
		if err := install.Add(t, *payload); err != nil {
			return nil, fmt.Errorf("%s: %w", prof.File, err)
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	a := &Artifacts{StoreCount: len(realm.Packages) + 1}
	if payload != nil {
		a.InstallStoreCount = payload.StoreCount
	}
	path := func(ext string) string { return filepath.Join(out, prof.Name+"-"+arch+ext) }
	if c := prof.Outputs.Initramfs; c != nil {
		a.Initramfs = path(".initramfs.cpio." + map[string]string{"zstd": "zst", "gzip": "gz"}[c.Compression])
		if err := atomicfile.Write(a.Initramfs, func(w io.Writer) error { return initramfs.WriteInitramfs(w, t, c.Compression) }); err != nil {
			return nil, fmt.Errorf("initramfs: %w", err)
		}
	}
	if prof.Outputs.Tar != nil {
		a.Tar = path(".tar.zst")
		if err := atomicfile.Write(a.Tar, func(w io.Writer) error { return rootfs.WriteTar(w, t, "zstd") }); err != nil {
			return nil, fmt.Errorf("rootfs tarball: %w", err)
		}
	}
	if realm.Kernel != nil {
		a.Kernel = path(".vmlinuz")
		src := filepath.Join(s.Path(realm.Kernel.Base()), "boot", "vmlinuz")
		if err := atomicfile.Write(a.Kernel, func(w io.Writer) error { return copyInto(w, src) }); err != nil {
			return nil, fmt.Errorf("kernel: %w", err)
		}
	}
	if d := prof.Outputs.Disk; d != nil {
		// The profile loader checked both sizes.
		size, _ := profile.ParseSize(d.Size)
		esp, _ := profile.ParseSize(d.ESP)
		// The root partition gets the name or GUID the kernel's built-in root= asks for.
		root, err := KernelRoot(s, realm.Kernel)
		if err != nil {
			return nil, err
		}
		a.Disk = path(".img")
		err = atomicfile.WriteNamed(a.Disk, func(tmp string) error {
			_, err := disk.WriteDisk(tmp, disk.Spec{
				Size: size, ESPSize: esp, Arch: arch, Kernel: a.Kernel, Tree: t, RootLabel: root.Label, RootPartUUID: root.PartUUID,
				Seed: []byte(realm.Base), WorkDir: filepath.Join(s.Dir, ".build"), Mke2fs: p.Mke2fs,
			})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("%s: disk: %w", prof.File, err)
		}
	}
	return a, nil
}

// copyInto copies the file src to w (the kernel into out/).
func copyInto(w io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
