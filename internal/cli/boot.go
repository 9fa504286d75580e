package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"stalix.dev/stalix-build/internal/install"
	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/qemu"
)

func init() {
	register("boot", "boot a profile's image under QEMU, or check that it boots", runBoot)
}

func runBoot(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "boot", "PROFILE [--target T] [--disk|--initramfs] [--root-device BUS] [--net NIC] [--screen] [--check] [--install-check] [--kvm]",
		"Build the images of one target (--target, else the profile's first) if needed and boot one under QEMU with the serial console here. --check logs in, "+
			"checks uname -m, /etc/os-release and the store, runs the profile's [check] commands, powers off, and fails with the console log otherwise. "+
			"--install-check (an install media) installs onto an empty NVMe disk and boots that disk alone. "+
			"--screen boots the disk under UEFI with a display (virtio-gpu-pci) and input devices; with --check it takes screendumps until the profile's [screen] regions show, "+
			"saves the last as out/<profile>-<arch>.png (out/<profile>-<arch>.fail.png when they never do) and fails with the regions measured and the console log.")
	b.add(fs)
	b.cache.add(fs)
	useDisk := fs.Bool("disk", false, "boot the GPT disk through UEFI firmware")
	useInitramfs := fs.Bool("initramfs", false, "boot the kernel and initramfs directly (the default)")
	doCheck := fs.Bool("check", false, "check the boot instead of handing over the console")
	installCheck := fs.Bool("install-check", false, "boot the install media with an empty NVMe disk, run stalix-install, then boot that disk alone and check it")
	installedDisk := fs.String("installed-disk", "", "with --install-check: the file to install onto (kept afterwards; default a temporary file)")
	rootDevice := fs.String("root-device", "", "with --disk: the controller the disk sits on: "+strings.Join(qemu.Buses, ", ")+" (default virtio)")
	net := fs.String("net", "", "a NIC on QEMU's user network, restrict=on: "+strings.Join(qemu.Nets, " or ")+"; --check then wants a DHCP lease on eth0")
	kvm := fs.Bool("kvm", false, "use KVM (off by default: on some hosts a KVM guest hangs at \"Booting from ROM\")")
	outDir := fs.String("out", "out", "directory for the images")
	timeout := fs.Duration("timeout", 10*time.Minute, "how long --check waits for each step")
	useScreen := fs.Bool("screen", false, "boot the disk under UEFI with a display device; with --check, check the profile's [screen] regions in screendumps")
	write := fs.Bool("write", false, "let the guest write to the disk image (by default writes go to a snapshot)")
	// One target, --target or else the profile's first, and only it is built.
	ss, err := b.open(e, fs, args, takes{n: 1, want: "one PROFILE", profile: true, one: true})
	if err != nil {
		return err
	}
	defer ss.close()
	switch {
	case *useDisk && *useInitramfs:
		return usagef("--disk and --initramfs exclude each other")
	case *rootDevice != "" && !*useDisk:
		return usagef("--root-device is for --disk boots")
	case *installCheck && (*useInitramfs || *useDisk || *doCheck || *rootDevice != ""):
		return usagef("--install-check boots the media and the installed disk itself: leave out --disk, --initramfs, --check and --root-device")
	case *installedDisk != "" && !*installCheck:
		return usagef("--installed-disk is for --install-check")
	}
	if *useScreen && *useInitramfs {
		return usagef("--screen boots the disk under UEFI firmware, which shows the display; drop --initramfs")
	}
	ctx, prof, arch := ss.ctx, ss.prof, ss.pl.Targets[0]
	if *installCheck && (ss.sys == nil || prof.Outputs.Disk == nil) {
		return fmt.Errorf("%s: --install-check needs an install media: [install] and [outputs.disk] (see profiles/install.toml)", prof.File)
	}
	pk, err := ss.packer()
	if err != nil {
		return err
	}
	out := absFrom(e.Dir, *outDir)
	a, err := pk.Write(arch, out)
	if err != nil {
		return err
	}
	if err := pack.WriteSums(out); err != nil {
		return err
	}
	want := qemu.Expect{Arch: arch, StoreCount: a.StoreCount, Timeout: *timeout, Commands: prof.Check.Commands}
	if *net != "" {
		want.DHCP = "eth0"
	}
	if *installCheck {
		media := qemu.Machine{Arch: arch, Disk: a.Disk, KVM: *kvm, Net: *net}
		return runInstallCheck(e, ss, a, media, want, *installedDisk)
	}
	m := qemu.Direct(arch, a.Kernel, a.Initramfs)
	switch {
	case *useScreen && a.Disk == "":
		return fmt.Errorf("%s: --screen boots the disk under UEFI, and the profile has no [outputs.disk]: add one (profiles/desktop.toml has an example)", prof.File)
	case *useScreen:
		m = qemu.Machine{Arch: arch, Disk: a.Disk, Display: true}
	case *useDisk && a.Disk == "":
		return fmt.Errorf("%s: the profile has no [outputs.disk]", prof.File)
	case *useDisk:
		m = qemu.Machine{Arch: arch, Disk: a.Disk, Bus: *rootDevice}
		want.RootBus = *rootDevice
		if arch == "aarch64" && *rootDevice == "ahci" {
			// Debian's QEMU_EFI has no SATA driver, so it cannot load the ESP's kernel from AHCI:
			// QEMU hands the same kernel to the firmware instead, which starts it under UEFI with
			// ACPI as from the ESP, and the kernel mounts its root from the AHCI disk.
			m.Kernel, m.FirmwareKernel = a.Kernel, true
			fmt.Fprintf(e.Stderr, "boot: QEMU_EFI cannot boot from AHCI; it starts %s from QEMU, and the root is on AHCI\n", a.Kernel)
		}
	case a.Initramfs == "" || a.Kernel == "":
		return fmt.Errorf("%s: the profile needs [outputs.initramfs] and a kernel", prof.File)
	}
	m.KVM, m.Write, m.Net = *kvm, *write, *net
	if !*doCheck {
		return m.Run(ctx, os.Stdin, e.Stdout, e.Stderr, func(bin string) { fmt.Fprintf(e.Stderr, "boot: %s (leave with Ctrl-A X)\n", bin) })
	}
	start := time.Now()
	if *useScreen {
		timeoutSet := false
		fs.Visit(func(f *flag.Flag) { timeoutSet = timeoutSet || f.Name == "timeout" })
		return screenCheck(e, ctx, m, prof, arch, out, *timeout, timeoutSet, start)
	}
	err = qemu.Check(ctx, m, want, nil)
	if err != nil {
		return fmt.Errorf("boot check of %s failed: %w", m, err)
	}
	fmt.Fprintf(e.Stdout, "boot check passed: %s, %s, %d store entries%s, %.1fs\n", m, arch, a.StoreCount, extras(want), time.Since(start).Seconds())
	return nil
}

