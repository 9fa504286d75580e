package unpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

func TestTarRefusesHostileEntries(t *testing.T) {
	tests := []struct {
		name string
		// pre runs before unpacking with the destination and a directory
		// beside it that nothing may touch.
		pre     func(t *testing.T, dest, outside string)
		members []member
		strip   int
		entry   string
		want    string
	}{
		{name: "dotdot", members: []member{{Name: "../evil", Type: tar.TypeReg, Body: "x"}},
			entry: "../evil", want: `".." component`},
		{name: "dotdot inside path", members: []member{{Name: "a/../../evil", Type: tar.TypeReg, Body: "x"}},
			entry: "a/../../evil", want: `".." component`},
		{name: "dotdot in stripped part", strip: 1, members: []member{{Name: "../evil", Type: tar.TypeReg, Body: "x"}},
			entry: "../evil", want: `".." component`},
		{name: "absolute", members: []member{{Name: "/tmp/evil", Type: tar.TypeReg, Body: "x"}},
			entry: "/tmp/evil", want: "absolute path"},
		{name: "absolute symlink", members: []member{{Name: "l", Type: tar.TypeSymlink, Body: "/etc"}},
			entry: "l", want: "absolute symlink target"},
		{name: "relative symlink out", members: []member{
			{Name: "a/", Type: tar.TypeDir, Mode: 0o755},
			{Name: "a/l", Type: tar.TypeSymlink, Body: "../../outside"}},
			entry: "a/l", want: "climbs above"},
		{name: "symlink chain out", members: []member{
			{Name: "d/", Type: tar.TypeDir, Mode: 0o755},
			{Name: "d/up", Type: tar.TypeSymlink, Body: ".."},
			{Name: "d/up2", Type: tar.TypeSymlink, Body: "up/.."}},
			entry: "d/up2", want: `"up/.." climbs above`},
		{name: "symlink loop", members: []member{
			{Name: "a", Type: tar.TypeSymlink, Body: "b"},
			{Name: "b", Type: tar.TypeSymlink, Body: "a"},
			{Name: "c", Type: tar.TypeSymlink, Body: "a/x"}},
			entry: "c", want: "too many levels"},
		{name: "write through earlier symlink",
			pre: func(t *testing.T, dest, outside string) {
				if err := os.Symlink("../outside", filepath.Join(dest, "esc")); err != nil {
					t.Fatal(err)
				}
			},
			members: []member{{Name: "esc/evil", Type: tar.TypeReg, Body: "x"}},
			entry:   "esc/evil", want: "parent esc is a symlink"},
		{name: "write through absolute symlink",
			pre: func(t *testing.T, dest, outside string) {
				if err := os.Symlink(outside, filepath.Join(dest, "esc")); err != nil {
					t.Fatal(err)
				}
			},
			members: []member{{Name: "esc/sub/evil", Type: tar.TypeReg, Body: "x"}},
			entry:   "esc/sub/evil", want: "parent esc is a symlink"},
		{name: "hard link out", members: []member{{Name: "h", Type: tar.TypeLink, Body: "../outside/secret"}},
			entry: "h", want: "leaves the destination"},
		{name: "hard link absolute", members: []member{{Name: "h", Type: tar.TypeLink, Body: "/etc/passwd"}},
			entry: "h", want: "absolute path"},
		{name: "hard link through symlink",
			pre: func(t *testing.T, dest, outside string) {
				if err := os.Symlink("../outside", filepath.Join(dest, "esc")); err != nil {
					t.Fatal(err)
				}
			},
			members: []member{{Name: "h", Type: tar.TypeLink, Body: "esc/secret"}},
			entry:   "h", want: "leaves the destination"},
		{name: "hard link to missing", members: []member{{Name: "h", Type: tar.TypeLink, Body: "nothere"}},
			entry: "h", want: "must come earlier"},
		{name: "char device", members: []member{{Name: "null", Type: tar.TypeChar}},
			entry: "null", want: "device node"},
		{name: "block device", members: []member{{Name: "sda", Type: tar.TypeBlock}},
			entry: "sda", want: "device node"},
		{name: "fifo", members: []member{{Name: "p", Type: tar.TypeFifo}},
			entry: "p", want: "fifo"},
		{name: "setuid", members: []member{{Name: "su", Type: tar.TypeReg, Mode: 0o4755, Body: "x"}},
			entry: "su", want: "setuid/setgid"},
		{name: "setgid", members: []member{{Name: "sg", Type: tar.TypeReg, Mode: 0o2755, Body: "x"}},
			entry: "sg", want: "setuid/setgid"},
		{name: "file lost to strip", strip: 1, members: []member{{Name: "README", Type: tar.TypeReg, Body: "x"}},
			entry: "README", want: "strip=1"},
		{name: "file over non-empty dir", members: []member{
			{Name: "d/f", Type: tar.TypeReg, Body: "x"},
			{Name: "d", Type: tar.TypeReg, Body: "y"}},
			entry: "d", want: "non-empty directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			dest := filepath.Join(tmp, "dest")
			outside := filepath.Join(tmp, "outside")
			for _, d := range []string{dest, outside} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			writeFile(t, filepath.Join(outside, "secret"), []byte("s"))
			if tc.pre != nil {
				tc.pre(t, dest, outside)
			}
			archive := writeFile(t, filepath.Join(tmp, "hostile.tar"), tarBytes(t, tc.members))
			err := Tar(archive, dest, tc.strip)
			if err == nil {
				t.Fatalf("Tar accepted a hostile archive; dest holds:\n%s", tree(t, dest))
			}
			var ee *EntryError
			if !errors.As(err, &ee) || ee.Entry != tc.entry || ee.Archive != archive {
				t.Fatalf("error %q (%T) does not name archive %s and entry %q", err, err, archive, tc.entry)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "hostile.tar") {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if got := tree(t, outside); got != `secret -rw-r--r-- "s"` {
				t.Errorf("outside changed:\n%s", got)
			}
			if _, err := os.Lstat(filepath.Join(tmp, "evil")); err == nil {
				t.Errorf("evil written beside dest")
			}
		})
	}
}

