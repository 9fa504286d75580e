package qemu

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/hosttool"
)

func TestVerify(t *testing.T) {
	good := "x86_64\r\nNAME=Stalix\r\nID=stalix\r\n5\r\n"
	cases := []struct {
		name, out string
		want      Expect
		err       string
	}{
		{"ok", good, Expect{Arch: "x86_64", StoreCount: 5}, ""},
		{"arch", good, Expect{Arch: "aarch64"}, `uname -m says "x86_64"`},
		{"count", good, Expect{Arch: "x86_64", StoreCount: 4}, "holds 5 entries, want 4"},
		{"id", "x86_64\nID=debian\n5\n", Expect{Arch: "x86_64"}, "lacks ID=stalix"},
		{"short", "x86_64\n", Expect{Arch: "x86_64"}, "short answer"},
		// Seen in a make test run: the kernel printed on the console between the commands.
		{"kernel line first", "[    1.668802] tsc: Refined TSC clocksource calibration: 2596.135 MHz\r\n" + good, Expect{Arch: "x86_64", StoreCount: 5}, ""},
		{"kernel line inside", "x86_64\r\nNAME=Stalix\r\n[   12.5] random: crng init done\r\nID=stalix\r\n5\r\n", Expect{Arch: "x86_64", StoreCount: 5}, ""},
		{"kernel line last", good + "[    2.000001] x\r\n", Expect{Arch: "x86_64", StoreCount: 5}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := verify(c.out, c.want)
			if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
				t.Errorf("verify: %v, want %q", err, c.err)
			}
		})
	}
}

func TestArgs(t *testing.T) {
	if _, _, err := (Machine{Arch: "x86_64", Disk: "/tmp/d.img"}).Args(); hosttool.IsMissing(err) {
		t.Skip(err) // names the tool and its package
	} else if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		m    Machine
		want []string // substrings of the joined arguments
		not  []string
	}{
		{"virtio disk", Machine{Arch: "x86_64", Disk: "/tmp/d.img"},
			[]string{"-accel tcg", "-bios /usr/share/ovmf/OVMF.fd", "-serial stdio", "-nic none",
				"-drive file=/tmp/d.img,format=raw,if=none,id=disk0,snapshot=on -device virtio-blk-pci,drive=disk0,bootindex=0"}, nil},
		{"nvme", Machine{Arch: "x86_64", Disk: "/tmp/d.img", Bus: "nvme"},
			[]string{"-device nvme,drive=disk0,serial=stalix0,bootindex=0"}, []string{"ich9-ahci", "qemu-xhci"}},
		{"ahci", Machine{Arch: "aarch64", Disk: "/tmp/d.img", Bus: "ahci"},
			[]string{"-bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd", "-device ich9-ahci,id=ahci", "-device ide-hd,drive=disk0,bus=ahci.0,bootindex=0"}, nil},
		{"usb", Machine{Arch: "x86_64", Disk: "/tmp/d.img", Bus: "usb"},
			[]string{"-device qemu-xhci,id=xhci", "-device usb-storage,drive=disk0,bus=xhci.0,removable=on,bootindex=0"}, nil},
		{"writable", Machine{Arch: "x86_64", Disk: "/tmp/d.img", Write: true}, nil, []string{"snapshot=on"}},
		{"e1000e", Machine{Arch: "x86_64", Disk: "/tmp/d.img", Net: "e1000e"},
			[]string{"-nic user,model=e1000e,restrict=on"}, []string{"-nic none"}},
		// An install check: the media first (the only bootindex), then the target and a second
		// AHCI disk on the next port of the one controller.
		{"extra drives", Machine{Arch: "x86_64", Disk: "/tmp/m.img", Bus: "ahci", Extra: []Drive{
			{Path: "/tmp/t.img", Bus: "nvme", Write: true}, {Path: "/tmp/s.img", Bus: "ahci", Write: true}}},
			[]string{"-device ide-hd,drive=disk0,bus=ahci.0,bootindex=0",
				"-drive file=/tmp/t.img,format=raw,if=none,id=disk1 -device nvme,drive=disk1,serial=stalix1 ",
				"-device ide-hd,drive=disk2,bus=ahci.1 "},
			[]string{"bootindex=1", "disk1,snapshot", "disk2,snapshot"}},
		{"direct kernel", Machine{Arch: "x86_64", Kernel: "k", Initrd: "i", Append: "console=ttyS0"},
			[]string{"-kernel k -initrd i -append console=ttyS0"}, []string{"-bios", "-drive"}},
		{"firmware kernel", Machine{Arch: "aarch64", Kernel: "k", Disk: "/tmp/d.img", Bus: "ahci", FirmwareKernel: true},
			[]string{"-bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd -kernel k -device ich9-ahci,id=ahci -drive file=/tmp/d.img"},
			[]string{"-append", "bootindex"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, args, err := c.m.Args()
			if err != nil {
				t.Fatal(err)
			}
			joined := strings.Join(args, " ") + " "
			if strings.Count(joined, "ich9-ahci") > 1 || strings.Count(joined, "qemu-xhci") > 1 {
				t.Errorf("a controller added twice: %s", joined)
			}
			for _, w := range c.want {
				if !strings.Contains(joined, w) {
					t.Errorf("args lack %q:\n%s", w, joined)
				}
			}
			for _, n := range c.not {
				if strings.Contains(joined, n) {
					t.Errorf("args hold %q:\n%s", n, joined)
				}
			}
		})
	}
	bad := []struct {
		m   Machine
		err string
	}{
		{Machine{Arch: "riscv64", Kernel: "k"}, "unknown arch"},
		{Machine{Arch: "x86_64"}, "nothing to boot"},
		{Machine{Arch: "x86_64", Disk: "d", Bus: "scsi"}, "unknown disk bus \"scsi\""},
		{Machine{Arch: "x86_64", Disk: "d", Net: "ne2k"}, "unknown network \"ne2k\""},
		{Machine{Arch: "x86_64", Disk: "d", FirmwareKernel: true}, "without a kernel"},
	}
	for _, b := range bad {
		if _, _, err := b.m.Args(); err == nil || !strings.Contains(err.Error(), b.err) {
			t.Errorf("%+v: error %v, want %q", b.m, err, b.err)
		}
	}
}

