package boot

import (
	"strings"
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/pack"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		o    Options
		want string // "" is valid
	}{
		{Options{}, ""},
		{Options{Disk: true, RootDevice: "nvme", Check: true}, ""},
		{Options{Disk: true, Initramfs: true}, "exclude each other"},
		{Options{RootDevice: "ahci"}, "--root-device is for --disk boots"},
		{Options{InstallCheck: true, Check: true}, "--install-check boots the media"},
		{Options{Screen: true, Initramfs: true}, "drop --initramfs"},
	} {
		err := tc.o.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.o, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: err = %v, want %q", tc.o, err, tc.want)
		}
	}
}

// Machine picks the boot the options ask for from the images written, and
// refuses one the profile has no image for, naming the profile's file.
func TestMachine(t *testing.T) {
	all := &pack.Artifacts{Kernel: "k", Initramfs: "i", Disk: "d", StoreCount: 5}
	noDisk := &pack.Artifacts{Kernel: "k", Initramfs: "i", StoreCount: 5}
	for _, tc := range []struct {
		name     string
		a        *pack.Artifacts
		arch     string
		o        Options
		kernel   string // the machine's
		disk     string
		bus      string
		display  bool
		firmware bool // the kernel handed to UEFI
		rootBus  string
		dhcp     string
		note     string
		err      string
	}{
		{name: "initramfs", a: all, arch: "x86_64", kernel: "k"},
		{name: "disk", a: all, arch: "x86_64", o: Options{Disk: true}, disk: "d"},
		{name: "nvme", a: all, arch: "x86_64", o: Options{Disk: true, RootDevice: "nvme", Timeout: time.Minute}, disk: "d", bus: "nvme", rootBus: "nvme"},
		{name: "aarch64 ahci", a: all, arch: "aarch64", o: Options{Disk: true, RootDevice: "ahci"}, disk: "d", bus: "ahci", rootBus: "ahci",
			kernel: "k", firmware: true, note: "QEMU_EFI cannot boot from AHCI"},
		{name: "screen", a: all, arch: "x86_64", o: Options{Screen: true}, disk: "d", display: true},
		{name: "net", a: all, arch: "x86_64", o: Options{Net: "e1000e"}, kernel: "k", dhcp: "eth0"},
		{name: "install media", a: all, arch: "x86_64", o: Options{InstallCheck: true, Write: true}, disk: "d"},
		{name: "disk without one", a: noDisk, arch: "x86_64", o: Options{Disk: true}, err: "p.toml: the profile has no [outputs.disk]"},
		{name: "screen without a disk", a: noDisk, arch: "x86_64", o: Options{Screen: true}, err: "p.toml: --screen boots the disk"},
		{name: "no initramfs", a: &pack.Artifacts{Disk: "d"}, arch: "x86_64", err: "p.toml: the profile needs [outputs.initramfs]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, want, note, err := Machine(tc.a, tc.arch, "p.toml", []string{"true"}, tc.o)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Arch != tc.arch || m.Kernel != tc.kernel || m.Disk != tc.disk || m.Bus != tc.bus || m.Display != tc.display || m.FirmwareKernel != tc.firmware {
				t.Errorf("machine %+v", m)
			}
			if m.Write != (tc.o.Write && !tc.o.InstallCheck) || m.Net != tc.o.Net {
				t.Errorf("write %v, net %q, from %+v", m.Write, m.Net, tc.o)
			}
			// --timeout's 0 is the default wait.
			timeout := tc.o.Timeout
			if timeout == 0 {
				timeout = DefaultTimeout
			}
			if want.RootBus != tc.rootBus || want.DHCP != tc.dhcp || want.StoreCount != 5 || want.Timeout != timeout || want.Arch != tc.arch {
				t.Errorf("expect %+v", want)
			}
			if (note == "") != (tc.note == "") || !strings.Contains(note, tc.note) {
				t.Errorf("note %q, want %q", note, tc.note)
			}
		})
	}
}
