package ext4

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"stalix.dev/stalix-build/image/internal/fixture"
	"stalix.dev/stalix-build/image/tree"
)

var testOpts = Options{
	UUID:     "0b3b7f51-9a43-4ef4-8b1e-2f6b5c7d8e90",
	HashSeed: "5d8f0c1e-2a3b-4c5d-8e6f-708192a3b4c5",
	Label:    "stalix-root",
}

func need(t *testing.T, tool, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("needs %s (apt-get install %s)", tool, pkg)
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to stage owners and device nodes")
	}
}

// image writes tr into a fresh file at offset, returning the file's path.
func image(t *testing.T, tr *tree.Tree, offset, size int64) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "root.img")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(offset + size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := Write(p, offset, size, tr, testOpts); err != nil {
		t.Fatal(err)
	}
	return p
}

func debugfs(t *testing.T, img, req string) string {
	t.Helper()
	out, err := exec.Command("debugfs", "-R", req, img).Output()
	if err != nil {
		t.Fatalf("debugfs -R %q: %v", req, err)
	}
	return string(out)
}

func TestFsck(t *testing.T) {
	need(t, "e2fsck", "e2fsprogs")
	img := image(t, fixture.Small(t), 0, 64<<20)
	out, err := exec.Command("e2fsck", "-fn", img).CombinedOutput()
	if err != nil || strings.Contains(string(out), "?") {
		t.Fatalf("e2fsck -fn: %v\n%s", err, out)
	}
}

// Two writes a second apart must be equal: the staged files' ctimes differ, fixTimes evens them.
// A write at an offset must hold the same bytes there.
func TestReproducible(t *testing.T) {
	need(t, "mke2fs", "e2fsprogs")
	a, err := os.ReadFile(image(t, fixture.Small(t), 0, 32<<20))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	const off = 3 << 20
	b, err := os.ReadFile(image(t, fixture.Small(t), off, 32<<20))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b[:off], make([]byte, off)) {
		t.Error("bytes before the offset were written")
	}
	if !bytes.Equal(a, b[off:]) {
		t.Fatalf("two writes differ: %x vs %x", sha256.Sum256(a), sha256.Sum256(b[off:]))
	}
}

// debugfs's "ls -p" prints /inode/mode/uid/gid/name/size/ per entry.
var lsLine = regexp.MustCompile(`^/(\d+)/(\d+)/(\d+)/(\d+)/(.*)/(\d*)/$`)

