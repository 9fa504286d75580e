package cli

import (
	"fmt"
	"os"
	"time"

	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/qemu"
)

func init() {
	register("boot", "boot a profile's image under QEMU, or check that it boots", runBoot)
}

func runBoot(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "boot", "PROFILE [--target T] [--disk|--initramfs] [--check] [--kvm]",
		"Build the images of one target (--target, else the profile's first) if needed and boot one under QEMU with the serial console here. --check logs in, "+
			"checks uname -m, /etc/os-release and the store, runs the profile's [check] commands, powers off, and fails with the console log otherwise.")
	b.add(fs)
	b.cache.add(fs)
	useDisk := fs.Bool("disk", false, "boot the GPT disk through UEFI firmware")
	useInitramfs := fs.Bool("initramfs", false, "boot the kernel and initramfs directly (the default)")
	doCheck := fs.Bool("check", false, "check the boot instead of handing over the console")
	kvm := fs.Bool("kvm", false, "use KVM (off by default: on some hosts a KVM guest hangs at \"Booting from ROM\")")
	outDir := fs.String("out", "out", "directory for the images")
	timeout := fs.Duration("timeout", 10*time.Minute, "how long --check waits for each step")
	write := fs.Bool("write", false, "let the guest write to the disk image (by default writes go to a snapshot)")
	// One target, --target or else the profile's first, and only it is built.
	ss, err := b.open(e, fs, args, takes{n: 1, want: "one PROFILE", profile: true, one: true})
	if err != nil {
		return err
	}
	defer ss.close()
	if *useDisk && *useInitramfs {
		return usagef("--disk and --initramfs exclude each other")
	}
	ctx, prof, arch := ss.ctx, ss.prof, ss.pl.Targets[0]
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
	m := qemu.Direct(arch, a.Kernel, a.Initramfs)
	switch {
	case *useDisk && a.Disk == "":
		return fmt.Errorf("%s: the profile has no [outputs.disk]", prof.File)
	case *useDisk:
		m = qemu.Machine{Arch: arch, Disk: a.Disk}
	case a.Initramfs == "" || a.Kernel == "":
		return fmt.Errorf("%s: the profile needs [outputs.initramfs] and a kernel", prof.File)
	}
	m.KVM, m.Write = *kvm, *write
	if !*doCheck {
		return m.Run(ctx, os.Stdin, e.Stdout, e.Stderr, func(bin string) { fmt.Fprintf(e.Stderr, "boot: %s (leave with Ctrl-A X)\n", bin) })
	}
	start := time.Now()
	err = qemu.Check(ctx, m, qemu.Expect{Arch: arch, StoreCount: a.StoreCount, Timeout: *timeout, Commands: prof.Check.Commands}, nil)
	if err != nil {
		return fmt.Errorf("boot check of %s failed: %w", m, err)
	}
	fmt.Fprintf(e.Stdout, "boot check passed: %s, %s, %d store entries, %.1fs\n", m, arch, a.StoreCount, time.Since(start).Seconds())
	return nil
}