func TestVerifyRootBus(t *testing.T) {
	cases := []struct {
		path, bus string
		ok        bool
	}{
		{"/sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1/nvme0n1p2", "nvme", true},
		{"/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda2", "ahci", true},
		{"/sys/devices/pci0000:00/0000:00:03.0/usb2/2-1/2-1:1.0/host0/target0:0:0/0:0:0:0/block/sda/sda2", "usb", true},
		{"/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/vda2", "virtio", true},
		{"/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/vda2", "nvme", false},
		{"/sys/devices/pci0000:00/0000:00:03.0/usb2/2-1/2-1:1.0/host0/target0:0:0/0:0:0:0/block/sda/sda2", "ahci", false},
		{"", "usb", false},
		{"/sys/devices/x/nvme/nvme0n1", "floppy", false},
	}
	for _, c := range cases {
		if err := verifyRootBus(c.path+"\n", c.bus); (err == nil) != c.ok {
			t.Errorf("%s on %s: %v, want ok=%v", c.path, c.bus, err, c.ok)
		}
	}
}

// TestFirmwareSeesEachBus boots each disk bus under the real UEFI firmware with an empty disk:
// the firmware then tries the disk as a boot option and says so on the serial console, naming
// its device path. So QEMU accepted the arguments, and the firmware reached the disk through
// that controller: what a disk boot on that bus needs first. (A boot on each bus, to a login,
// is TestInstallMedia's, in cmd/stalix-build.)
func TestFirmwareSeesEachBus(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: boots the firmware 7 times under TCG")
	}
	empty := filepath.Join(t.TempDir(), "empty.img")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(empty, 64<<20); err != nil {
		t.Fatal(err)
	}
	// The firmware's "failed to load BootNNNN ... from <device path>" line for each device.
	paths := map[string]string{"nvme": `NVMe\(`, "ahci": `Sata\(`, "usb": `USB\(`, "virtio": `"UEFI Misc Device" from PciRoot`}
	for _, arch := range []string{"x86_64", "aarch64"} {
		for _, bus := range Buses {
			if arch == "aarch64" && bus == "ahci" {
				// Debian's QEMU_EFI has no SATA driver (measured: no boot option in 3 minutes), so
				// boot --root-device ahci hands it the kernel (FirmwareKernel) on aarch64.
				continue
			}
			m := Machine{Arch: arch, Disk: empty, Bus: bus}
			t.Run(arch+"/"+bus, func(t *testing.T) {
				if _, _, err := m.Args(); err != nil {
					t.Skip(err) // names the missing QEMU or firmware and its package
				}
				s, err := Start(context.Background(), m, nil)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Kill()
				want := regexp.MustCompile(`failed to load Boot[0-9A-F]+ .*` + paths[bus])
				if _, err := s.Expect(want, 3*time.Minute); err != nil {
					t.Fatalf("%v\n%s", err, tailLines(s.Output(), 20))
				}
			})
		}
	}
}
func TestCommandResult(t *testing.T) {
	cases := []struct {
		name, console, out string
		status             int
		ok                 bool
	}{
		{"ok", "STALIX-CMD-BEGIN\r\ncurl 7.88.1 (x86_64-linux-musl)\r\nSTALIX-CMD-END 0\r\n", "curl 7.88.1 (x86_64-linux-musl)", 0, true},
		{"failed", "STALIX-CMD-BEGIN\r\nsh: nope: not found\r\nSTALIX-CMD-END 127\r\n", "sh: nope: not found", 127, true},
		{"no output", "STALIX-CMD-BEGIN\r\nSTALIX-CMD-END 0\r\n", "", 0, true},
		{"kernel line", "STALIX-CMD-BEGIN\r\n[    3.1] random: crng init done\r\nless 590\r\nSTALIX-CMD-END 0\r\n", "less 590", 0, true},
		// The typed line's echo holds the markers broken by quotes and $? unexpanded.
		{"echo only", "# echo STALIX-CMD-B''EGIN; (ls) </dev/null 2>&1; echo STALIX-CMD-E''ND $?\r\n", "", 0, false},
		{"no end yet", "STALIX-CMD-BEGIN\r\npartial", "", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, status, ok := commandResult(c.console)
			if out != c.out || status != c.status || ok != c.ok {
				t.Errorf("commandResult = %q, %d, %v; want %q, %d, %v", out, status, ok, c.out, c.status, c.ok)
			}
		})
	}
}

