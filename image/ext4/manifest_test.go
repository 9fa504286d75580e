package ext4

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"stalix.dev/stalix-build/image/internal/fixture"
	"stalix.dev/stalix-build/image/tree"
)

// ourMke2fs is the mke2fs of our e2fsprogs, which takes a manifest. It is found through
// $STALIX_MKE2FS only: a store may hold several builds, and only the caller knows which one the
// recipe makes now.
func ourMke2fs(t *testing.T) string {
	t.Helper()
	p := os.Getenv("STALIX_MKE2FS")
	if p == "" {
		t.Skip("needs our e2fsprogs's mke2fs: bin/stalix-build build e2fsprogs, then set STALIX_MKE2FS to sbin/mke2fs under the store path bin/stalix-build plan e2fsprogs prints")
	}
	if !SupportsManifest(p) {
		t.Fatalf("STALIX_MKE2FS=%s does not take -d @MANIFEST: no %q in its mke2fs -V", p, manifestMarker)
	}
	return p
}

func TestSupportsManifest(t *testing.T) {
	cases := []struct {
		name, mke2fs string
		want         bool
	}{
		{"missing binary", filepath.Join(t.TempDir(), "mke2fs"), false},
		{"not mke2fs", "/bin/true", false},
	}
	if p, err := exec.LookPath("mke2fs"); err == nil {
		cases = append(cases, struct {
			name, mke2fs string
			want         bool
		}{"host mke2fs", p, false})
	}
	if p := os.Getenv("STALIX_MKE2FS"); p != "" {
		cases = append(cases, struct {
			name, mke2fs string
			want         bool
		}{"ours", p, true})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := 0; i < 2; i++ { // the second answer comes from the cache
				if got := SupportsManifest(c.mke2fs); got != c.want {
					t.Errorf("SupportsManifest(%s) = %v, want %v", c.mke2fs, got, c.want)
				}
			}
		})
	}
}

func TestVisitLess(t *testing.T) {
	// What mke2fs -d visits in a staged tree: a directory's whole subtree before its next name.
	want := []string{"/a", "/a/b", "/a/b/c", "/a/y", "/a-c", "/a-c/x", "/a.d", "/a0", "/b", "/b\xff", "/\xff"}
	got := append([]string(nil), want...)
	sort.Strings(got) // path order, which puts "/a-c" before "/a/b"
	sort.Slice(got, func(i, j int) bool { return visitLess(got[i], got[j]) })
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("visit order %q, want %q", got, want)
	}
}

