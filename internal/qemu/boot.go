package qemu

import (
	"context"
	"io"
	"os/exec"
)

// Direct boots kernel with initrd and the serial console on the command
// line. panic=-1 reboots on a panic, which -no-reboot turns into an exit,
// so a broken initramfs fails a check at once instead of at its timeout.
func Direct(arch, kernel, initrd string) Machine {
	return Machine{Arch: arch, Kernel: kernel, Initrd: initrd, Append: "console=" + Console(arch) + " panic=-1"}
}

// String names what the machine boots, for messages.
func (m Machine) String() string {
	if m.Disk != "" {
		bus := m.Bus
		if bus == "" {
			bus = "virtio"
		}
		return "UEFI disk " + m.Disk + " on " + bus
	}
	return "initramfs " + m.Initrd
}

// Run boots the machine with its serial console on stdin and stdout until
// QEMU exits; it returns the QEMU binary's name once started.
func (m Machine) Run(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, started func(bin string)) error {
	bin, args, err := m.Args()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	started(bin)
	return cmd.Wait()
}
