package cli

import (
	"archive/tar"
	"compress/gzip"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// writeTarball writes files under top/ as a .tar.gz.
func writeTarball(t *testing.T, path, top string, files map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, name := range sortedKeys(files) {
		tw.WriteHeader(&tar.Header{Name: top + name, Mode: 0o664, Size: int64(len(files[name])), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[name]))
	}
	tw.Close()
	zw.Close()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func sortedKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var treeLine = regexp.MustCompile(`(?m)^tree ([0-9a-f]{64})  (\S+)`)

// TestSourcesImport: a directory, a tarball with a top directory, one
// without, and one read from stdin all print the same tree hash; a
// tarball also prints its sha256, and a plain file only that.
func TestSourcesImport(t *testing.T) {
	t.Setenv("STALIX_SOURCES", filepath.Join(t.TempDir(), "cache"))
	files := map[string]string{"README": "hello\n", "src/hello.c": "int main(void) { return 0; }\n"}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "checkout")
	for name, body := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	withTop, flat := filepath.Join(tmp, "hello-1.0.tar.gz"), filepath.Join(tmp, "flat.tar.gz")
	writeTarball(t, withTop, "hello-1.0/", files)
	writeTarball(t, flat, "", files)
	plain := filepath.Join(tmp, "fix.patch")
	os.WriteFile(plain, []byte("--- a/README\n+++ b/README\n"), 0o644)

	stdin, err := os.Open(withTop)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	old := os.Stdin
	os.Stdin = stdin
	defer func() { os.Stdin = old }()

	code, out, errs := run(t, "sources", "import", dir, withTop, flat, plain, "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	trees := treeLine.FindAllStringSubmatch(out, -1)
	if len(trees) != 4 {
		t.Fatalf("want 4 tree lines (dir, two tarballs, stdin), got:\n%s", out)
	}
	for _, m := range trees[1:] {
		if m[1] != trees[0][1] {
			t.Errorf("%s: tree %s, the directory's is %s", m[2], m[1], trees[0][1])
		}
	}
	if !strings.Contains(out, "(its top directory hello-1.0/ is not part of the tree)") {
		t.Errorf("the left-out top directory is not named:\n%s", out)
	}
	if n := strings.Count(out, "sha256 "); n != 4 {
		t.Errorf("want a sha256 line per file (4), got %d:\n%s", n, out)
	}
	if regexp.MustCompile(`tree \S+  ` + regexp.QuoteMeta(plain)).MatchString(out) {
		t.Errorf("a plain file got a tree:\n%s", out)
	}
	// --strip 0 keeps the top directory in the tree.
	_, out, _ = run(t, "sources", "import", "--strip", "0", withTop)
	if m := treeLine.FindStringSubmatch(out); m == nil || m[1] == trees[0][1] {
		t.Errorf("--strip 0 left the top directory out:\n%s", out)
	}
}

// TestFetchWrongTree: a git source whose mirror copy holds another tree is
// refused, naming the recipe and both hashes, and nothing is kept.
func TestFetchWrongTree(t *testing.T) {
	root, _ := filepath.Abs("../plan/testdata/tree")
	cache := filepath.Join(t.TempDir(), "cache")
	t.Setenv("STALIX_SOURCES", cache)
	tmp := t.TempDir()
	other := filepath.Join(tmp, "other.tar.gz")
	writeTarball(t, other, "libz-1.2.13/", map[string]string{"zlib.h": "not the pinned tree\n"})
	_, out, _ := run(t, "sources", "import", other)
	m := treeLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no tree line:\n%s", out)
	}
	got := m[1]
	want := strings.Repeat("0", 64)
	mirror := t.TempDir()
	entries, _ := os.ReadDir(cache)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), got) {
			b, _ := os.ReadFile(filepath.Join(cache, e.Name()))
			os.WriteFile(filepath.Join(mirror, want+".tree.tar.zst"), b, 0o644)
		}
	}
	os.RemoveAll(cache)
	t.Setenv("STALIX_MIRRORS", mirror)
	ov := t.TempDir()
	dir := filepath.Join(ov, "local", "libz")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte("name = \"libz\"\nversion = \"1.2.13\"\nlicense = \"Zlib\"\n[[source]]\ngit = \"https://example.invalid/zlib.git\"\nref = \"v1.2.13\"\ntree = \""+want+"\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "build.sh"), []byte(`{% extends "base.sh" %}`), 0o644)
	code, _, errs := run(t, "fetch", "--root", root, "--store", t.TempDir(), "--recipes", ov, "libz")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{filepath.Join(ov, "local/libz/recipe.toml"), want, got, "tree mismatch"} {
		if !strings.Contains(errs, s) {
			t.Errorf("error lacks %q:\n%s", s, errs)
		}
	}
	if left, _ := os.ReadDir(cache); len(left) != 0 {
		t.Errorf("cache kept %d files after a mismatch", len(left))
	}
}
