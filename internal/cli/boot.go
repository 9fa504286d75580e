package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"stalix.dev/stalix-build/internal/boot"
	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/qemu"
	"stalix.dev/stalix-build/internal/session"
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
	var o boot.Options
	fs.BoolVar(&o.Disk, "disk", false, "boot the GPT disk through UEFI firmware")
	fs.BoolVar(&o.Initramfs, "initramfs", false, "boot the kernel and initramfs directly (the default)")
	fs.BoolVar(&o.Check, "check", false, "check the boot instead of handing over the console")
	fs.BoolVar(&o.InstallCheck, "install-check", false, "boot the install media with an empty NVMe disk, run stalix-install, then boot that disk alone and check it")
	installedDisk := fs.String("installed-disk", "", "with --install-check: the file to install onto (kept afterwards; default a temporary file)")
	fs.StringVar(&o.RootDevice, "root-device", "", "with --disk: the controller the disk sits on: "+strings.Join(qemu.Buses, ", ")+" (default virtio)")
	fs.StringVar(&o.Net, "net", "", "a NIC on QEMU's user network, restrict=on: "+strings.Join(qemu.Nets, " or ")+"; --check then wants a DHCP lease on eth0")
	fs.BoolVar(&o.KVM, "kvm", false, "use KVM (off by default: on some hosts a KVM guest hangs at \"Booting from ROM\")")
	outDir := fs.String("out", "out", "directory for the images")
	fs.DurationVar(&o.Timeout, "timeout", boot.DefaultTimeout, "how long --check waits for each step")
	fs.BoolVar(&o.Screen, "screen", false, "boot the disk under UEFI with a display device; with --check, check the profile's [screen] regions in screendumps")
	fs.BoolVar(&o.Write, "write", false, "let the guest write to the disk image (by default writes go to a snapshot)")
	// One target, --target or else the profile's first, and only it is built.
	ss, err := b.open(e, fs, args, session.Takes{N: 1, Want: "one PROFILE", Profile: true, One: true}, func() error {
		if err := o.Validate(); err != nil {
			return usagef("%v", err)
		}
		if *installedDisk != "" && !o.InstallCheck {
			return usagef("--installed-disk is for --install-check")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer ss.Close()
	ctx, prof, arch := ss.Ctx, ss.Profile, ss.Plan.Targets[0]
	if o.InstallCheck && (ss.System == nil || prof.Outputs.Disk == nil) {
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
	m, want, note, err := boot.Machine(a, arch, prof.File, prof.Check.Commands, o)
	if err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintf(e.Stderr, "boot: %s\n", note)
	}
	start := time.Now()
	switch {
	case o.InstallCheck:
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
	case !o.Check:
		return m.Run(ctx, os.Stdin, e.Stdout, e.Stderr, func(bin string) { fmt.Fprintf(e.Stderr, "boot: %s (leave with Ctrl-A X)\n", bin) })
	case o.Screen:
		return screenCheck(e, ctx, m, prof, arch, out, fs, o.Timeout, start)
	}
	if err := qemu.Check(ctx, m, want, nil); err != nil {
		return fmt.Errorf("boot check of %s failed: %w", m, err)
	}
	fmt.Fprintf(e.Stdout, "boot check passed: %s, %s, %d store entries%s, %.1fs\n", m, arch, a.StoreCount, boot.Extras(want), time.Since(start).Seconds())
	return nil
}

// screenCheck prints what boot.Screen found and where it saved the screen.
func screenCheck(e *Env, ctx context.Context, m qemu.Machine, prof *profile.Profile, arch, out string, fs *flag.FlagSet, timeout time.Duration, start time.Time) error {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "timeout" })
	if !set {
		timeout = 0 // the profile's
	}
	res, png, err := boot.Screen(ctx, m, prof, arch, out, timeout)
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
}