// A symlink that stays inside, a write through it, a hard link and a file
// replacing an earlier one are all fine.
func TestTarAcceptsInsideLinks(t *testing.T) {
	tmp := t.TempDir()
	archive := writeFile(t, filepath.Join(tmp, "ok.tar"), tarBytes(t, []member{
		{Name: "p-1/", Type: tar.TypeDir, Mode: 0o755},
		{Name: "p-1/src/", Type: tar.TypeDir, Mode: 0o2755},
		{Name: "p-1/src/a.c", Type: tar.TypeReg, Mode: 0o644, Body: "int a;"},
		{Name: "p-1/configure", Type: tar.TypeReg, Mode: 0o755, Body: "#!/bin/sh"},
		{Name: "p-1/lnk", Type: tar.TypeSymlink, Body: "src"},
		{Name: "p-1/lnk/b.c", Type: tar.TypeReg, Mode: 0o600, Body: "int b;"},
		{Name: "p-1/up", Type: tar.TypeSymlink, Body: "src/../configure"},
		{Name: "p-1/hard", Type: tar.TypeLink, Body: "p-1/src/a.c"},
		{Name: "p-1/src/a.c", Type: tar.TypeReg, Mode: 0o444, Body: "int a2;"},
		{Name: "p-1/deep/er/f", Type: tar.TypeReg, Body: "implicit dirs"},
	}))
	dest := filepath.Join(tmp, "dest")
	if err := Tar(archive, dest, 1); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`configure -rwxr-xr-x "#!/bin/sh"`,
		`deep dir`,
		`deep/er dir`,
		`deep/er/f -rw-r--r-- "implicit dirs"`,
		`hard -rw-r--r-- "int a;"`,
		`lnk link -> src`,
		`src dir`,
		`src/a.c -r--r--r-- "int a2;"`,
		`src/b.c -rw------- "int b;"`,
		`up link -> src/../configure`,
	}, "\n")
	if got := tree(t, dest); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	fi, err := os.Stat(filepath.Join(dest, "src"))
	if err != nil || fi.Mode()&os.ModeSetgid != 0 {
		t.Errorf("directory setgid bit should be dropped: %v %v", fi.Mode(), err)
	}
}