// odd is a tree that tries what could make the manifest differ from staging: visit order unlike
// path order, a hard link group whose first visited name is a link, sparse and zero-filled
// sources, linked and copied sources, names with any bytes, /lost+found, large owners, a device
// number in the long encoding, long symlinks, a directory spanning many blocks.
func odd(t testing.TB) *tree.Tree {
	dir := t.TempDir()
	src := func(name string, write func(f *os.File) error) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err == nil {
			err = write(f)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	sparse := src("sparse", func(f *os.File) error {
		if _, err := f.WriteAt([]byte("middle"), 300<<10); err != nil {
			return err
		}
		_, err := f.WriteAt([]byte("end"), 3<<20)
		return err
	})
	zeros := src("zeros", func(f *os.File) error {
		_, err := f.Write(append(make([]byte, 3*BlockSize+100), "after zeros"...))
		return err
	})
	big := src("big", func(f *os.File) error {
		b := make([]byte, 5<<20+123)
		for i := range b {
			b[i] = byte(i*7 + i>>13)
		}
		_, err := f.Write(b)
		return err
	})
	tr := tree.New(fixture.Epoch)
	add := func(e tree.Entry) {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	from := func(src, path string, mode uint32, uid, gid int) tree.Entry {
		e := fixture.FileFrom(src, path)
		e.Mode, e.UID, e.GID = mode, uid, gid
		return e
	}
	add(from(big, "/a/b", 0o644, 0, 0)) // the source's owner and mode: staging links it
	add(tree.Entry{Path: "/a-c", Type: tree.Dir, Mode: 0o2755, GID: 50})
	add(from(sparse, "/a-c/x", 0o4750, 70000, 70001))
	add(tree.Entry{Path: "/a/y", Type: tree.Hardlink, Target: "/a-c/x"}) // visited before /a-c/x
	add(tree.Entry{Path: "/a.d/z", Type: tree.Hardlink, Target: "/a-c/x"})
	add(from(zeros, "/a0/zeros", 0o600, 1, 1))
	add(from(big, "/a0/big-again", 0o755, 0, 0))
	add(tree.Entry{Path: "/lost+found", Type: tree.Dir, Mode: 0o750, UID: 5, GID: 6})
	add(tree.Entry{Path: "/lost+found/kept", Type: tree.File, Mode: 0o644, Data: []byte("kept\n")})
	for _, name := range []string{"sp ace", "new\nline", "\xff\xfe", "@at", "-dash", "tab\t", "\x01"} {
		add(tree.Entry{Path: "/odd/" + name, Type: tree.File, Mode: 0o644, Data: []byte(name)})
	}
	add(tree.Entry{Path: "/odd/all-bits", Type: tree.File, Mode: 0o7777, Data: []byte("x")})
	add(tree.Entry{Path: "/odd/none", Type: tree.Dir, Mode: 0})
	add(tree.Entry{Path: "/odd/deep/er/and/deeper/f", Type: tree.File, Mode: 0o444, Data: nil})
	add(tree.Entry{Path: "/dev/big", Type: tree.BlockDev, Mode: 0o600, Major: 259, Minor: 300})
	add(tree.Entry{Path: "/dev/max", Type: tree.CharDev, Mode: 0o640, UID: 3, GID: 4, Major: 4095, Minor: 1<<20 - 1})
	add(tree.Entry{Path: "/dev/fifo-like-name", Type: tree.CharDev, Mode: 0o000, Major: 0, Minor: 0})
	add(tree.Entry{Path: "/l/long", Type: tree.Symlink, Target: strings.Repeat("../long-target/", 9)})
	add(tree.Entry{Path: "/l/odd", Type: tree.Symlink, Target: "\xff new\nline", UID: 9, GID: 9})
	add(tree.Entry{Path: "/l/dangling", Type: tree.Symlink, Target: "/nowhere"})
	for i := 0; i < 300; i++ {
		add(tree.Entry{Path: fmt.Sprintf("/many/%03d-%s", i, strings.Repeat("n", 40)), Type: tree.File, Mode: 0o644, Data: []byte{byte(i)}})
	}
	if err := tr.Check(); err != nil {
		t.Fatal(err)
	}
	return tr
}

// The manifest must give the same bytes as -d over the staged tree, with our mke2fs and with the
// host's (when it is the same e2fsprogs version), and a file system e2fsck finds clean.
func TestManifestMatchesStaging(t *testing.T) {
	need(t, "e2fsck", "e2fsprogs")
	ours := ourMke2fs(t)
	host, _ := exec.LookPath("mke2fs")
	hostV, _ := exec.Command(host, "-V").CombinedOutput()
	oursV, _ := exec.Command(ours, "-V").CombinedOutput()
	version := func(b []byte) string { return strings.SplitN(string(b), "\n", 2)[0] }
	type way struct {
		name, mke2fs string
		stage        bool
	}
	ways := []way{{"staged with ours", ours, true}, {"manifest with ours", ours, false}}
	if version(hostV) == version(oursV) {
		ways = append([]way{{"staged with the host's", host, true}}, ways...)
	} else {
		t.Logf("host %s is not ours (%s): not compared", version(hostV), version(oursV))
	}
	for _, c := range []struct {
		name string
		tree func(testing.TB) *tree.Tree
	}{{"fixture", fixture.Small}, {"odd", odd}} {
		t.Run(c.name, func(t *testing.T) {
			var want []byte
			for i, w := range ways {
				tr := c.tree(t)
				p := filepath.Join(t.TempDir(), "root.img")
				if err := os.WriteFile(p, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Truncate(p, 64<<20); err != nil {
					t.Fatal(err)
				}
				opt := testOpts
				opt.Mke2fs, opt.stage = w.mke2fs, w.stage
				if err := Write(p, 0, 64<<20, tr, opt); err != nil {
					t.Fatalf("%s: %v", w.name, err)
				}
				got, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					want = got
				} else if !bytes.Equal(got, want) {
					t.Errorf("%s: %x differs from %s: %x in %d bytes", w.name, sha256.Sum256(got), ways[0].name, sha256.Sum256(want), diffBytes(got, want))
				}
				if !w.stage {
					out, err := exec.Command("e2fsck", "-fn", p).CombinedOutput()
					if err != nil || strings.Contains(string(out), "?") {
						t.Errorf("e2fsck -fn on the %s image: %v\n%s", w.name, err, out)
					}
				}
			}
		})
	}
}

func diffBytes(a, b []byte) int {
	n := 0
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			n++
		}
	}
	return n + max(len(b)-len(a), 0)
}

