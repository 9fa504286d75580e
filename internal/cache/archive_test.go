package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"stalix.dev/stalix-build/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// writable makes a tree removable again after a test sealed it read-only,
// so the temporary directory's cleanup works for any user.
func writable(t testing.TB, dir string) {
	t.Cleanup(func() {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
	})
}

// tempDir is a fresh directory whose read-only leftovers go at cleanup.
func tempDir(t testing.TB) string {
	d := t.TempDir()
	writable(t, d)
	return d
}

// sampleTree writes a tree with every kind an entry may hold: nested and
// empty directories, a read-only directory, files with odd names and
// modes, an empty file, symlinks inside the entry and to the guest's
// absolute paths, and a file with a second hard link.
func sampleTree(t testing.TB, dir string) {
	w := func(p, s string, mode os.FileMode) {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	w("bin/busybox", "#!/bin/sh\necho hi\n", 0o555)
	w("lib/libc.a", strings.Repeat("\x00\x01ar", 3000), 0o444)
	w("share/doc/a b\n\"c\"", "odd name", 0o644)
	w("share/doc/ü", "", 0o600)
	w("share/empty", "", 0o644)
	if err := os.Mkdir(filepath.Join(dir, "var"), 0o755); err != nil {
		t.Fatal(err)
	}
	for target, link := range map[string]string{
		"busybox":                              "bin/sh",
		"../bin/busybox":                       "sbin/init",
		"/run/runit/stopit":                    "etc/stopit",
		"/ix/store/0123-musl-1.2.3/lib/libc.a": "lib/libc-dep.a",
	} {
		p := filepath.Join(dir, link)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Link(filepath.Join(dir, "bin/busybox"), filepath.Join(dir, "sbin/busybox")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "share/doc"), 0o555); err != nil {
		t.Fatal(err)
	}
}

func archiveOf(t testing.TB, dir string) ([]byte, Summary) {
	var b bytes.Buffer
	sum, err := WriteArchive(&b, dir)
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), sum
}

var wide = Limits{MaxSize: 1 << 30, MaxArchive: 1 << 30, Epoch: 1686355200}

// TestArchiveRoundTrip: the archive's summary is the store's content hash,
// unpacking it gives the same tree with the same hard link and the
// output policy's times, and archiving the result gives the same bytes.
func TestArchiveRoundTrip(t *testing.T) {
	src := filepath.Join(tempDir(t), "src")
	sampleTree(t, src)
	data, sum := archiveOf(t, src)
	hash, size, err := store.TreeHash(src)
	if err != nil {
		t.Fatal(err)
	}
	if sum.ContentHash != hash || sum.Size != size {
		t.Fatalf("archive summary %s/%d, store.TreeHash %s/%d", sum.ContentHash, sum.Size, hash, size)
	}
	if got := fmt.Sprintf("%x", sha256.Sum256(data)); got != sum.SHA256 {
		t.Fatalf("summary sha256 %s, archive's %s", sum.SHA256, got)
	}
	dest := filepath.Join(tempDir(t), "dest")
	os.Mkdir(dest, 0o755)
	got, err := Extract(bytes.NewReader(data), dest, wide)
	if err != nil {
		t.Fatal(err)
	}
	if got != sum {
		t.Errorf("extract summary %+v, writer's %+v", got, sum)
	}
	if h, _, _ := store.TreeHash(dest); h != hash {
		t.Errorf("unpacked tree hashes to %s, want %s", h, hash)
	}
	a, _ := os.Stat(filepath.Join(dest, "bin/busybox"))
	b, _ := os.Stat(filepath.Join(dest, "sbin/busybox"))
	if !os.SameFile(a, b) {
		t.Error("the hard link came back as a copy")
	}
	var st syscall.Stat_t
	if err := syscall.Lstat(filepath.Join(dest, "etc/stopit"), &st); err != nil || st.Mtim.Sec != wide.Epoch {
		t.Errorf("symlink mtime %d, want the epoch %d (%v)", st.Mtim.Sec, wide.Epoch, err)
	}
	again, _ := archiveOf(t, dest)
	if !bytes.Equal(again, data) {
		t.Error("archiving the unpacked tree gives other bytes")
	}
}

// TestArchiveGolden pins the format: a change to it must be deliberate,
// since published caches hold archives of the old one.
func TestArchiveGolden(t *testing.T) {
	src := filepath.Join(tempDir(t), "src")
	sampleTree(t, src)
	data, _ := archiveOf(t, src)
	golden := filepath.Join("testdata", "sample.archive")
	if *update {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update)", err)
	}
	if !bytes.Equal(data, want) {
		t.Errorf("archive differs from %s (go test -update rewrites it if the change is meant)", golden)
	}
}