func TestContentWithDebugfs(t *testing.T) {
	need(t, "debugfs", "e2fsprogs")
	tr := fixture.Small(t)
	img := image(t, tr, 0, 64<<20)
	type stat struct{ ino, mode, uid, gid, size string }
	got := map[string]stat{}
	dirs := []string{"/"}
	for _, e := range tr.Entries() {
		if e.Type == tree.Dir {
			dirs = append(dirs, e.Path)
		}
	}
	for _, d := range dirs {
		for _, l := range strings.Split(strings.TrimSpace(debugfs(t, img, "ls -p "+d)), "\n") {
			m := lsLine.FindStringSubmatch(l)
			if m == nil || m[5] == "." || m[5] == ".." {
				continue
			}
			got[filepath.Join(d, m[5])] = stat{m[1], m[2], m[3], m[4], m[6]}
		}
	}
	delete(got, "/lost+found")
	if len(got) != tr.Len() {
		t.Errorf("ext4 holds %d names, the tree %d", len(got), tr.Len())
	}
	kind := map[tree.Type]int{tree.Dir: 0o40000, tree.File: 0o100000, tree.Hardlink: 0o100000,
		tree.Symlink: 0o120000, tree.CharDev: 0o20000, tree.BlockDev: 0o60000}
	for _, e := range tr.Entries() {
		g, ok := got[e.Path]
		if !ok {
			t.Errorf("%s: missing", e.Path)
			continue
		}
		f := e
		if e.Type == tree.Hardlink {
			f = tr.Get(e.Target)
			if g.ino != got[f.Path].ino {
				t.Errorf("%s: inode %s, want %s's %s", e.Path, g.ino, f.Path, got[f.Path].ino)
			}
		}
		want := stat{g.ino, fmt.Sprintf("%06o", kind[e.Type]|int(f.Mode)), strconv.Itoa(f.UID), strconv.Itoa(f.GID), g.size}
		if f.Type == tree.File || f.Type == tree.Symlink {
			want.size = strconv.FormatInt(f.Size, 10)
		}
		if g != want {
			t.Errorf("%s: got %+v, want %+v", e.Path, g, want)
		}
		switch e.Type {
		case tree.CharDev, tree.BlockDev:
			s := debugfs(t, img, "stat "+e.Path)
			if w := fmt.Sprintf("Device major/minor number: %02d:%02d", e.Major, e.Minor); !strings.Contains(s, w) {
				t.Errorf("%s: no %q in\n%s", e.Path, w, s)
			}
		case tree.Symlink:
			if s := debugfs(t, img, "stat "+e.Path); !strings.Contains(s, `Fast link dest: "`+e.Target+`"`) {
				t.Errorf("%s: target %q not in\n%s", e.Path, e.Target, s)
			}
		case tree.File:
			d := filepath.Join(t.TempDir(), "f")
			debugfs(t, img, "dump "+e.Path+" "+d)
			gotData, _ := os.ReadFile(d)
			r, _ := e.Open()
			var wantData bytes.Buffer
			wantData.ReadFrom(r)
			r.Close()
			if !bytes.Equal(gotData, wantData.Bytes()) {
				t.Errorf("%s: content differs", e.Path)
			}
		}
	}
	if s := debugfs(t, img, "stat /bin/su"); !strings.Contains(s, "ctime: 0x"+fmt.Sprintf("%08x", fixture.Epoch)+":00000000") {
		t.Errorf("ctime of /bin/su is not the epoch:\n%s", s)
	}
}

func TestTooSmall(t *testing.T) {
	need(t, "mke2fs", "e2fsprogs")
	tr := fixture.Small(t)
	if err := tr.Add(tree.Entry{Path: "/big", Type: tree.File, Mode: 0o644, Data: bytes.Repeat([]byte{1}, 12<<20)}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "small.img")
	os.WriteFile(p, nil, 0o644)
	os.Truncate(p, 8<<20)
	err := Write(p, 0, 8<<20, tr, testOpts)
	if err == nil || !regexp.MustCompile(`at least \d+ MiB larger`).MatchString(err.Error()) {
		t.Fatalf("Write = %v, want an error saying how much larger", err)
	}
	t.Log(err)
}

// TestNotRoot: staging the tree for a stock mke2fs needs root, and another user is told so.
// Run as root, the test runs itself again as nobody.
func TestNotRoot(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "TestNotRoot")
		return
	}
	opt := testOpts
	opt.stage = true // whichever mke2fs is on PATH
	err := Write(filepath.Join(t.TempDir(), "x"), 0, 1<<20, fixture.Small(t), opt)
	if err == nil || !strings.Contains(err.Error(), "needs root") {
		t.Fatalf("Write = %v, want a needs-root error", err)
	}
}