func TestTarStrip(t *testing.T) {
	ms := []member{
		{Name: "a/", Type: tar.TypeDir, Mode: 0o755},
		{Name: "a/b/", Type: tar.TypeDir, Mode: 0o755},
		{Name: "a/b/c", Type: tar.TypeReg, Body: "c"},
		{Name: "./a/b/d/e", Type: tar.TypeReg, Body: "e"},
	}
	tests := []struct {
		strip int
		want  string
	}{
		{0, "a dir\na/b dir\na/b/c -rw-r--r-- \"c\"\na/b/d dir\na/b/d/e -rw-r--r-- \"e\""},
		{1, "b dir\nb/c -rw-r--r-- \"c\"\nb/d dir\nb/d/e -rw-r--r-- \"e\""},
		{2, "c -rw-r--r-- \"c\"\nd dir\nd/e -rw-r--r-- \"e\""},
	}
	for _, tc := range tests {
		tmp := t.TempDir()
		archive := writeFile(t, filepath.Join(tmp, "s.tar"), tarBytes(t, ms))
		dest := filepath.Join(tmp, "dest")
		if err := Tar(archive, dest, tc.strip); err != nil {
			t.Fatalf("strip %d: %v", tc.strip, err)
		}
		if got := tree(t, dest); got != tc.want {
			t.Errorf("strip %d: got\n%s\nwant\n%s", tc.strip, got, tc.want)
		}
	}
}

func TestTarCompressions(t *testing.T) {
	raw := tarBytes(t, []member{
		{Name: "x-1/", Type: tar.TypeDir, Mode: 0o755},
		{Name: "x-1/f", Type: tar.TypeReg, Body: strings.Repeat("compress me ", 1000)},
	})
	tests := []struct {
		name string
		want Compression
		pack func(t *testing.T, raw []byte) []byte
	}{
		{"none", None, func(t *testing.T, raw []byte) []byte { return raw }},
		{"gzip", Gzip, func(t *testing.T, raw []byte) []byte {
			var b bytes.Buffer
			w := gzip.NewWriter(&b)
			w.Write(raw)
			w.Close()
			return b.Bytes()
		}},
		{"xz", Xz, func(t *testing.T, raw []byte) []byte {
			var b bytes.Buffer
			w, err := xz.NewWriter(&b)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(raw)
			w.Close()
			return b.Bytes()
		}},
		{"zstd", Zstd, func(t *testing.T, raw []byte) []byte {
			w, err := zstd.NewWriter(nil)
			if err != nil {
				t.Fatal(err)
			}
			return w.EncodeAll(raw, nil)
		}},
		{"bzip2", Bzip2, func(t *testing.T, raw []byte) []byte {
			// Go has no bzip2 writer; the reference tool makes one.
			if _, err := exec.LookPath("bzip2"); err != nil {
				t.Skip("needs bzip2 (apt-get install bzip2)")
			}
			cmd := exec.Command("bzip2", "-c")
			cmd.Stdin = bytes.NewReader(raw)
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			return out
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			data := tc.pack(t, raw)
			if got, _, _ := decompress(bytes.NewReader(data)); got == nil {
				t.Fatal("no reader")
			}
			if _, c, _ := decompress(bytes.NewReader(data)); c != tc.want {
				t.Errorf("detected %s, want %s", c, tc.want)
			}
			archive := writeFile(t, filepath.Join(tmp, "archive"), data)
			dest := filepath.Join(tmp, "dest")
			if err := Tar(archive, dest, 1); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dest, "f"))
			if err != nil || len(b) != 12000 {
				t.Errorf("f: %d bytes, %v", len(b), err)
			}
		})
	}
}

func TestTarTruncated(t *testing.T) {
	tmp := t.TempDir()
	raw := tarBytes(t, []member{{Name: "f", Type: tar.TypeReg, Body: strings.Repeat("x", 5000)}})
	archive := writeFile(t, filepath.Join(tmp, "cut.tar"), raw[:2000])
	err := Tar(archive, filepath.Join(tmp, "dest"), 0)
	if err == nil || !strings.Contains(err.Error(), "cut.tar") {
		t.Fatalf("truncated archive: %v", err)
	}
}

