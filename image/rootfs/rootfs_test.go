package rootfs

import (
	"bytes"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"stalix.dev/stalix-build/image/internal/fixture"
	"stalix.dev/stalix-build/image/tree"
)

func need(t *testing.T, tool, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("needs %s (apt-get install %s)", tool, pkg)
	}
}

func write(t *testing.T, tr *tree.Tree, kind string) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTar(&b, tr, kind); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "rootfs.tar"+map[string]string{"zstd": ".zst", "gzip": ".gz"}[kind])
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, dir, name string, args ...string) string {
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
	for _, kind := range []string{"none", "zstd"} {
		a, _ := os.ReadFile(write(t, fixture.Small(t), kind))
		b, _ := os.ReadFile(write(t, fixture.Small(t), kind))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: two writes differ: %x vs %x", kind, sha256.Sum256(a), sha256.Sum256(b))
		}
	}
}

func TestListingWithBsdtar(t *testing.T) {
	need(t, "bsdtar", "libarchive-tools")
	tr := fixture.Small(t)
	out := run(t, "", "bsdtar", "-tf", write(t, tr, "zstd"))
	got := strings.Split(strings.TrimSpace(out), "\n")
	var want []string
	for _, e := range tr.Entries() {
		n := e.Name()
		if e.Type == tree.Dir {
			n += "/"
		}
		want = append(want, n)
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bsdtar lists:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	verbose := run(t, "", "bsdtar", "-tvf", write(t, tr, "zstd"))
	if !strings.Contains(verbose, "254,0") || !strings.Contains(verbose, "bin/ls link to bin/busybox") {
		t.Errorf("device numbers or hard links missing from the listing:\n%s", verbose)
	}
}

func TestZstdIntegrity(t *testing.T) {
	need(t, "zstd", "zstd")
	run(t, "", "zstd", "-tq", write(t, fixture.Small(t), "zstd"))
}

func TestExtract(t *testing.T) {
	tr := fixture.Small(t)
	t.Run("bsdtar", func(t *testing.T) {
		need(t, "bsdtar", "libarchive-tools")
		dir := t.TempDir()
		run(t, dir, "bsdtar", "-xpf", write(t, tr, "zstd"))
		fixture.CompareDir(t, tr, dir)
	})
	t.Run("gnu tar", func(t *testing.T) {
		need(t, "tar", "tar")
		need(t, "zstd", "zstd")
		dir := t.TempDir()
		run(t, dir, "tar", "--zstd", "--numeric-owner", "-xpf", write(t, tr, "zstd"))
		fixture.CompareDir(t, tr, dir)
	})
}
