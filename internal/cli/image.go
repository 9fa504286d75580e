package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"stalix.dev/stalix-build/image/disk"
	"stalix.dev/stalix-build/image/initramfs"
	"stalix.dev/stalix-build/image/rootfs"
	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/compose"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/store"
)

func init() {
	register("image", "build a profile and write its images under out/", runImage)
}

// artifacts are the files one target's image step writes, by kind.
type artifacts struct {
	Initramfs, Disk, Tar, Kernel string
	StoreCount                   int // entries under /ix/store in the root
}

func runImage(e *Env, args []string) error {
	var b buildFlags
	fs := newFlagSet(e, "image", "PROFILE [--target T] [--out DIR]",
		"Build the profile, compose its realm and write out/<profile>-<arch>.{initramfs.cpio.zst,img,tar.zst,vmlinuz} and out/SHA256SUMS.")
	b.add(fs)
	outDir := fs.String("out", "out", "directory for the images")
	ss, err := b.open(e, fs, args, true)
	if err != nil {
		return err
	}
	defer ss.close()
	out := absFrom(e.Dir, *outDir)
	mke2fs, err := prepareImages(ss, e, &b)
	if err != nil {
		return err
	}
	for _, arch := range ss.pl.Targets {
		a, err := makeImages(ss, arch, out, mke2fs)
		if err != nil {
			return err
		}
		for _, f := range []string{a.Initramfs, a.Disk, a.Tar, a.Kernel} {
			if f != "" {
				fmt.Fprintln(e.Stdout, f)
			}
		}
	}
	return writeSums(out)
}

// epoch is SOURCE_DATE_EPOCH, else the fixed default.
func epoch() int64 {
	if v, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		return v
	}
	return build.DefaultEpoch
}

// prepareImages builds every target's closure in one scheduler run (the
// host-side nodes are shared, and one target's long kernel build overlaps
// the other's toolchain), then the image tools; it returns mke2fs.
func prepareImages(ss *session, e *Env, b *buildFlags) (string, error) {
	if _, err := buildPlan(ss.ctx, e, b, ss.p, ss.s, ss.pl, ss.wanted()); err != nil {
		return "", err
	}
	return imageTools(ss.ctx, e, b, ss.p, ss.s, ss.prof)
}

// makeImages composes arch's realm, a gc root, and writes its images;
// prepareImages has built what they need.
func makeImages(ss *session, arch, out, mke2fs string) (*artifacts, error) {
	realm, err := compose.MakeRealm(ss.s, ss.pl, ss.prof, arch, epoch())
	if err != nil {
		return nil, err
	}
	if err := ss.s.AddRoot("realm-"+ss.prof.Name+"-"+arch, realm.Base); err != nil {
		return nil, err
	}
	return writeImages(ss.s, ss.prof, realm, arch, out, ss.prof.Name+"-"+arch, mke2fs)
}

// imageTools builds the pipeline's own e2fsprogs for the build host, so
// the ext4 root's bytes depend on a pinned mke2fs, not on the host's.
func imageTools(ctx context.Context, e *Env, b *buildFlags, p *project, s *store.Store, prof *profile.Profile) (string, error) {
	if prof.Outputs.Disk == nil {
		return "", nil
	}
	if _, err := p.repo.Get("e2fsprogs"); err != nil {
		fmt.Fprintln(e.Stderr, "image: no e2fsprogs recipe; using the host's mke2fs")
		return "", nil
	}
	tools, err := plan.ForPackages(p.config(), plan.Host, "e2fsprogs")
	if err != nil {
		return "", err
	}
	if _, err := buildPlan(ctx, e, b, p, s, tools, tools.Roots[plan.Host]); err != nil {
		return "", err
	}
	n := tools.Roots[plan.Host][0]
	if err := s.AddRoot("tool-e2fsprogs", n.Base()); err != nil {
		return "", err
	}
	return filepath.Join(s.Path(n.Base()), "sbin", "mke2fs"), nil
}

func writeImages(s *store.Store, prof *profile.Profile, realm *compose.Realm, arch, out, stem, mke2fs string) (*artifacts, error) {
	t, err := compose.Root(s, realm, epoch())
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	a := &artifacts{StoreCount: len(realm.Packages) + 1}
	path := func(ext string) string { return filepath.Join(out, stem+ext) }
	if c := prof.Outputs.Initramfs; c != nil {
		a.Initramfs = path(".initramfs.cpio." + map[string]string{"zstd": "zst", "gzip": "gz"}[c.Compression])
		err := atomicWrite(a.Initramfs, func(w io.Writer) error { return initramfs.WriteInitramfs(w, t, c.Compression) })
		if err != nil {
			return nil, fmt.Errorf("initramfs: %w", err)
		}
	}
	if prof.Outputs.Tar != nil {
		a.Tar = path(".tar.zst")
		if err := atomicWrite(a.Tar, func(w io.Writer) error { return rootfs.WriteTar(w, t, "zstd") }); err != nil {
			return nil, fmt.Errorf("rootfs tarball: %w", err)
		}
	}
	if realm.Kernel != nil {
		a.Kernel = path(".vmlinuz")
		src := filepath.Join(s.Path(realm.Kernel.Base()), "boot", "vmlinuz")
		if err := atomicWrite(a.Kernel, func(w io.Writer) error { return copyInto(w, src) }); err != nil {
			return nil, fmt.Errorf("kernel: %w", err)
		}
	}
	if d := prof.Outputs.Disk; d != nil {
		if a.Kernel == "" {
			return nil, fmt.Errorf("%s: a disk needs a kernel for its ESP: set kernel in the profile", prof.File)
		}
		size, _ := profile.ParseSize(d.Size)
		esp, _ := profile.ParseSize(d.ESP)
		a.Disk = path(".img")
		tmp := a.Disk + ".tmp"
		os.Remove(tmp)
		_, err := disk.WriteDisk(tmp, disk.Spec{
			Size: size, ESPSize: esp, Arch: arch, Kernel: a.Kernel, Tree: t,
			Seed: []byte(realm.Base), WorkDir: filepath.Join(s.Dir, ".build"), Mke2fs: mke2fs,
		})
		if err != nil {
			os.Remove(tmp)
			return nil, fmt.Errorf("%s: disk: %w", prof.File, err)
		}
		if err := os.Rename(tmp, a.Disk); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// atomicWrite writes path through a temporary file so out/ never holds a
// half-written image.
func atomicWrite(path string, fill func(w io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

func copyInto(w io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// writeSums lists every image in out, sorted, in sha256sum's format.
func writeSums(out string) error {
	des, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	var names []string
	for _, de := range des {
		n := de.Name()
		if de.Type().IsRegular() && n != "SHA256SUMS" && !strings.HasSuffix(n, ".tmp") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		sum, err := store.FileSHA256(filepath.Join(out, n))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, n)
	}
	return atomicWrite(filepath.Join(out, "SHA256SUMS"), func(w io.Writer) error {
		_, err := io.WriteString(w, b.String())
		return err
	})
}