// The records for a small tree: visit order, "u" closing each directory, a hard link group made
// by its first visited name (a link) with the file's owner and mode, in-memory data in work/data.
func TestWriteManifest(t *testing.T) {
	tr := tree.New(fixture.Epoch)
	for _, e := range []tree.Entry{
		{Path: "/a-c/x", Type: tree.File, Mode: 0o4750, UID: 7, GID: 8, Data: []byte("x")},
		{Path: "/a/y", Type: tree.Hardlink, Target: "/a-c/x"},
		{Path: "/a/d/null", Type: tree.CharDev, Mode: 0o666, Major: 1, Minor: 3},
		{Path: "/b", Type: tree.BlockDev, Mode: 0o600, Major: 259, Minor: 300},
		{Path: "/l", Type: tree.Symlink, Target: "a\nb"},
	} {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	work := t.TempDir()
	p, err := writeManifest(tr, work)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	data := filepath.Join(work, "data", "0")
	want := strings.Join([]string{
		"d", "755", "0", "0", "a",
		"d", "755", "0", "0", "d",
		"c", "666", "0", "0", "null", "1", "3",
		"u",
		"f", "4750", "7", "8", "y", data,
		"u",
		"d", "755", "0", "0", "a-c",
		"h", "x", "0",
		"u",
		"b", "600", "0", "0", "b", "259", "300",
		"l", "777", "0", "0", "l", "a\nb",
	}, "\x00") + "\x00"
	if string(got) != want {
		t.Errorf("manifest\n%q\nwant\n%q", got, want)
	}
	if b, _ := os.ReadFile(data); string(b) != "x" {
		t.Errorf("%s holds %q, want %q", data, b, "x")
	}
}

func TestWriteManifestRefuses(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	if err := os.WriteFile(src, []byte("now longer"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		entry tree.Entry
		want  string
	}{
		{"NUL in symlink target", tree.Entry{Path: "/l", Type: tree.Symlink, Target: "a\x00b"}, "NUL"},
		{"major too large", tree.Entry{Path: "/d", Type: tree.CharDev, Major: 4096}, "out of range"},
		{"minor too large", tree.Entry{Path: "/d", Type: tree.BlockDev, Minor: 1 << 20}, "out of range"},
		{"source changed size", tree.Entry{Path: "/f", Type: tree.File, Source: src, Size: 3}, "changed size"},
		{"source missing", tree.Entry{Path: "/f", Type: tree.File, Source: src + ".gone"}, "stat source"},
		{"source not a file", tree.Entry{Path: "/f", Type: tree.File, Source: filepath.Dir(src), Size: 4096}, "not a regular file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := tree.New(fixture.Epoch)
			if err := tr.Add(c.entry); err != nil {
				t.Fatal(err)
			}
			_, err := writeManifest(tr, t.TempDir())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("writeManifest = %v, want an error with %q", err, c.want)
			}
		})
	}
}
