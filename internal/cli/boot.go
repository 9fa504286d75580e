package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"stalix.dev/stalix-build/internal/boot"
	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/qemu"
	"stalix.dev/stalix-build/internal/session"
)

func runBoot(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "boot", "PROFILE [--target T] [--disk|--initramfs] [--root-device BUS] [--net NIC] [--screen] [--check] [--install-check] [--kvm]",
		"Build the images of one target (--target, else the profile's first) if needed and boot one under QEMU with the serial console here. --check logs in, "+
			"checks uname -m, /etc/os-release and the store, runs the profile's [check] commands, powers off, and fails with the console log otherwise. "+
			"--install-check (an install media) installs onto an empty NVMe disk and boots that disk alone. "+
			"--screen boots the disk under UEFI with a display (virtio-gpu-pci) and input devices; with --check it takes screendumps until the profile's [screen] regions show, "+
			"saves the last as out/<profile>-<arch>.png (out/<profile>-<arch>.fail.png when they never do) and fails with the regions measured and the console log.", withCache)
	var b boot.Options
	fs.BoolVar(&b.Disk, "disk", false, "boot the GPT disk through UEFI firmware")
	fs.BoolVar(&b.Initramfs, "initramfs", false, "boot the kernel and initramfs directly (the default)")
	fs.BoolVar(&b.Check, "check", false, "check the boot instead of handing over the console")
	fs.BoolVar(&b.InstallCheck, "install-check", false, "boot the install media with an empty NVMe disk, run stalix-install, then boot that disk alone and check it")
	installedDisk := fs.String("installed-disk", "", "with --install-check: the file to install onto (kept afterwards; default a temporary file)")
	fs.StringVar(&b.RootDevice, "root-device", "", "with --disk: the controller the disk sits on: "+strings.Join(qemu.Buses, ", ")+" (default virtio)")
	fs.StringVar(&b.Net, "net", "", "a NIC on QEMU's user network, restrict=on: "+strings.Join(qemu.Nets, " or ")+"; --check then wants a DHCP lease on eth0")
	fs.BoolVar(&b.KVM, "kvm", false, "use KVM (off by default: on some hosts a KVM guest hangs at \"Booting from ROM\")")
	outDir := fs.String("out", "out", "directory for the images")
	fs.DurationVar(&b.Timeout, "timeout", 0, fmt.Sprintf("how long --check waits for each step (default %v; with --screen, the profile's [screen] timeout if it has one)", boot.DefaultTimeout))
	fs.BoolVar(&b.Screen, "screen", false, "boot the disk under UEFI with a display device; with --check, check the profile's [screen] regions in screendumps")
	fs.BoolVar(&b.Write, "write", false, "let the guest write to the disk image (by default writes go to a snapshot)")
	o.check = func() error {
		if err := b.Validate(); err != nil {
			return usagef("%v", err)
		}
		if *installedDisk != "" && !b.InstallCheck {
			return usagef("--installed-disk is for --install-check")
		}
		return nil
	}
	// One target, --target or else the profile's first, and only it is built.
	return o.run(e, fs, args, oneImage, func(ss *session.Session) error {
		ctx, prof, arch := ss.Ctx, ss.Profile, ss.Plan.Targets[0]
		if b.InstallCheck && (ss.System == nil || prof.Outputs.Disk == nil) {
			return fmt.Errorf("%s: --install-check needs an install media: [install] and [outputs.disk] (see profiles/install.toml)", prof.File)
		}
		pk, err := ss.Packer()
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
		m, want, note, err := boot.Machine(a, arch, prof.File, prof.Check.Commands, b)
		if err != nil {
			return err
		}
		if note != "" {
			fmt.Fprintf(e.Stderr, "boot: %s\n", note)
		}
		start := time.Now()
		switch {
		case b.InstallCheck:
			installed := want
			installed.StoreCount, installed.Commands = a.InstallStoreCount, ss.System.Profile.Check.Commands
			target, onto := *installedDisk, "an empty NVMe disk"
			if target != "" {
				target = absFrom(e.Dir, target)
				onto = target
			}
			if err := boot.Install(ctx, m, want, installed, target, e.Stdout); err != nil {
				return err
			}
			fmt.Fprintf(e.Stdout, "install check passed: %s installed %s onto %s, which booted alone under UEFI with %d store entries, %.1fs\n",
				a.Disk, ss.System.Profile.Name, onto, installed.StoreCount, time.Since(start).Seconds())
			return nil
		case !b.Check:
			return m.Run(ctx, os.Stdin, e.Stdout, e.Stderr, func(bin string) { fmt.Fprintf(e.Stderr, "boot: %s (leave with Ctrl-A X)\n", bin) })
		case !b.Screen:
			if err := qemu.Check(ctx, m, want, nil); err != nil {
				return fmt.Errorf("boot check of %s failed: %w", m, err)
			}
			fmt.Fprintf(e.Stdout, "boot check passed: %s, %s, %d store entries%s, %.1fs\n", m, arch, a.StoreCount, boot.Extras(want), time.Since(start).Seconds())
			return nil
		}
		res, png, err := boot.Screen(ctx, m, prof, arch, out, b.Timeout)
		if png != "" {
			fmt.Fprintf(e.Stdout, "screen: %s (%dx%d, screendump %d)\n", png, res.Image.Bounds().Dx(), res.Image.Bounds().Dy(), res.Dumps)
		}
		if err != nil {
			return err
		}
		if res.Typed {
			fmt.Fprintf(e.Stdout, "screen: typed %q (%d times) after the first regions showed\n", prof.Screen.Keys, res.Typings)
		}
		for _, f := range res.Found {
			fmt.Fprintf(e.Stdout, "screen: %s\n", f)
		}
		fmt.Fprintf(e.Stdout, "screen check passed: %s, %s, %.1fs\n", m, arch, time.Since(start).Seconds())
		return nil
	})
}
