package install

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"stalix.dev/stalix-build/internal/qemu"
)

// Check is an install check: boot the media, install onto an empty disk, boot that disk alone.
type Check struct {
	Media     qemu.Machine // the install media, booted by UEFI firmware from Media.Disk
	Target    string       // an empty raw file: the NVMe disk installed onto
	Small     string       // an empty raw file too small for the system, on virtio: refused
	MediaWant qemu.Expect  // what the media answers when logged in
	Want      qemu.Expect  // what the installed system answers
	Log       io.Writer    // each step, and the installer's output
}

// The device names the guest gives the disks: Media on USB is the only SCSI disk, Target the
// only NVMe disk, Small the only virtio disk.
const (
	mediaDev  = "/dev/sda"
	targetDev = "/dev/nvme0n1"
	smallDev  = "/dev/vda"
)

// Run boots the media with Target (NVMe) and Small (virtio) attached, logs in, and runs
// stalix-install: first where it must refuse without writing (a missing disk, a disk too small,
// the media itself), then for real onto Target with --yes, then onto Target again, which now
// holds partitions and must be refused with its first 2 MiB unchanged. It powers the media off,
// checks that Small is still all zeros, and boots Target alone (NVMe, the same firmware) to the
// usual login check.
func (c Check) Run(ctx context.Context) error {
	m := c.Media
	m.Bus = "usb"
	m.Extra = []qemu.Drive{{Path: c.Target, Bus: "nvme", Write: true}, {Path: c.Small, Bus: "virtio", Write: true}}
	c.logf("install check: booting the media %s (USB) with an empty NVMe disk %s", m.Disk, c.Target)
	s, err := qemu.Start(ctx, m, nil)
	if err != nil {
		return err
	}
	if err := c.onMedia(s); err != nil {
		return s.Fail(err)
	}
	if err := s.PowerOff(); err != nil {
		return s.Fail(err)
	}
	if err := allZero(c.Small); err != nil {
		return err
	}
	c.logf("install check: %s is still all zeros", c.Small)
	installed := qemu.Machine{Arch: m.Arch, Disk: c.Target, Bus: "nvme", Firmware: m.Firmware, Memory: m.Memory, KVM: m.KVM}
	want := c.Want
	want.RootBus = "nvme"
	c.logf("install check: booting %s alone (NVMe)", c.Target)
	if err := qemu.Check(ctx, installed, want, nil); err != nil {
		return fmt.Errorf("the installed disk: %w", err)
	}
	c.logf("install check: the installed system logged in, answered and powered off")
	return nil
}

// onMedia is everything done on the media's console.
func (c Check) onMedia(s *qemu.Session) error {
	if err := s.Login(c.MediaWant); err != nil {
		return err
	}
	refusals := []struct{ disk, says string }{
		{"/dev/nosuch", "no such disk"},
		{smallDev, "too small"},
		{mediaDev, "install media's own root"},
	}
	for _, r := range refusals {
		if err := c.refuses(s, r.disk, r.says); err != nil {
			return err
		}
	}
	out, code, err := s.Run("stalix-install --yes "+targetDev+" 2>&1", 15*time.Minute)
	if err != nil {
		return err
	}
	c.logf("%s", indent(out))
	if code != 0 || !strings.Contains(out, "stalix-install: installed ") {
		return fmt.Errorf("stalix-install --yes %s exited %d:\n%s", targetDev, code, out)
	}
	before, err := head(s, targetDev)
	if err != nil {
		return err
	}
	if err := c.refuses(s, targetDev, "--force"); err != nil {
		return err
	}
	after, err := head(s, targetDev)
	if err != nil {
		return err
	}
	if before != after {
		return fmt.Errorf("a refused stalix-install changed %s: its first 2 MiB hashed %s, then %s", targetDev, before, after)
	}
	c.logf("install check: %s unchanged by the refusal (first 2 MiB: sha256 %.16s)", targetDev, before)
	return nil
}

// refuses runs stalix-install --yes on disk, which must fail saying says.
func (c Check) refuses(s *qemu.Session, disk, says string) error {
	out, code, err := s.Run("stalix-install --yes "+disk+" 2>&1", 2*time.Minute)
	if err != nil {
		return err
	}
	if code == 0 || !strings.Contains(out, says) {
		return fmt.Errorf("stalix-install --yes %s: exit %d, want a failure saying %q:\n%s", disk, code, says, out)
	}
	if strings.Contains(out, "[2/") {
		return fmt.Errorf("stalix-install --yes %s went past its checks before failing:\n%s", disk, out)
	}
	c.logf("install check: refused %s: %s", disk, errorLine(out))
	return nil
}

// head hashes the first 2 MiB of disk in the guest: the protective MBR, the GPT and the start of
// the ESP.
func head(s *qemu.Session, disk string) (string, error) {
	out, code, err := s.Run("dd if="+disk+" bs=1M count=2 2>/dev/null | sha256sum", time.Minute)
	if err != nil {
		return "", err
	}
	f := strings.Fields(out)
	if code != 0 || len(f) == 0 || len(f[0]) != 64 {
		return "", fmt.Errorf("hashing %s: exit %d: %q", disk, code, out)
	}
	return f[0], nil
}

func allZero(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	var off int64
	for {
		n, err := f.Read(buf)
		for i := 0; i < n; i++ {
			if buf[i] != 0 {
				return fmt.Errorf("%s: byte %d is %#x: a refused install wrote to it", path, off+int64(i), buf[i])
			}
		}
		off += int64(n)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (c Check) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}

// errorLine is the installer's first error line (one may be followed by a list of disks).
func errorLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "error:") {
			return strings.TrimSpace(l)
		}
	}
	return strings.TrimSpace(s)
}
