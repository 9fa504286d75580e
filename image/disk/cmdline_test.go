package disk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRootFromCmdline(t *testing.T) {
	cases := []struct {
		cmdline string
		want    Root
		err     string
	}{
		{"console=ttyS0 root=PARTLABEL=stalix-root rootfstype=ext4 ro", Root{Label: "stalix-root"}, ""},
		{"root=PARTUUID=1670C3F2-BDF7-562D-85C7-7CFA3ECB38F6 ro", Root{PartUUID: "1670c3f2-bdf7-562d-85c7-7cfa3ecb38f6"}, ""},
		// The kernel takes the last root=, as x86_64 does with an appended boot loader line.
		{"root=PARTLABEL=a root=PARTLABEL=b", Root{Label: "b"}, ""},
		{"root=/dev/vda2", Root{}, ""},
		{"console=ttyS0", Root{}, ""},
		{"root=PARTUUID=1670c3f2-bdf7-562d-85c7-7cfa3ecb38f6/PARTNROFF=1", Root{}, "want PARTUUID="},
		{"root=PARTUUID=xyz", Root{}, "want PARTUUID="},
		{"root=PARTLABEL=", Root{}, "1 to 36 characters"},
		{"root=PARTLABEL=" + strings.Repeat("x", 37), Root{}, "1 to 36 characters"},
	}
	for _, c := range cases {
		got, err := RootFromCmdline(c.cmdline)
		if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%q: error %v, want %q", c.cmdline, err, c.err)
		}
		if got != c.want {
			t.Errorf("%q: %+v, want %+v", c.cmdline, got, c.want)
		}
	}
}

func TestKernelCmdline(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	os.WriteFile(cfg, []byte("CONFIG_64BIT=y\nCONFIG_CMDLINE=\"console=ttyS0 root=PARTLABEL=x \\\"q\\\"\"\n# CONFIG_CMDLINE_OVERRIDE is not set\n"), 0o644)
	got, err := KernelCmdline(cfg)
	if err != nil || got != `console=ttyS0 root=PARTLABEL=x "q"` {
		t.Errorf("got %q, %v", got, err)
	}
	os.WriteFile(cfg, []byte("CONFIG_64BIT=y\n"), 0o644)
	if got, err := KernelCmdline(cfg); err != nil || got != "" {
		t.Errorf("no CONFIG_CMDLINE: got %q, %v", got, err)
	}
	os.WriteFile(cfg, []byte("CONFIG_CMDLINE=unquoted\n"), 0o644)
	if _, err := KernelCmdline(cfg); err == nil || !strings.Contains(err.Error(), "config:1:") {
		t.Errorf("unquoted value: %v", err)
	}
	if _, err := KernelCmdline(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing config gave no error")
	}
}

func FuzzRootFromCmdline(f *testing.F) {
	f.Add("console=ttyS0 root=PARTLABEL=stalix-root ro")
	f.Add("root=PARTUUID=1670c3f2-bdf7-562d-85c7-7cfa3ecb38f6")
	f.Fuzz(func(t *testing.T, cmdline string) {
		r, err := RootFromCmdline(cmdline)
		if err != nil {
			return
		}
		if r.Label != "" && r.PartUUID != "" {
			t.Fatalf("%q: both a label and a PARTUUID: %+v", cmdline, r)
		}
		if r.PartUUID != "" && !guidRE.MatchString(r.PartUUID) {
			t.Fatalf("%q: PARTUUID %q is not a GUID", cmdline, r.PartUUID)
		}
		if n := len([]rune(r.Label)); r.Label != "" && n > 36 {
			t.Fatalf("%q: label of %d characters", cmdline, n)
		}
	})
}