// The typed line, echoed back by the console, is never read as an answer:
// only a shell that runs it prints the markers whole.
func TestCommandLineEchoDoesNotMatch(t *testing.T) {
	for _, cmd := range []string{"curl --version", "echo STALIX-CMD-END 0", "true"} {
		if commandRE.MatchString(commandLine(cmd) + "\r\n") {
			t.Errorf("the echo of %q matches the answer pattern", cmd)
		}
	}
}

func FuzzCommandResult(f *testing.F) {
	f.Add("STALIX-CMD-BEGIN\r\nx\r\nSTALIX-CMD-END 0\r\n")
	f.Add("STALIX-CMD-BEGIN\nSTALIX-CMD-END 99999999999999999999999\n")
	f.Fuzz(func(t *testing.T, console string) {
		out, status, ok := commandResult(console)
		if !ok && (out != "" || status != 0) {
			t.Fatalf("no answer, yet %q, %d", out, status)
		}
		if ok && (status < 0 || strings.Contains(out, "\r")) {
			t.Fatalf("answer %q, status %d", out, status)
		}
	})
}

// runCommands against a real shell on the console's pipes: the answers are
// read, and the first failing command is named with its status and output.
func TestRunCommands(t *testing.T) {
	sh, err := hosttool.Look("sh", "dash")
	if err != nil {
		t.Skip(err) // names the tool and its package
	}
	s, err := start(exec.Command(sh), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		s.Send("exit\n")
		s.Wait(10 * time.Second)
	}()
	if err := runCommands(s, []string{"echo hello", "true", "cat"}, 10*time.Second); err != nil {
		t.Fatalf("passing commands failed: %v", err)
	}
	err = runCommands(s, []string{"echo fine", "echo broken >&2; exit 3", "echo never"}, 10*time.Second)
	if err == nil {
		t.Fatal("a command exiting 3 passed")
	}
	for _, want := range []string{`"echo broken >&2; exit 3"`, "status 3", "broken"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %s", err, want)
		}
	}
	if strings.Contains(s.Output(), "\nnever") {
		t.Error("a command after the failing one ran")
	}
}