func TestWriteArchiveRefuses(t *testing.T) {
	for name, mk := range map[string]func(dir string) error{
		"fifo":   func(dir string) error { return syscall.Mkfifo(filepath.Join(dir, "p"), 0o644) },
		"setuid": func(dir string) error { return os.WriteFile(filepath.Join(dir, "su"), nil, 0o755|fs.ModeSetuid) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := tempDir(t)
			if err := mk(dir); err != nil {
				t.Fatal(err)
			}
			if name == "setuid" {
				os.Chmod(filepath.Join(dir, "su"), 0o755|fs.ModeSetuid)
			}
			var b bytes.Buffer
			if _, err := WriteArchive(&b, dir); err == nil {
				t.Error("archived it")
			}
		})
	}
}

// arch builds an archive by hand: lines, with "F path perm content" as a
// file whose line and bytes are filled in.
func arch(lines ...string) string {
	var b strings.Builder
	b.WriteString(magic)
	entries, size := 0, 0
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(l, "F "); ok {
			f := strings.SplitN(rest, " ", 3)
			sum := sha256.Sum256([]byte(f[2]))
			fmt.Fprintf(&b, "f %q %s %d %s\n%s", f[0], f[1], len(f[2]), hex.EncodeToString(sum[:]), f[2])
			entries, size = entries+1, size+len(f[2])
			continue
		}
		b.WriteString(l + "\n")
		if !strings.HasPrefix(l, "end") {
			entries++
		}
	}
	if !strings.Contains(b.String(), "\nend ") {
		fmt.Fprintf(&b, "end %d %d\n", entries, size)
	}
	return b.String()
}

func TestExtractRefuses(t *testing.T) {
	root := `d "." 755`
	sha := strings.Repeat("0", 64)
	tests := []struct {
		name, archive, want string
		lim                 Limits
	}{
		{"magic", "tar\n", "bad magic", wide},
		{"empty", magic, "ends early", wide},
		{"no root", arch(`d "a" 755`), "first entry must be the root", wide},
		{"root twice", arch(root, root), "below the root", wide},
		{"absolute", arch(root, `d "/etc" 755`), "relative", wide},
		{"dotdot", arch(root, `d "a/../b" 755`), `".."`, wide},
		{"empty component", arch(root, `d "a//b" 755`), "empty", wide},
		{"order", arch(root, `d "b" 755`, `d "a" 755`), "out of order", wide},
		{"duplicate", arch(root, `d "a" 755`, `d "a" 755`), "out of order", wide},
		{"parent missing", arch(root, `d "a/b" 755`), "parent a is not a directory", wide},
		{"parent is a file", arch(root, "F a 644 x", "F a/b 644 y"), "parent a is not a directory", wide},
		{"parent is a symlink", arch(root, `l "a" "/etc"`, "F a/passwd 644 x"), "parent a is not a directory", wide},
		{"symlink climbs out", arch(root, `d "a" 755`, `l "a/l" "../../x"`), "leaves the entry", wide},
		{"absolute symlink climbs", arch(root, `l "l" "/ix/store/../../etc"`), "leaves the entry", wide},
		{"empty symlink", arch(root, `l "l" ""`), "empty", wide},
		{"hard link to nothing", arch(root, `h "b" "a"`), "no file made earlier", wide},
		{"hard link to a dir", arch(root, `d "a" 755`, `h "b" "a"`), "no file made earlier", wide},
		{"hard link out", arch(root, `h "b" "../etc/passwd"`), "no file made earlier", wide},
		{"device", arch(root, `c "null" 1 3`), "refused", wide},
		{"other", arch(root, `o "p" p---------`), "refused", wide},
		{"bad sha256", arch(root, fmt.Sprintf("f %q 644 1 %s\nx", "a", sha)), "content has sha256", wide},
		{"truncated content", magic + root + "\n" + fmt.Sprintf("f %q 644 10 %s\nabc", "a", sha), "truncated", wide},
		{"no trailer", magic + root + "\n", "ends early", wide},
		{"trailer lies", arch(root, "F a 644 x", "end 2 5"), "trailer", wide},
		{"bytes after", arch(root) + "x", "after the trailer", wide},
		{"perm zero-padded", arch(root, `d "a" 0755`), "canonical", wide},
		{"perm setuid", arch(root, `d "a" 4755`), "permission bits", wide},
		{"size over the signed size", arch(root, "F a 644 xxxx"), "more than the 3 signed", Limits{MaxSize: 3, MaxArchive: 1 << 20}},
		{"archive over the signed size", arch(root, "F a 644 xxxx"), "longer than the size signed", Limits{MaxSize: 100, MaxArchive: 40}},
		{"long line", arch(root, `d "`+strings.Repeat("a", maxLine)+`" 755`), "too long", wide},
		{"unquoted", arch(root, `d a 755`), "quoted", wide},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := tempDir(t)
			dest := filepath.Join(parent, "dest")
			os.Mkdir(dest, 0o755)
			_, err := Extract(strings.NewReader(tc.archive), dest, tc.lim)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
			onlyDest(t, parent)
		})
	}
}

// onlyDest fails when anything appeared beside dest, or any symlink
// inside it was followed out.
func onlyDest(t testing.TB, parent string) {
	ents, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Name() != "dest" {
		t.Fatalf("something was written beside dest: %v", ents)
	}
}
