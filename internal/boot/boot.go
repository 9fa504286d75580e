// Package boot chooses how a written image boots under QEMU (the kernel
// and initramfs directly, the disk under UEFI on a chosen controller, the
// disk with a display) and runs the checks on it: the console login check,
// the screen check, and an install media's install check.
package boot

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/qemu"
)

// DefaultTimeout is how long a check waits for each step.
const DefaultTimeout = 10 * time.Minute

// Options are the boot's choices.
type Options struct {
	Disk, Initramfs bool   // which image; neither is the initramfs
	Screen          bool   // the disk under UEFI with a display
	InstallCheck    bool   // the install media onto an empty disk
	Check           bool   // check rather than hand over the console
	RootDevice      string // the disk's controller (qemu.Buses); "" is virtio
	Net             string // a NIC on the user network (qemu.Nets)
	KVM, Write      bool
	Timeout         time.Duration // what a check waits for each step; 0: DefaultTimeout (Screen: the profile's)
}

// Validate refuses the options that exclude each other, whatever the
// profile: the command line's mistake.
func (o Options) Validate() error {
	switch {
	case o.Disk && o.Initramfs:
		return errors.New("--disk and --initramfs exclude each other")
	case o.RootDevice != "" && !o.Disk:
		return errors.New("--root-device is for --disk boots")
	case o.InstallCheck && (o.Initramfs || o.Disk || o.Check || o.RootDevice != ""):
		return errors.New("--install-check boots the media and the installed disk itself: leave out --disk, --initramfs, --check and --root-device")
	case o.Screen && o.Initramfs:
		return errors.New("--screen boots the disk under UEFI firmware, which shows the display; drop --initramfs")
	}
	return nil
}

// Machine is the QEMU machine that boots a's images for arch as o asks,
// and what a check of it expects; note says what differs from the plain
// boot asked for, "" when nothing does. profile names the profile's file
// in errors.
func Machine(a *pack.Artifacts, arch, profile string, commands []string, o Options) (m qemu.Machine, want qemu.Expect, note string, err error) {
	want = qemu.Expect{Arch: arch, StoreCount: a.StoreCount, Timeout: o.Timeout, Commands: commands}
	if want.Timeout == 0 {
		want.Timeout = DefaultTimeout
	}
	if o.Net != "" {
		want.DHCP = "eth0"
	}
	m = qemu.Direct(arch, a.Kernel, a.Initramfs)
	switch {
	case o.InstallCheck:
		m = qemu.Machine{Arch: arch, Disk: a.Disk}
	case o.Screen && a.Disk == "":
		return m, want, "", fmt.Errorf("%s: --screen boots the disk under UEFI, and the profile has no [outputs.disk]: add one (profiles/desktop.toml has an example)", profile)
	case o.Screen:
		m = qemu.Machine{Arch: arch, Disk: a.Disk, Display: true}
	case o.Disk && a.Disk == "":
		return m, want, "", fmt.Errorf("%s: the profile has no [outputs.disk]", profile)
	case o.Disk:
		m = qemu.Machine{Arch: arch, Disk: a.Disk, Bus: o.RootDevice}
		want.RootBus = o.RootDevice
		if arch == "aarch64" && o.RootDevice == "ahci" {
			// Debian's QEMU_EFI has no SATA driver, so it cannot load the ESP's kernel from AHCI:
			// QEMU hands the same kernel to the firmware instead, which starts it under UEFI with
			// ACPI as from the ESP, and the kernel mounts its root from the AHCI disk.
			m.Kernel, m.FirmwareKernel = a.Kernel, true
			note = fmt.Sprintf("QEMU_EFI cannot boot from AHCI; it starts %s from QEMU, and the root is on AHCI", a.Kernel)
		}
	case a.Initramfs == "" || a.Kernel == "":
		return m, want, "", fmt.Errorf("%s: the profile needs [outputs.initramfs] and a kernel", profile)
	}
	m.KVM, m.Net = o.KVM, o.Net
	if !o.InstallCheck {
		m.Write = o.Write
	}
	return m, want, note, nil
}

// Extras says what a check looked at beyond the login.
func Extras(want qemu.Expect) string {
	var s []string
	if want.RootBus != "" {
		s = append(s, "root on "+want.RootBus)
	}
	if want.DHCP != "" {
		s = append(s, "DHCP lease on "+want.DHCP)
	}
	if len(s) == 0 {
		return ""
	}
	return ", " + strings.Join(s, ", ")
}
