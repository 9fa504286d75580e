package pack_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/project"
	"stalix.dev/stalix-build/internal/store"
)

// packer plans the plan package's test tree for x86_64 and fills a store
// with a small fake output per node, as builds would have.
func packer(t *testing.T, outputs profile.Outputs) *pack.Packer {
	t.Helper()
	pr, err := project.Open(project.Options{Root: "../plan/testdata/tree"})
	if err != nil {
		t.Fatal(err)
	}
	prof := &profile.Profile{
		Name: "demo", File: "demo.toml", Targets: []string{"x86_64"}, Packages: []string{"hello"},
		Hostname: "box", Init: "busybox-runit", Toolchain: "seed", Outputs: outputs,
	}
	pl, err := plan.ForProfile(pr.Config(), prof)
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	for _, n := range pl.Nodes {
		txn, err := s.Begin(n.Base())
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(txn.Out, "bin"), 0o755)
		os.WriteFile(filepath.Join(txn.Out, "bin", n.Name), []byte("#!/bin/sh\necho "+n.Name+"\n"), 0o755)
		if err := txn.Commit(store.Manifest{Name: n.Name}); err != nil {
			t.Fatal(err)
		}
	}
	return &pack.Packer{Store: s, Plan: pl, Profile: prof, Epoch: 1}
}

func openStore(t *testing.T) *store.Store {
	s, err := store.Open(filepath.Join(t.TempDir(), "store"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var rootOnly = profile.Outputs{Initramfs: &profile.Initramfs{Compression: "gzip"}, Tar: &profile.Tar{}}

// TestWrite writes the images and SHA256SUMS, which sha256sum -c accepts,
// and leaves no temporary file behind.
func TestWrite(t *testing.T) {
	p := packer(t, rootOnly)
	out := t.TempDir()
	a, err := p.Write("x86_64", out)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(out, "demo-x86_64.initramfs.cpio.gz"), filepath.Join(out, "demo-x86_64.tar.zst")}
	if got := a.Files(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("wrote %v, want %v", got, want)
	}
	if err := pack.WriteSums(out); err != nil {
		t.Fatal(err)
	}
	names := dir(t, out)
	if strings.Join(names, " ") != "SHA256SUMS demo-x86_64.initramfs.cpio.gz demo-x86_64.tar.zst" {
		t.Errorf("out holds %v", names)
	}
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("needs sha256sum (coreutils) to check SHA256SUMS")
	}
	cmd := exec.Command("sha256sum", "-c", "SHA256SUMS")
	cmd.Dir = out
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v\n%s", err, b)
	}
}

// TestTwice: the images from a second store that lacks every package (it
// is copied over) are the same, and a failing write names the store.
func TestTwice(t *testing.T) {
	p := packer(t, rootOnly)
	res, err := p.Twice(openStore(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 {
		t.Fatalf("compared %d images, want 2: %+v", len(res), res)
	}
	for _, r := range res {
		if !r.Identical {
			t.Errorf("%s differs: %+v", r.Name, r)
		}
	}
	p = packer(t, profile.Outputs{Disk: &profile.Disk{Size: "64M", ESP: "32M"}})
	_, err = p.Twice(openStore(t))
	if err == nil || !strings.Contains(err.Error(), "from the first store") || !strings.Contains(err.Error(), "a disk needs a kernel") {
		t.Errorf("a disk without a kernel: %v", err)
	}
}

// TestDiskNeedsKernel fails before writing anything.
func TestDiskNeedsKernel(t *testing.T) {
	p := packer(t, profile.Outputs{Initramfs: &profile.Initramfs{Compression: "zstd"}, Disk: &profile.Disk{Size: "64M", ESP: "32M"}})
	out := t.TempDir()
	if _, err := p.Write("x86_64", out); err == nil || !strings.Contains(err.Error(), "demo.toml: a disk needs a kernel") {
		t.Errorf("error = %v", err)
	}
	if names := dir(t, out); len(names) != 0 {
		t.Errorf("out holds %v after a failed write", names)
	}
}

func dir(t *testing.T, d string) []string {
	des, err := os.ReadDir(d)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	sort.Strings(names)
	return names
}

// TestInstallMedia: an install media's images carry its system under /ix/install, with the
// system's kernel under its ESP name and an install.conf whose root PARTUUID is the one that
// kernel's command line names; the second store of Twice gets the system's closure too.
func TestInstallMedia(t *testing.T) {
	p := packer(t, profile.Outputs{Tar: &profile.Tar{}})
	pr, err := project.Open(project.Options{Root: "../plan/testdata/tree"})
	if err != nil {
		t.Fatal(err)
	}
	// The test tree has no kernel recipe: gfx stands in, with what a kernel's output holds.
	sysProf := &profile.Profile{
		Name: "sys", File: "sys.toml", Targets: []string{"x86_64"}, Packages: []string{"hello"}, Kernel: "gfx",
		Hostname: "box", Init: "busybox-runit", Toolchain: "seed",
	}
	sysPlan, err := plan.ForProfile(pr.Config(), sysProf)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range sysPlan.Nodes {
		if p.Store.Has(n.Base()) {
			continue
		}
		txn, err := p.Store.Begin(n.Base())
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(txn.Out, "boot"), 0o755)
		os.WriteFile(filepath.Join(txn.Out, "boot", "vmlinuz"), []byte("MZ kernel"), 0o644)
		os.WriteFile(filepath.Join(txn.Out, "boot", "config"), []byte("CONFIG_CMDLINE=\"console=ttyS0 root=PARTLABEL=stalix-root ro root=PARTUUID=1670c3f2-bdf7-562d-85c7-7cfa3ecb38f6\"\n"), 0o644)
		if err := txn.Commit(store.Manifest{Name: n.Name}); err != nil {
			t.Fatal(err)
		}
	}
	p.System = &pack.System{Profile: sysProf, Plan: sysPlan}
	out := t.TempDir()
	a, err := p.Write("x86_64", out)
	if err != nil {
		t.Fatal(err)
	}
	if a.InstallStoreCount < 2 {
		t.Errorf("the installed system counts %d store entries", a.InstallStoreCount)
	}
	list, err := exec.Command("tar", "--zstd", "-tvf", a.Tar).CombinedOutput()
	if err != nil {
		t.Skipf("needs tar with zstd to list the rootfs: %v %s", err, list)
	}
	conf, err := exec.Command("tar", "--zstd", "-xOf", a.Tar, "ix/install/install.conf").CombinedOutput()
	if err != nil {
		t.Fatalf("no install.conf: %v %s", err, conf)
	}
	for _, want := range []string{"SYSTEM='sys'", "ROOT_PARTUUID='1670c3f2-bdf7-562d-85c7-7cfa3ecb38f6'", "BOOT_FILE='BOOTX64.EFI'"} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("install.conf lacks %s:\n%s", want, conf)
		}
	}
	for _, want := range []string{" ix/install/BOOTX64.EFI", " ix/install/mke2fs.conf", " ix/install/root/etc/hostname", " ix/install/root/ix/store/"} {
		if !strings.Contains(string(list), want) {
			t.Errorf("the media lacks %s:\n%s", want, list)
		}
	}
	res, err := p.Twice(openStore(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if !r.Identical {
			t.Errorf("%s differs: %+v", r.Name, r)
		}
	}
	sysProf.Kernel = ""
	if _, err := p.Write("x86_64", t.TempDir()); err == nil || !strings.Contains(err.Error(), "sys.toml: the installed system has no kernel") {
		t.Errorf("a system without a kernel: %v", err)
	}
}
