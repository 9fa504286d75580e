package initramfs

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"stalix.dev/stalix-build/image/internal/fixture"
	"stalix.dev/stalix-build/image/tree"
)

var update = flag.Bool("update", false, "rewrite the golden hashes under testdata/")

func need(t *testing.T, tool, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("needs %s (apt-get install %s)", tool, pkg)
	}
}

func write(t *testing.T, tr *tree.Tree, kind string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteInitramfs(&b, tr, kind); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func save(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestReproducible(t *testing.T) {
	for _, kind := range []string{"none", "zstd", "gzip"} {
		t.Run(kind, func(t *testing.T) {
			a, b := write(t, fixture.Small(t), kind), write(t, fixture.Small(t), kind)
			if !bytes.Equal(a, b) {
				t.Fatalf("two writes differ: sha256 %x vs %x", sha256.Sum256(a), sha256.Sum256(b))
			}
		})
	}
}

func TestGolden(t *testing.T) {
	got := fmt.Sprintf("%x  small.cpio\n", sha256.Sum256(write(t, fixture.Small(t), "none")))
	golden := filepath.Join("testdata", "small.cpio.sha256")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("sha256 of the fixture's cpio = %s, golden %s; if the change is intended run go test ./image/initramfs -update", got, want)
	}
}

// The names the archive should list: the tree plus /dev/console.
func wantNames(tr *tree.Tree) []string {
	var n []string
	for _, e := range withConsole(tr) {
		n = append(n, e.Name())
	}
	sort.Strings(n)
	return n
}

var consoleLine = regexp.MustCompile(`(?m)^c[rw-]{9}\s+1\s+\S+\s+\S+\s+5,\s*1\s.*dev/console$`)

func TestListing(t *testing.T) {
	tr := fixture.Small(t)
	tests := []struct {
		tool, pkg, kind string
		args            []string
	}{
		{"cpio", "cpio", "none", []string{"-itv", "--quiet", "-F"}},
		{"bsdtar", "libarchive-tools", "zstd", []string{"-tvf"}},
		{"bsdtar", "libarchive-tools", "gzip", []string{"-tvf"}},
	}
	for _, tt := range tests {
		t.Run(tt.tool+"/"+tt.kind, func(t *testing.T) {
			need(t, tt.tool, tt.pkg)
			f := save(t, "initramfs", write(t, tr, tt.kind))
			out := run(t, "", tt.tool, append(tt.args, f)...)
			var names []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				fs := strings.Fields(l)
				name := fs[len(fs)-1]
				if i := strings.Index(l, " -> "); i >= 0 { // symlink
					name = strings.Fields(l[:i])[len(strings.Fields(l[:i]))-1]
				}
				if i := strings.Index(l, " link to "); i >= 0 { // bsdtar's hard link form
					name = strings.Fields(l[:i])[len(strings.Fields(l[:i]))-1]
				}
				names = append(names, name)
			}
			sort.Strings(names)
			if got, want := strings.Join(names, "\n"), strings.Join(wantNames(tr), "\n"); got != want {
				t.Errorf("%s lists:\n%s\nwant:\n%s", tt.tool, got, want)
			}
			if !consoleLine.MatchString(out) {
				t.Errorf("no char device 5,1 dev/console in the listing:\n%s", out)
			}
		})
	}
}

func TestZstdIntegrity(t *testing.T) {
	need(t, "zstd", "zstd")
	run(t, "", "zstd", "-tq", save(t, "initramfs.zst", write(t, fixture.Small(t), "zstd")))
}

// Extracting with the reference tools must give back the tree: owners and device nodes need
// root, which the extraction keeps only then.
func TestExtract(t *testing.T) {
	tr := fixture.Small(t)
	console := []tree.Entry{Console}
	t.Run("cpio", func(t *testing.T) {
		need(t, "cpio", "cpio")
		f := save(t, "initramfs.cpio", write(t, tr, "none"))
		dir := t.TempDir()
		run(t, dir, "sh", "-c", "cpio -idm --quiet --no-absolute-filenames < "+f)
		fixture.CompareDir(t, tr, dir, console...)
	})
	t.Run("bsdtar", func(t *testing.T) {
		need(t, "bsdtar", "libarchive-tools")
		f := save(t, "initramfs.cpio.zst", write(t, tr, "zstd"))
		dir := t.TempDir()
		run(t, dir, "bsdtar", "-xpf", f)
		fixture.CompareDir(t, tr, dir, console...)
	})
}

func TestKeepsTreeConsole(t *testing.T) {
	tr := tree.New(0)
	if err := tr.Add(tree.Entry{Path: "/dev/console", Type: tree.CharDev, Mode: 0o620, Major: 5, Minor: 1}); err != nil {
		t.Fatal(err)
	}
	names := wantNames(tr)
	if strings.Join(names, ",") != "dev,dev/console" {
		t.Errorf("entries = %v, want dev and one dev/console", names)
	}
	if withConsole(tr)[1].Mode != 0o620 {
		t.Error("the tree's own /dev/console was replaced")
	}
}

func TestDevNotADirectory(t *testing.T) {
	tr := tree.New(0)
	if err := tr.Add(tree.Entry{Path: "/dev", Type: tree.Symlink, Target: "run/dev"}); err != nil {
		t.Fatal(err)
	}
	if err := WriteCPIO(&bytes.Buffer{}, tr); err == nil || !strings.Contains(err.Error(), "/dev is a symlink") {
		t.Fatalf("WriteCPIO = %v, want an error about /dev", err)
	}
}
