package qemu

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/hosttool"
	"stalix.dev/stalix-build/internal/ppm"
)

func TestArgsDisplay(t *testing.T) {
	_, args, err := Machine{Arch: "x86_64", Disk: "/tmp/d.img", Display: true, QMP: "/tmp/q.sock"}.Args()
	if hosttool.IsMissing(err) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(args, " ")
	for _, want := range []string{"-vga none", "-display none", "-device virtio-gpu-pci", "-device usb-kbd",
		"-qmp unix:/tmp/q.sock,server=on,wait=off", "-serial stdio"} {
		if !strings.Contains(joined, want) {
			t.Errorf("args lack %q: %s", want, joined)
		}
	}
	if strings.Contains(joined, "-nographic") {
		t.Errorf("a display machine has -nographic: %s", joined)
	}
}

// A real QEMU under OVMF with a blank disk: QMP answers, and its
// screendump is a PPM that ppm.Decode reads at the display's size.
func TestScreendumpQMP(t *testing.T) {
	if testing.Short() {
		t.Skip("boots QEMU")
	}
	dir := t.TempDir()
	disk := filepath.Join(dir, "blank.img")
	if err := os.WriteFile(disk, make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	m := Machine{Arch: "x86_64", Disk: disk, Display: true, QMP: filepath.Join(dir, "qmp.sock")}
	if _, _, err := m.Args(); hosttool.IsMissing(err) {
		t.Skip(err)
	} else if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := Start(ctx, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Kill()
	q, err := DialQMP(m.QMP, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	shot := filepath.Join(dir, "s.ppm")
	if err := q.Screendump(shot); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := ppm.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 320 || b.Dy() < 200 {
		t.Errorf("screendump is %v, want at least 320x200", b)
	}
	if err := q.SendKey("ret"); err != nil {
		t.Errorf("send-key: %v", err)
	}
	if err := q.SendKey("no-such-key"); err == nil {
		t.Errorf("send-key accepted a qcode QEMU does not have")
	}
	if err := q.Execute("no-such-command", nil, 10*time.Second); err == nil || !strings.Contains(err.Error(), "CommandNotFound") {
		t.Errorf("an unknown command answered %v, want CommandNotFound", err)
	}
}
