package store

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// ext4Shutdown is EXT4_IOC_SHUTDOWN and its flag that keeps even the journal
// from being written: what the disk holds at that moment is all that stays,
// as after a power loss. xfstests' godown uses the same call.
const (
	ext4Shutdown   = 0x8004587d // _IOR('X', 125, __u32)
	ext4NoLogFlush = 2
)

// loopExt4 makes a fresh ext4 file system in a file and mounts it; remount
// unmounts it and mounts it again, replaying its journal. Each mount gets a
// loop device of its own: a sandbox test running beside this one may hold
// a copy of the first mount in its mount namespace, which keeps that
// device's (shut down) file system alive, and mounting the same device
// again would give it back.
func loopExt4(t *testing.T) (mnt string, remount func()) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a loop device")
	}
	for _, tool := range []string{"mkfs.ext4", "losetup", "mount", "umount"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (apt-get install e2fsprogs mount)", tool)
		}
	}
	img := filepath.Join(t.TempDir(), "fs.img")
	mnt = t.TempDir()
	run := func(name string, args ...string) string {
		t.Helper()
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if err := os.WriteFile(img, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 256<<20); err != nil {
		t.Fatal(err)
	}
	run("mkfs.ext4", "-q", "-F", img)
	var dev string
	mount := func() {
		dev = run("losetup", "--find", "--show", img)
		run("mount", dev, mnt)
	}
	unmount := func() {
		run("umount", mnt)
		exec.Command("losetup", "--detach", dev).Run() // deferred by the kernel while another namespace holds it
		dev = ""
	}
	mount()
	t.Cleanup(func() {
		if dev != "" {
			unmount()
		}
	})
	return mnt, func() {
		t.Helper()
		unmount()
		mount()
	}
}

// powerLoss cuts the file system under dir off from its disk at once.
func powerLoss(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.IoctlSetPointerInt(int(f.Fd()), ext4Shutdown, ext4NoLogFlush); err != nil {
		t.Fatalf("EXT4_IOC_SHUTDOWN: %v", err)
	}
}

// TestCommitSurvivesPowerLoss commits entries on a real ext4, then loses
// power (the file system is shut down without flushing anything), mounts it
// again and wants every entry Commit returned for present and whole, as the
// build that committed it has gone on to use it.
func TestCommitSurvivesPowerLoss(t *testing.T) {
	mnt, remount := loopExt4(t)
	dir := filepath.Join(mnt, "store")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	want := map[string]string{}
	for i := range 8 {
		base := fmt.Sprintf("%032d-pkg%d-1", i, i)
		txn, err := s.Begin(base)
		if err != nil {
			t.Fatal(err)
		}
		for j := range 5 {
			p := filepath.Join(txn.Out, fmt.Sprintf("d%d", j%2), fmt.Sprintf("f%d", j))
			data := make([]byte, 1<<10+r.Intn(256<<10))
			r.Read(data)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Symlink("d0/f0", filepath.Join(txn.Out, "link")); err != nil {
			t.Fatal(err)
		}
		txn.Log.WriteString("built " + base + "\n")
		if err := txn.Commit(Manifest{Name: "pkg", Version: "1"}); err != nil {
			t.Fatal(err)
		}
		m, err := s.ReadManifest(base)
		if err != nil {
			t.Fatal(err)
		}
		want[base] = m.ContentHash
	}
	s.Close()
	powerLoss(t, mnt)
	remount()
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for base, hash := range want {
		if !s.Has(base) {
			t.Errorf("%s: committed, gone after the power loss", base)
			continue
		}
		got, _, err := TreeHash(s.Path(base))
		if err != nil || got != hash {
			t.Errorf("%s: counted as present but not whole after the power loss: tree hash %s, manifest %s (%v)", base, got, hash, err)
		}
		if data, err := os.ReadFile(s.LogPath(base)); err != nil || string(data) != "built "+base+"\n" {
			t.Errorf("%s: log %q (%v)", base, data, err)
		}
	}
}