// runInstallCheck is boot --install-check: the media installs onto an empty NVMe disk, which
// then boots alone (install.Check).
func runInstallCheck(e *Env, ss *session, a *pack.Artifacts, media qemu.Machine, want qemu.Expect, target string) error {
	if target == "" {
		dir, err := os.MkdirTemp("", "stalix-install-check-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		target = filepath.Join(dir, "installed.img")
	}
	target = absFrom(e.Dir, target)
	small := target + ".small"
	defer os.Remove(small)
	// Sparse files: an empty disk reads as zeros and costs nothing on the host. 512 MiB holds a
	// small system with room to spare; 32 MiB is below any system's minimum (a 64 MiB ESP).
	for _, f := range []struct {
		path string
		size int64
	}{{target, 512 << 20}, {small, 32 << 20}} {
		if err := os.Remove(f.path); err != nil && !os.IsNotExist(err) {
			return err
		}
		if err := os.WriteFile(f.path, nil, 0o644); err != nil {
			return err
		}
		if err := os.Truncate(f.path, f.size); err != nil {
			return err
		}
	}
	installed := want
	installed.StoreCount = a.InstallStoreCount
	installed.Commands = ss.sys.Profile.Check.Commands
	start := time.Now()
	c := install.Check{Media: media, Target: target, Small: small, MediaWant: want, Want: installed, Log: e.Stdout}
	if err := c.Run(ss.ctx); err != nil {
		return fmt.Errorf("install check of %s failed: %w", a.Disk, err)
	}
	fmt.Fprintf(e.Stdout, "install check passed: %s installed %s onto %s, which booted alone under UEFI with %d store entries, %.1fs\n",
		a.Disk, ss.sys.Profile.Name, target, installed.StoreCount, time.Since(start).Seconds())
	return nil
}

// extras says what a check looked at beyond the login.
func extras(want qemu.Expect) string {
	var s string
	if want.RootBus != "" {
		s += ", root on " + want.RootBus
	}
	if want.DHCP != "" {
		s += ", DHCP lease on " + want.DHCP
	}
	return s
}
