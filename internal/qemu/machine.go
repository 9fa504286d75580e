// Package qemu boots images under QEMU with the serial console on a pipe,
// and drives that console for boot checks.
package qemu

import (
	"fmt"
	"strconv"

	"stalix.dev/stalix-build/internal/hosttool"
)

// Machine is one VM: a kernel and initramfs booted directly, or a disk
// booted by UEFI firmware.
type Machine struct {
	Arch     string // x86_64 or aarch64
	Kernel   string // with Initrd: boot directly
	Initrd   string
	Append   string // kernel command line for direct boots
	Disk     string // raw disk image, booted by Firmware
	Firmware string // UEFI firmware; the Debian default for Arch when empty
	Memory   int    // MiB; 512 when zero
	KVM      bool   // use /dev/kvm; TCG otherwise
	Write    bool   // let the guest write to Disk; by default writes go to a snapshot
}

// Firmware paths of Debian's ovmf and qemu-efi-aarch64 packages.
var firmware = map[string]string{
	"x86_64":  "/usr/share/ovmf/OVMF.fd",
	"aarch64": "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd",
}

// Console is the serial device name the guest kernel writes to.
func Console(arch string) string {
	if arch == "aarch64" {
		return "ttyAMA0"
	}
	return "ttyS0"
}

// Args returns the QEMU binary and its arguments.
func (m Machine) Args() (string, []string, error) {
	mem := m.Memory
	if mem == 0 {
		mem = 512
	}
	var bin string
	var args []string
	switch m.Arch {
	case "x86_64":
		bin = "qemu-system-x86_64"
		args = []string{"-M", "q35"}
	case "aarch64":
		bin = "qemu-system-aarch64"
		// cortex-a57 under TCG; with KVM the host's own CPU.
		cpu := "cortex-a57"
		if m.KVM {
			cpu = "host"
		}
		args = []string{"-M", "virt", "-cpu", cpu}
	default:
		return "", nil, fmt.Errorf("qemu: unknown arch %q", m.Arch)
	}
	if m.KVM {
		args = append(args, "-accel", "kvm")
	} else {
		args = append(args, "-accel", "tcg")
	}
	args = append(args, "-m", strconv.Itoa(mem), "-smp", "1", "-nographic", "-no-reboot",
		"-nic", "none", "-serial", "stdio", "-monitor", "none")
	// -nographic alone would mux the monitor onto stdio too; the explicit
	// serial and monitor options keep the console alone on the pipe.
	switch {
	case m.Kernel != "":
		args = append(args, "-kernel", m.Kernel)
		if m.Initrd != "" {
			args = append(args, "-initrd", m.Initrd)
		}
		if m.Append != "" {
			args = append(args, "-append", m.Append)
		}
	case m.Disk != "":
		fw := m.Firmware
		if fw == "" {
			fw = firmware[m.Arch]
		}
		pkg := map[string]string{"x86_64": "ovmf", "aarch64": "qemu-efi-aarch64"}[m.Arch]
		if err := hosttool.File(fw, pkg); err != nil {
			return "", nil, fmt.Errorf("qemu: UEFI firmware: %w", err)
		}
		args = append(args, "-bios", fw)
		drive := "file=" + m.Disk + ",format=raw,if=virtio"
		if !m.Write {
			drive += ",snapshot=on"
		}
		args = append(args, "-drive", drive)
	default:
		return "", nil, fmt.Errorf("qemu: nothing to boot: give a kernel or a disk")
	}
	pkg := map[string]string{"x86_64": "qemu-system-x86", "aarch64": "qemu-system-arm"}[m.Arch]
	if _, err := hosttool.Look(bin, pkg); err != nil {
		return "", nil, fmt.Errorf("qemu: %w", err)
	}
	return bin, args, nil
}
