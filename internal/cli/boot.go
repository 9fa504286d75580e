package cli

import (
	"fmt"
	"os"
	"os/exec"
	"time"

	"stalix.dev/stalix-build/internal/qemu"
)

func init() {
	register("boot", "boot a profile's image under QEMU, or check that it boots", runBoot)
}

func runBoot(e *Env, args []string) error {
	var b buildFlags
	fs := newFlagSet(e, "boot", "PROFILE [--target T] [--disk|--initramfs] [--check] [--kvm]",
		"Build the images if needed and boot one under QEMU with the serial console here. --check logs in, "+
			"checks uname -m, /etc/os-release and the store, powers off, and fails with the console log otherwise.")
	b.add(fs)
	useDisk := fs.Bool("disk", false, "boot the GPT disk through UEFI firmware")
	useInitramfs := fs.Bool("initramfs", false, "boot the kernel and initramfs directly (the default)")
	doCheck := fs.Bool("check", false, "check the boot instead of handing over the console")
	kvm := fs.Bool("kvm", false, "use KVM (off by default: on some hosts a KVM guest hangs at \"Booting from ROM\")")
	outDir := fs.String("out", "out", "directory for the images")
	timeout := fs.Duration("timeout", 10*time.Minute, "how long --check waits for each step")
	write := fs.Bool("write", false, "let the guest write to the disk image (by default writes go to a snapshot)")
	ss, err := b.open(e, fs, args, true)
	if err != nil {
		return err
	}
	defer ss.close()
	if *useDisk && *useInitramfs {
		return usagef("--disk and --initramfs exclude each other")
	}
	if len(b.targets) > 1 {
		return usagef("boot one target at a time")
	}
	ctx, prof, arch := ss.ctx, ss.prof, ss.pl.Targets[0]
	mke2fs, err := prepareImages(ss, e, &b)
	if err != nil {
		return err
	}
	a, err := makeImages(ss, arch, absFrom(e.Dir, *outDir), mke2fs)
	if err != nil {
		return err
	}
	if err := writeSums(absFrom(e.Dir, *outDir)); err != nil {
		return err
	}
	m := qemu.Machine{Arch: arch, KVM: *kvm, Write: *write}
	switch {
	case *useDisk:
		if a.Disk == "" {
			return fmt.Errorf("%s: the profile has no [outputs.disk]", prof.File)
		}
		m.Disk = a.Disk
	default:
		if a.Initramfs == "" || a.Kernel == "" {
			return fmt.Errorf("%s: the profile needs [outputs.initramfs] and a kernel", prof.File)
		}
		// panic=-1 reboots on a panic, which -no-reboot turns into an exit,
		// so a broken initramfs fails the check at once instead of at the timeout.
		m.Kernel, m.Initrd, m.Append = a.Kernel, a.Initramfs, "console="+qemu.Console(arch)+" panic=-1"
	}
	if !*doCheck {
		bin, qargs, err := m.Args()
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stderr, "boot: %s (leave with Ctrl-A X)\n", bin)
		cmd := exec.CommandContext(ctx, bin, qargs...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, e.Stdout, e.Stderr
		return cmd.Run()
	}
	start := time.Now()
	err = qemu.Check(ctx, m, qemu.Expect{Arch: arch, StoreCount: a.StoreCount, Timeout: *timeout}, nil)
	if err != nil {
		return fmt.Errorf("boot check of %s failed: %w", describe(m), err)
	}
	fmt.Fprintf(e.Stdout, "boot check passed: %s, %s, %d store entries, %.1fs\n", describe(m), arch, a.StoreCount, time.Since(start).Seconds())
	return nil
}

func describe(m qemu.Machine) string {
	if m.Disk != "" {
		return "UEFI disk " + m.Disk
	}
	return "initramfs " + m.Initrd
}
