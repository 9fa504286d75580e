// Package qemu boots images under QEMU with the serial console on a pipe,
// and drives that console for boot checks.
package qemu

import (
	"fmt"
	"strconv"
	"strings"

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
	Bus      string // the controller Disk sits on (Buses); "" is virtio
	Write    bool   // let the guest write to Disk; by default writes go to a snapshot
	Extra    []Drive
	Net      string // a NIC model on QEMU's user network (Nets); "" is no network
	Firmware string // UEFI firmware; the Debian default for Arch when empty
	// FirmwareKernel boots Kernel as an EFI program under the firmware (QEMU hands it over
	// through fw_cfg) with Disk attached but not booted: for a controller the firmware cannot
	// boot from, as Debian's QEMU_EFI cannot from AHCI. With no Append the kernel's built-in
	// command line holds.
	FirmwareKernel bool
	Memory         int  // MiB; 512 when zero
	KVM            bool // use /dev/kvm; TCG otherwise
	// Display gives the guest a screen (virtio-gpu-pci, no window) and USB and virtio input
	// devices; QMP, when set, is the path of a QMP socket QEMU listens on (for screendumps).
	Display bool
	QMP     string
}

// Drive is a further raw disk, attached after Machine.Disk and never booted
// first.
type Drive struct {
	Path  string
	Bus   string // as Machine.Bus
	Write bool
}

// Buses are the disk controllers a Machine attaches: what real machines boot
// from (NVMe, AHCI SATA on ich9-ahci, USB mass storage on qemu-xhci) and
// QEMU's own virtio-blk.
var Buses = []string{"virtio", "nvme", "ahci", "usb"}

// Nets are the NIC models a Machine may have. Either sits on QEMU's user
// network with restrict=on: the guest reaches QEMU's DHCP server and nothing
// beyond QEMU.
var Nets = []string{"e1000e", "virtio"}

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
	nic := []string{"-nic", "none"}
	switch m.Net {
	case "":
	case "e1000e", "virtio":
		model := map[string]string{"e1000e": "e1000e", "virtio": "virtio-net-pci"}[m.Net]
		nic = []string{"-nic", "user,model=" + model + ",restrict=on"}
	default:
		return "", nil, fmt.Errorf("qemu: unknown network %q (use %s)", m.Net, strings.Join(Nets, " or "))
	}
	display := []string{"-nographic"}
	if m.Display {
		// No window (-display none) but a display device whose screen QMP's screendump reads:
		// virtio-gpu-pci on both targets (OVMF and AAVMF have a GOP driver for it, Linux's
		// virtio-gpu takes over; the guest keeps the 640x480 mode OVMF set, which xres/yres do not
		// change), a USB keyboard and tablet behind xHCI, and virtio-input.
		display = []string{"-display", "none", "-device", "virtio-gpu-pci",
			"-device", "qemu-xhci", "-device", "usb-kbd", "-device", "usb-tablet",
			"-device", "virtio-keyboard-pci"}
		if m.Arch == "x86_64" {
			display = append([]string{"-vga", "none"}, display...)
		}
	}
	args = append(args, "-m", strconv.Itoa(mem), "-smp", "1")
	args = append(args, display...)
	args = append(args, "-no-reboot")
	args = append(args, nic...)
	args = append(args, "-serial", "stdio", "-monitor", "none")
	// -nographic alone would mux the monitor onto stdio too; the explicit
	// serial and monitor options keep the console alone on the pipe.
	if m.QMP != "" {
		args = append(args, "-qmp", "unix:"+m.QMP+",server=on,wait=off")
	}
	switch {
	case m.Kernel != "" && !m.FirmwareKernel:
		args = append(args, kernelArgs(m)...)
	case m.Disk != "" || m.FirmwareKernel:
		fw := m.Firmware
		if fw == "" {
			fw = firmware[m.Arch]
		}
		pkg := map[string]string{"x86_64": "ovmf", "aarch64": "qemu-efi-aarch64"}[m.Arch]
		if err := hosttool.File(fw, pkg); err != nil {
			return "", nil, fmt.Errorf("qemu: UEFI firmware: %w", err)
		}
		args = append(args, "-bios", fw)
		if m.FirmwareKernel {
			if m.Kernel == "" {
				return "", nil, fmt.Errorf("qemu: FirmwareKernel without a kernel")
			}
			args = append(args, kernelArgs(m)...)
		}
	default:
		return "", nil, fmt.Errorf("qemu: nothing to boot: give a kernel or a disk")
	}
	drives := m.Extra
	if m.Disk != "" {
		drives = append([]Drive{{Path: m.Disk, Bus: m.Bus, Write: m.Write}}, m.Extra...)
	}
	da, err := driveArgs(drives, m.Disk != "" && m.Kernel == "")
	if err != nil {
		return "", nil, err
	}
	args = append(args, da...)
	pkg := map[string]string{"x86_64": "qemu-system-x86", "aarch64": "qemu-system-arm"}[m.Arch]
	if _, err := hosttool.Look(bin, pkg); err != nil {
		return "", nil, fmt.Errorf("qemu: %w", err)
	}
	return bin, args, nil
}

func kernelArgs(m Machine) []string {
	args := []string{"-kernel", m.Kernel}
	if m.Initrd != "" {
		args = append(args, "-initrd", m.Initrd)
	}
	if m.Append != "" {
		args = append(args, "-append", m.Append)
	}
	return args
}

// driveArgs attaches each drive to a controller of its bus, adding each
// controller once. With boot set, the first drive gets bootindex 0, so the
// firmware tries it before any other (an empty target disk, say).
func driveArgs(drives []Drive, boot bool) ([]string, error) {
	var args []string
	have := map[string]bool{}
	controller := func(bus, dev string) {
		if !have[bus] {
			have[bus] = true
			args = append(args, "-device", dev)
		}
	}
	for i, d := range drives {
		id := "disk" + strconv.Itoa(i)
		drive := "file=" + d.Path + ",format=raw,if=none,id=" + id
		if !d.Write {
			drive += ",snapshot=on"
		}
		var dev string
		switch d.Bus {
		case "", "virtio":
			dev = "virtio-blk-pci,drive=" + id
		case "nvme":
			dev = "nvme,drive=" + id + ",serial=stalix" + strconv.Itoa(i)
		case "ahci":
			controller("ahci", "ich9-ahci,id=ahci")
			dev = "ide-hd,drive=" + id + ",bus=ahci." + strconv.Itoa(ahciPort(drives[:i]))
		case "usb":
			controller("usb", "qemu-xhci,id=xhci")
			dev = "usb-storage,drive=" + id + ",bus=xhci.0,removable=on"
		default:
			return nil, fmt.Errorf("qemu: unknown disk bus %q (use %s)", d.Bus, strings.Join(Buses, ", "))
		}
		if boot && i == 0 {
			dev += ",bootindex=0"
		}
		args = append(args, "-drive", drive, "-device", dev)
	}
	return args, nil
}

// ahciPort is the next free port of the one ich9-ahci controller: one per
// AHCI drive before it.
func ahciPort(before []Drive) int {
	n := 0
	for _, d := range before {
		if d.Bus == "ahci" {
			n++
		}
	}
	return n
}