// runAsNobody runs test from a copy of this test binary as uid and gid 65534, and fails when it
// does not pass there.
func runAsNobody(t *testing.T, test string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	// The go tool's build directory is root's alone; nobody gets a copy and a TMPDIR of its own.
	dir, err := os.MkdirTemp("", "stalix-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	tmp := filepath.Join(dir, "tmp")
	bin := filepath.Join(dir, "ext4.test")
	for _, err := range []error{os.Chmod(dir, 0o755), os.Mkdir(tmp, 0o755), os.Chown(tmp, 65534, 65534), os.WriteFile(bin, data, 0o755)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TMPDIR=" + tmp, "HOME=" + tmp}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+test) {
		t.Fatalf("%s as nobody: %v\n%s", test, err, out)
	}
}

// Sources with the entry's owner and mode are hard linked into staging: they must come out
// unchanged, and two entries naming one source must still be two inodes in the image.
func TestLinkedSourcesUntouched(t *testing.T) {
	need(t, "debugfs", "e2fsprogs")
	src := t.TempDir()
	a, b := filepath.Join(src, "a"), filepath.Join(src, "b")
	os.WriteFile(a, []byte("same owner and mode"), 0o644)
	os.WriteFile(b, []byte("other mode"), 0o600)
	old := time.Unix(1000, 0)
	for _, p := range []string{a, b} {
		os.Chtimes(p, old, old)
	}
	tr := tree.New(fixture.Epoch)
	for _, e := range []tree.Entry{
		fixture.FileFrom(a, "/x/a"), fixture.FileFrom(a, "/x/a-again"), fixture.FileFrom(b, "/x/b"),
	} {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	opts := testOpts
	opts.WorkDir = src // same file system, so linking is possible
	p := filepath.Join(t.TempDir(), "root.img")
	os.WriteFile(p, nil, 0o644)
	os.Truncate(p, 16<<20)
	if err := Write(p, 0, 16<<20, tr, opts); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{a, b} {
		fi, err := os.Stat(f)
		if err != nil || !fi.ModTime().Equal(old) {
			t.Errorf("%s: mtime %v (err %v), want it untouched at %v", f, fi.ModTime(), err, old)
		}
	}
	ls := debugfs(t, p, "ls -p /x")
	var inos []string
	for _, l := range strings.Split(strings.TrimSpace(ls), "\n") {
		if m := lsLine.FindStringSubmatch(l); m != nil && !strings.HasPrefix(m[5], ".") {
			inos = append(inos, m[1]+" "+m[2]+" "+m[5])
		}
	}
	if len(inos) != 3 || strings.Fields(inos[0])[0] == strings.Fields(inos[1])[0] {
		t.Errorf("ls -p /x = %q, want three names with distinct inodes", inos)
	}
	if s := debugfs(t, p, "stat /x/a"); !strings.Contains(s, fmt.Sprintf("mtime: 0x%08x:00000000", fixture.Epoch)) {
		t.Errorf("/x/a mtime is not the epoch:\n%s", s)
	}
}

// ReferenceCommand runs mke2fs on a plain directory with Write's configuration and options:
// the file system it makes carries the UUID, hash seed, label, inode size and features Write's
// would, which is what makes it a fair reference for the benchmark.
func TestReferenceCommand(t *testing.T) {
	need(t, "debugfs", "e2fsprogs")
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "etc"), 0o755)
	os.WriteFile(filepath.Join(dir, "etc", "hostname"), []byte("stalix\n"), 0o644)
	tr, err := tree.FromDir(dir, fixture.Epoch)
	if err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "ref.img")
	const size = 32 << 20
	if err := os.WriteFile(img, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Truncate(img, size)
	cmd, err := ReferenceCommand(t.TempDir(), img, size, tr, testOpts, dir)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
	}
	ref := debugfs(t, img, "stats")
	want := image(t, tr, 0, size)
	ours := debugfs(t, want, "stats")
	for _, field := range []string{"Filesystem UUID:", "Directory Hash Seed:", "Filesystem volume name:", "Inode size:", "Filesystem features:", "Inode count:", "Block count:"} {
		if a, b := statLine(ref, field), statLine(ours, field); a == "" || a != b {
			t.Errorf("%s reference %q, Write %q", field, a, b)
		}
	}
	if got := debugfs(t, img, "cat /etc/hostname"); got != "stalix\n" {
		t.Errorf("/etc/hostname = %q", got)
	}
}

func statLine(stats, field string) string {
	for _, l := range strings.Split(stats, "\n") {
		if strings.HasPrefix(l, field) {
			return strings.TrimSpace(strings.TrimPrefix(l, field))
		}
	}
	return ""
}
