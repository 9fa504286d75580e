package unpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// arBytes writes a common-format ar archive the way dpkg-deb does.
func arBytes(members ...[2]string) []byte {
	var b bytes.Buffer
	b.WriteString(arMagic)
	for _, m := range members {
		fmt.Fprintf(&b, "%-16s%-12d%-6d%-6d%-8o%-10d`\n", m[0], 0, 0, 0, 0o644, len(m[1]))
		b.WriteString(m[1])
		if len(m[1])%2 == 1 {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func debBytes(t testing.TB, ms []member) []byte {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(tarBytes(t, ms))
	w.Close()
	return arBytes([2]string{"debian-binary", "2.0\n"},
		[2]string{"control.tar.gz", "ignored"},
		[2]string{"data.tar.gz", z.String()})
}

func TestDebAllowsAbsoluteSymlinksButNotWritesThroughThem(t *testing.T) {
	tmp := t.TempDir()
	deb := writeFile(t, filepath.Join(tmp, "ok.deb"), debBytes(t, []member{
		{Name: "./", Type: tar.TypeDir, Mode: 0o755},
		{Name: "./usr/bin/", Type: tar.TypeDir, Mode: 0o755},
		{Name: "./usr/bin/gawk", Type: tar.TypeReg, Mode: 0o755, Body: "ELF"},
		{Name: "./usr/bin/awk", Type: tar.TypeSymlink, Body: "/etc/alternatives/awk"},
		{Name: "./lib64", Type: tar.TypeSymlink, Body: "/lib/x86_64-linux-gnu"},
	}))
	dest := filepath.Join(tmp, "dest")
	if err := Deb(deb, dest); err != nil {
		t.Fatal(err)
	}
	want := "lib64 link -> /lib/x86_64-linux-gnu\nusr dir\nusr/bin dir\nusr/bin/awk link -> /etc/alternatives/awk\nusr/bin/gawk -rwxr-xr-x \"ELF\""
	if got := tree(t, dest); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	tests := []struct {
		name  string
		ms    []member
		entry string
		want  string
	}{
		{"write through absolute link", []member{
			{Name: "./etc", Type: tar.TypeSymlink, Body: "/"},
			{Name: "./etc/tmp/evil", Type: tar.TypeReg, Body: "x"}}, "./etc/tmp/evil", "parent etc is a symlink"},
		{"dotdot", []member{{Name: "./../evil", Type: tar.TypeReg, Body: "x"}}, "./../evil", `".." component`},
		{"setuid", []member{{Name: "./usr/bin/mount", Type: tar.TypeReg, Mode: 0o4755, Body: "x"}}, "./usr/bin/mount", "setuid"},
		{"device", []member{{Name: "./dev/null", Type: tar.TypeChar}}, "./dev/null", "device node"},
		{"hard link out", []member{{Name: "./h", Type: tar.TypeLink, Body: "../etc/passwd"}}, "./h", `".." component`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			deb := writeFile(t, filepath.Join(tmp, "bad.deb"), debBytes(t, tc.ms))
			err := Deb(deb, filepath.Join(tmp, "dest"))
			var ee *EntryError
			if !errors.As(err, &ee) || ee.Entry != tc.entry || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bad.deb") {
				t.Fatalf("got %v, want an error naming bad.deb, %q and %q", err, tc.entry, tc.want)
			}
			if _, err := os.Lstat(filepath.Join(tmp, "evil")); err == nil {
				t.Error("evil written outside")
			}
		})
	}
}

func TestDebRefusesNonDebs(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "not an ar archive"},
		{"tar", "ustar", "not an ar archive"},
		{"no data", string(arBytes([2]string{"debian-binary", "2.0\n"})), "no data.tar member"},
		{"wrong first", string(arBytes([2]string{"data.tar", ""})), "not debian-binary"},
		{"format 3", string(arBytes([2]string{"debian-binary", "3.0\n"})), "want 2.x"},
		{"truncated", string(arBytes([2]string{"debian-binary", "2.0\n"}))[:30], "truncated header"},
	}
	for _, tc := range tests {
		tmp := t.TempDir()
		p := writeFile(t, filepath.Join(tmp, "x.deb"), []byte(tc.data))
		err := Deb(p, filepath.Join(tmp, "dest"))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "x.deb") {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// Oracle: a real package from the host's apt, unpacked by Deb and by
// dpkg-deb -x, gives the same tree.
func TestDebMatchesDpkgDeb(t *testing.T) {
	for _, tool := range []string{"apt-get", "dpkg-deb"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (a Debian host)", tool)
		}
	}
	tmp := t.TempDir()
	// dash: small, and it holds symlinks, a man page and an executable.
	cmd := exec.Command("apt-get", "download", "dash")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt-get download dash: %v\n%s", err, out)
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, "dash_*.deb"))
	if len(debs) != 1 {
		t.Fatalf("downloaded %v", debs)
	}
	ours, theirs := filepath.Join(tmp, "ours"), filepath.Join(tmp, "theirs")
	if err := Deb(debs[0], ours); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("dpkg-deb", "-x", debs[0], theirs).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -x: %v\n%s", err, out)
	}
	a, b := tree(t, ours), tree(t, theirs)
	if a != b {
		t.Errorf("ours\n%s\ndpkg-deb\n%s", a, b)
	}
	if !strings.Contains(a, "dash -rwxr-xr-x") {
		t.Errorf("no dash executable in\n%s", a)
	}
}

func TestArReader(t *testing.T) {
	data := arBytes([2]string{"debian-binary", "2.0\n"}, [2]string{"odd", "abc"}, [2]string{"gnu/", "x"})
	// A BSD long name: the 20-byte name is counted in the member size.
	data = append(data, []byte(fmt.Sprintf("%-16s%-12d%-6d%-6d%-8o%-10d`\n", "#1/20", 0, 0, 0, 0o644, 20+2))...)
	data = append(data, []byte("a-very-long-name.bin"+"hi")...)
	ar, err := newArReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		h, err := ar.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(ar)
		got = append(got, fmt.Sprintf("%s=%q", h.Name, b))
	}
	want := `debian-binary="2.0\n" odd="abc" gnu="x" a-very-long-name.bin="hi"`
	if s := strings.Join(got, " "); s != want {
		t.Errorf("got %s\nwant %s", s, want)
	}
}
