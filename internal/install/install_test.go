package install

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/image/disk"
	"stalix.dev/stalix-build/image/tree"
)

func system(t *testing.T) System {
	t.Helper()
	sys := tree.New(1)
	for _, e := range []tree.Entry{
		{Path: "/bin/busybox", Type: tree.File, Mode: 0o755, Data: make([]byte, 3<<20)},
		{Path: "/etc/shadow", Type: tree.File, Mode: 0o600, Data: []byte("root::1:0:99999:7:::\n")},
		{Path: "/bin/sh", Type: tree.Hardlink, Target: "/bin/busybox"},
	} {
		if err := sys.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	kernel := filepath.Join(t.TempDir(), "vmlinuz")
	os.WriteFile(kernel, []byte("MZ kernel"), 0o644)
	return System{Name: "minimal", Arch: "aarch64", Tree: sys, Kernel: kernel, ESPSize: 64 << 20, Seed: []byte("realm"),
		Root: disk.Root{PartUUID: "1670c3f2-bdf7-562d-85c7-7cfa3ecb38f6"}}
}

func TestConf(t *testing.T) {
	sys := system(t)
	conf, err := Conf(sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"SYSTEM='minimal'\n", "ARCH='aarch64'\n", "BOOT_FILE='BOOTAA64.EFI'\n", "ESP_MIB=64\n", "ROOT_MIN_MIB=64\n",
		"ROOT_TYPE='b921b045-1df0-41c3-af44-4c6f280d3fae'\n", "ROOT_LABEL='stalix-root'\n",
		// The kernel's root= decides the PARTUUID; the rest derive from the seed as an image's do.
		"ROOT_PARTUUID='1670c3f2-bdf7-562d-85c7-7cfa3ecb38f6'\n",
		"DISK_GUID='" + disk.DeriveUUID([]byte("realm"), "disk") + "'\n",
		"ROOT_FS_UUID='" + disk.DeriveUUID([]byte("realm"), "root-ext4") + "'\n",
	} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("install.conf lacks %q:\n%s", want, conf)
		}
	}
	sys.Root = disk.Root{Label: "my-root"}
	conf, _ = Conf(sys)
	for _, want := range []string{"ROOT_LABEL='my-root'\n", "ROOT_PARTUUID='" + disk.DeriveUUID([]byte("realm"), "root-partition") + "'\n"} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("with root=PARTLABEL, install.conf lacks %q:\n%s", want, conf)
		}
	}
	bad := []struct {
		change func(*System)
		err    string
	}{
		{func(s *System) { s.Arch = "riscv64" }, "unknown arch"},
		{func(s *System) { s.ESPSize = 32 << 20 }, "at least 64 MiB"},
		{func(s *System) { s.Seed = nil }, "no seed"},
		{func(s *System) { s.Root = disk.Root{Label: "a'b"} }, "cannot go into install.conf"},
	}
	for _, b := range bad {
		s := system(t)
		b.change(&s)
		if _, err := Conf(s); err == nil || !strings.Contains(err.Error(), b.err) {
			t.Errorf("error %v, want %q", err, b.err)
		}
	}
}

func TestAdd(t *testing.T) {
	sys := system(t)
	media := tree.New(1)
	if err := Add(media, sys); err != nil {
		t.Fatal(err)
	}
	if err := media.Check(); err != nil {
		t.Fatal(err)
	}
	for path, typ := range map[string]tree.Type{
		"/ix/install":                  tree.Dir,
		"/ix/install/root/bin/busybox": tree.File,
		"/ix/install/root/bin/sh":      tree.Hardlink,
		"/ix/install/BOOTAA64.EFI":     tree.File,
		"/ix/install/install.conf":     tree.File,
		"/ix/install/mke2fs.conf":      tree.File,
	} {
		e := media.Get(path)
		if e == nil || e.Type != typ {
			t.Errorf("%s: %+v, want a %s", path, e, typ)
		}
	}
	if m := media.Get("/ix/install").Mode; m != 0o700 {
		t.Errorf("/ix/install has mode %o, want 700", m)
	}
	sys.Kernel = filepath.Join(t.TempDir(), "missing")
	if err := Add(tree.New(1), sys); err == nil {
		t.Error("a missing kernel was accepted")
	}
}

func TestMinRootSize(t *testing.T) {
	small := tree.New(1)
	small.Add(tree.Entry{Path: "/a", Type: tree.File, Data: []byte("a")})
	if got := MinRootSize(small); got != 64<<20 {
		t.Errorf("a tiny tree needs %d, want the 64 MiB floor", got)
	}
	big := tree.New(1)
	big.Add(tree.Entry{Path: "/big", Type: tree.File, Size: 200 << 20, Source: "/dev/null"})
	if got := MinRootSize(big); got < 250<<20 || got%(1<<20) != 0 {
		t.Errorf("200 MiB of data needs %d, want at least 250 MiB in whole MiB", got)
	}
}
