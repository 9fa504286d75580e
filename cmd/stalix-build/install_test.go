package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	diskfs "github.com/diskfs/go-diskfs"
	"github.com/diskfs/go-diskfs/filesystem"
	"github.com/diskfs/go-diskfs/partition/gpt"
)

// installedRoot is the PARTUUID profiles/install.toml builds into the installed kernel.
const installedRoot = "1670c3f2-bdf7-562d-85c7-7cfa3ecb38f6"

// TestInstallMedia builds the install media (profiles/install.toml) and, per target: installs
// minimal from it onto an empty NVMe disk and boots that disk alone (boot --install-check),
// reads the installed disk's GPT and runs the real e2fsck -fn and fsck.vfat -n on its two
// partitions, then boots the media's generic kernel with its root on NVMe, on AHCI and on a USB
// stick, and with an e1000e NIC that must get a DHCP lease. STALIX_TARGETS narrows the targets.
func TestInstallMedia(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: builds the install media and two generic kernels per target")
	}
	targets := bootTargets(t, "e2fsck", "fsck.vfat")
	bin := binary(t)
	stalix(t, bin, "seed")
	out, installed := t.TempDir(), t.TempDir()
	for _, arch := range targets {
		t.Run(arch, func(t *testing.T) {
			// Not in out/: SHA256SUMS lists the images there.
			disk := filepath.Join(installed, arch+".img")
			got := stalix(t, bin, "boot", "profiles/install.toml", "--target", arch, "--install-check", "--installed-disk", disk, "--out", out)
			t.Log(got)
			if !strings.Contains(got, "install check passed") {
				t.Fatalf("boot --install-check: %s", got)
			}
			checkInstalledDisk(t, disk, arch)
			for _, bus := range []string{"nvme", "ahci", "usb"} {
				got := stalix(t, bin, "boot", "profiles/install.toml", "--target", arch, "--disk", "--check", "--root-device", bus, "--out", out)
				if !strings.Contains(got, "boot check passed") || !strings.Contains(got, "root on "+bus) {
					t.Errorf("boot --root-device %s: %s", bus, got)
				}
			}
			got = stalix(t, bin, "boot", "profiles/install.toml", "--target", arch, "--disk", "--check", "--net", "e1000e", "--out", out)
			if !strings.Contains(got, "DHCP lease on eth0") {
				t.Errorf("boot --net e1000e: %s", got)
			}
		})
	}
}

// checkInstalledDisk reads what stalix-install wrote: a GPT with the ESP and the root (whose
// PARTUUID is the one the installed kernel looks for), each file system clean to the real
// checkers, and the kernel at the firmware's removable-media path.
func checkInstalledDisk(t *testing.T, path, arch string) {
	d, err := diskfs.Open(path, diskfs.WithOpenMode(diskfs.ReadOnly))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	pt, err := d.GetPartitionTable()
	if err != nil {
		t.Fatalf("%s: no partition table: %v", path, err)
	}
	table, ok := pt.(*gpt.Table)
	if !ok || len(table.Partitions) < 2 {
		t.Fatalf("%s: want a GPT with 2 partitions, got %T %+v", path, pt, pt)
	}
	esp, root := table.Partitions[0], table.Partitions[1]
	rootType := map[string]gpt.Type{"x86_64": gpt.LinuxRootX86_64, "aarch64": gpt.LinuxRootArm64}[arch]
	if esp.Type != gpt.EFISystemPartition || root.Type != rootType {
		t.Errorf("partition types %s, %s; want ESP and %s", esp.Type, root.Type, rootType)
	}
	if !strings.EqualFold(root.GUID, installedRoot) {
		t.Errorf("root partition GUID %s, want %s (the installed kernel's root=PARTUUID)", root.GUID, installedRoot)
	}
	dir := t.TempDir()
	for _, p := range []struct {
		part  *gpt.Partition
		name  string
		check []string
	}{
		{esp, "esp.img", []string{"fsck.vfat", "-n"}},
		{root, "root.img", []string{"e2fsck", "-fn"}},
	} {
		file := filepath.Join(dir, p.name)
		if err := copyRange(path, file, int64(p.part.Start)*512, int64(p.part.End-p.part.Start+1)*512); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(p.check[0], append(p.check[1:], file)...)
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		if err := cmd.Run(); err != nil {
			t.Errorf("%s on the installed %s: %v\n%s", strings.Join(p.check, " "), p.name, err, buf.String())
		} else {
			t.Logf("%s %s: clean\n%s", strings.Join(p.check, " "), p.name, buf.String())
		}
	}
	fs, err := d.GetFilesystem(1)
	if err != nil || fs.Type() != filesystem.TypeFat32 {
		t.Fatalf("the ESP: %v (type %v)", err, fs)
	}
	boot := map[string]string{"x86_64": "/EFI/BOOT/BOOTX64.EFI", "aarch64": "/EFI/BOOT/BOOTAA64.EFI"}[arch]
	f, err := fs.OpenFile(boot, os.O_RDONLY)
	if err != nil {
		t.Fatalf("the ESP has no %s: %v", boot, err)
	}
	head := make([]byte, 2)
	if _, err := io.ReadFull(f, head); err != nil || string(head) != "MZ" {
		t.Errorf("%s does not start with MZ, the PE header of an EFI program: %q %v", boot, head, err)
	}
}

// copyRange copies size bytes at offset of src into a new file dst.
func copyRange(src, dst string, offset, size int64) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, io.NewSectionReader(in, offset, size)); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
