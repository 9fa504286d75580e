package qemu

import (
	"strings"
	"testing"

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
	_, args, err := Machine{Arch: "x86_64", Disk: "/tmp/d.img"}.Args()
	if hosttool.IsMissing(err) {
		t.Skip(err) // names the tool and its package
	}
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(args, " ")
	for _, want := range []string{"-accel tcg", "snapshot=on", "-bios /usr/share/ovmf/OVMF.fd", "-serial stdio"} {
		if !strings.Contains(joined, want) {
			t.Errorf("args lack %q: %s", want, joined)
		}
	}
	if _, _, err := (Machine{Arch: "riscv64", Kernel: "k"}).Args(); err == nil {
		t.Error("unknown arch accepted")
	}
	if _, _, err := (Machine{Arch: "x86_64"}).Args(); err == nil {
		t.Error("nothing to boot accepted")
	}
}