// Oracle: GNU tar packs a tree (with symlinks and hard links) in every
// format it knows; unpacking it with Tar must give what GNU tar gives.
func TestTarMatchesGNUTar(t *testing.T) {
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("needs tar (apt-get install tar)")
	}
	tmp := t.TempDir()
	src := filepath.Join(tmp, "pkg-1.0")
	for _, d := range []string{"src/sub", "doc"} {
		if err := os.MkdirAll(filepath.Join(src, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(src, "src/main.c"), []byte("int main(){return 0;}\n"))
	writeFile(t, filepath.Join(src, "doc/README"), bytes.Repeat([]byte("read me\n"), 500))
	if err := os.WriteFile(filepath.Join(src, "configure"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(src, "src/main.c"), filepath.Join(src, "src/sub/copy.c")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../doc/README", filepath.Join(src, "src/README")); err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"", "z", "J", "j", "--zstd"} {
		tool := map[string]string{"z": "gzip", "J": "xz", "j": "bzip2", "--zstd": "zstd"}[flag]
		if tool != "" {
			if _, err := exec.LookPath(tool); err != nil {
				t.Logf("skipping %s: needs %s", flag, tool)
				continue
			}
		}
		archive := filepath.Join(tmp, "a"+strings.TrimLeft(flag, "-")+".tar")
		args := []string{"-c", "-f", archive, "-C", tmp, "pkg-1.0"}
		if flag == "--zstd" {
			args = append([]string{flag}, args...)
		} else if flag != "" {
			args[0] = "-c" + flag
		}
		if out, err := exec.Command("tar", args...).CombinedOutput(); err != nil {
			t.Fatalf("tar %v: %v\n%s", args, err, out)
		}
		ours := filepath.Join(tmp, "ours"+flag)
		theirs := filepath.Join(tmp, "theirs"+flag)
		if err := Tar(archive, ours, 1); err != nil {
			t.Fatal(err)
		}
		os.Mkdir(theirs, 0o755)
		if out, err := exec.Command("tar", "-x", "-f", archive, "-C", theirs, "--strip-components=1").CombinedOutput(); err != nil {
			t.Fatalf("tar -x: %v\n%s", err, out)
		}
		if a, b := tree(t, ours), tree(t, theirs); a != b {
			t.Errorf("%s: ours\n%s\nGNU tar\n%s", archive, a, b)
		}
	}
}

// A sparse member is refused: its holes would be written out as zeros.
// Go cannot write one, so GNU tar makes both kinds (old GNU and PAX).
func TestTarRefusesSparse(t *testing.T) {
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("needs tar (apt-get install tar)")
	}
	tmp := t.TempDir()
	f, err := os.Create(filepath.Join(tmp, "holes"))
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("end"), 1<<30)
	f.Close()
	for _, format := range []string{"gnu", "pax"} {
		archive := filepath.Join(tmp, format+".tar")
		if out, err := exec.Command("tar", "--sparse", "--format="+format, "-cf", archive, "-C", tmp, "holes").CombinedOutput(); err != nil {
			t.Fatalf("tar: %v\n%s", err, out)
		}
		err := Tar(archive, filepath.Join(tmp, "dest-"+format), 0)
		var ee *EntryError
		if !errors.As(err, &ee) || !strings.Contains(err.Error(), "sparse file refused") {
			t.Errorf("%s: got %v, want a sparse refusal", format, err)
		}
	}
}

func TestTarOnly(t *testing.T) {
	dir := t.TempDir()
	archive := filepath.Join(dir, "a.tar")
	writeTestTar(t, archive, []tar.Header{
		{Name: "top/keep/a", Typeflag: tar.TypeReg, Mode: 0o644},
		{Name: "top/keep/sub/b", Typeflag: tar.TypeReg, Mode: 0o644},
		{Name: "top/keeper", Typeflag: tar.TypeReg, Mode: 0o644},
		{Name: "top/drop/c", Typeflag: tar.TypeReg, Mode: 0o644},
	})
	dest := filepath.Join(dir, "out")
	if err := TarOnly(archive, dest, 1, []string{"keep"}); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{"keep/a": true, "keep/sub/b": true, "keeper": false, "drop/c": false} {
		_, err := os.Stat(filepath.Join(dest, p))
		if (err == nil) != want {
			t.Errorf("%s: present=%v, want %v", p, err == nil, want)
		}
	}
}

func writeTestTar(t *testing.T, path string, hdrs []tar.Header) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(f)
	for _, h := range hdrs {
		h := h
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}
