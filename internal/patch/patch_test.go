package patch

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/srctree"
)

// writeTree writes files (name -> content; a "->" prefix makes a symlink)
// under a fresh directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if target, ok := strings.CutPrefix(body, "->"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		mode := os.FileMode(0o644)
		if strings.HasPrefix(body, "#!") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func numbered(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		b.WriteString("line " + strconv.Itoa(i) + "\n")
	}
	return b.String()
}

// diffTrees makes a patch from a to b with the host's diff -ruN, as a
// person would, naming the trees a/ and b/.
func diffTrees(t *testing.T, a, b map[string]string) []byte {
	t.Helper()
	if _, err := exec.LookPath("diff"); err != nil {
		t.Skip("needs diff: apt-get install diffutils")
	}
	top := t.TempDir()
	for name, files := range map[string]map[string]string{"a": a, "b": b} {
		src := writeTree(t, files)
		if err := os.Rename(src, filepath.Join(top, name)); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("diff", "-ruN", "a", "b")
	cmd.Dir = top
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("diff: %v", err)
	}
	return out
}

func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h, err := srctree.Hash(dir)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// gnuPatch applies data with the host's GNU patch, the oracle.
func gnuPatch(t *testing.T, dir string, data []byte) {
	t.Helper()
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("needs GNU patch: apt-get install patch")
	}
	cmd := exec.Command("patch", "-p1", "--batch", "--quiet", "--no-backup-if-mismatch")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(string(data))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GNU patch: %v\n%s", err, out)
	}
}

// TestApplyLikeGNUPatch: diffs made by diff -ruN apply to the tree they
// came from, and to one whose lines moved, giving what GNU patch gives.
func TestApplyLikeGNUPatch(t *testing.T) {
	before := map[string]string{
		"src/main.c": numbered(1, 40),
		"old.txt":    "to be removed\n",
		"noeol.txt":  "one\ntwo",
		"configure":  "#!/bin/sh\necho 1\n",
	}
	after := map[string]string{
		"src/main.c": strings.Replace(strings.Replace(numbered(1, 40), "line 5\n", "line five\n", 1), "line 33\n", "line 33\nadded\n", 1),
		"new/file.h": "#define X 1\n",
		"noeol.txt":  "one\nTWO",
		"configure":  "#!/bin/sh\necho 2\n",
	}
	data := diffTrees(t, before, after)
	moved := map[string]string{}
	for k, v := range before {
		moved[k] = v
	}
	moved["src/main.c"] = "header 1\nheader 2\nheader 3\n" + numbered(1, 40)
	for name, files := range map[string]map[string]string{"exact": before, "offset": moved} {
		t.Run(name, func(t *testing.T) {
			ours, gnu := writeTree(t, files), writeTree(t, files)
			p, err := Parse("test.patch", data)
			if err != nil {
				t.Fatal(err)
			}
			notes, err := p.Apply(ours)
			if err != nil {
				t.Fatal(err)
			}
			if (name == "offset") != (len(notes) > 0) || name == "offset" && !strings.Contains(notes[0], "offset +3 lines") {
				t.Errorf("notes %q", notes)
			}
			gnuPatch(t, gnu, data)
			if a, b := treeHash(t, ours), treeHash(t, gnu); a != b {
				t.Errorf("trees differ from GNU patch's")
			}
		})
	}
}

// TestApplyGitFeatures: what only git diffs hold (renames, modes, binary
// data) against git apply, the oracle for those.
func TestApplyGitFeatures(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git: apt-get install git")
	}
	repo := writeTree(t, map[string]string{
		"a.txt":     numbered(1, 10),
		"run.sh":    "echo run\n",
		"blob.bin":  "\x00\x01\x02binary",
		"gone.txt":  "bye\n",
		"stays.txt": "same\n",
	})
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "base")
	base := writeTree(t, nil)
	for _, args := range [][]string{{"checkout-index", "-a", "--prefix=" + base + "/"}} {
		git(args...)
	}
	git("mv", "a.txt", "b.txt")
	os.WriteFile(filepath.Join(repo, "b.txt"), []byte(strings.Replace(numbered(1, 10), "line 2\n", "line two\n", 1)), 0o644)
	os.Chmod(filepath.Join(repo, "run.sh"), 0o755)
	os.WriteFile(filepath.Join(repo, "blob.bin"), []byte("\x00\x01\x03binary!"), 0o644)
	os.Remove(filepath.Join(repo, "gone.txt"))
	git("add", "-A")
	data := []byte(git("diff", "--cached", "--binary", "-M"))

	ours := t.TempDir()
	os.CopyFS(ours, os.DirFS(base))
	p, err := Parse("git.patch", data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(ours); err != nil {
		t.Fatal(err)
	}
	theirs := t.TempDir()
	os.CopyFS(theirs, os.DirFS(base))
	cmd := exec.Command("git", "apply", "--binary", "-")
	cmd.Dir, cmd.Stdin = theirs, strings.NewReader(string(data))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	if a, b := treeHash(t, ours), treeHash(t, theirs); a != b {
		t.Errorf("trees differ from git apply's")
	}
	if fi, err := os.Stat(filepath.Join(ours, "run.sh")); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("run.sh not made executable: %v", err)
	}
}

// TestHunkError names the patch line, the file, the hunk and the source
// line that differs.
func TestHunkError(t *testing.T) {
	before := map[string]string{"src/main.c": numbered(1, 40)}
	after := map[string]string{"src/main.c": strings.Replace(strings.Replace(numbered(1, 40), "line 5\n", "line five\n", 1), "line 30\n", "line thirty\n", 1)}
	data := diffTrees(t, before, after)
	// The source has another line 31, so the second hunk fits nowhere.
	dir := writeTree(t, map[string]string{"src/main.c": strings.Replace(numbered(1, 40), "line 31\n", "line 31 changed upstream\n", 1)})
	p, err := Parse("fix-main.patch", data)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Apply(dir)
	if !IsHunkError(err) {
		t.Fatalf("want a HunkError, got %v", err)
	}
	hdr := strings.Split(string(data), "\n")
	line := 0
	for i, l := range hdr {
		if strings.HasPrefix(l, "@@ -27") {
			line = i + 1
		}
	}
	for _, want := range []string{
		"fix-main.patch:", "hunk 2 of src/main.c", "fix-main.patch:" + strconv.Itoa(line) + ",", "@@ -27,7 +27,7 @@",
		`line 31 of src/main.c is "line 31 changed upstream", the hunk expects "line 31"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestRefused: names out of the tree, files missing, a patch that is no
// diff.
func TestRefused(t *testing.T) {
	cases := []struct {
		name, patch, err string
	}{
		{"dotdot", "--- a/../x\n+++ b/../x\n@@ -1 +1 @@\n-a\n+b\n", "leaves the source tree"},
		{"missing", "--- a/nothere.c\n+++ b/nothere.c\n@@ -1 +1 @@\n-a\n+b\n", "nothere.c: not in the source"},
		{"through a link out", "--- a/out/x\n+++ b/out/x\n@@ -1 +1 @@\n-a\n+b\n", "out/x"},
		{"creates what exists", "--- /dev/null\n+++ b/file.c\n@@ -0,0 +1 @@\n+b\n", "the source has it already"},
	}
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "x"), []byte("a\n"), 0o644)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"file.c": "a\n", "out": "->" + outside})
			p, err := Parse("p.patch", []byte(c.patch))
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Apply(dir)
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.HasPrefix(err.Error(), "p.patch: ") {
				t.Errorf("error %v, want %q", err, c.err)
			}
			if b, _ := os.ReadFile(filepath.Join(outside, "x")); string(b) != "a\n" {
				t.Error("a file outside the tree was changed")
			}
		})
	}
	for _, bad := range []string{"", "just words\n", "--- a/x\n+++ b/x\n@@ -1,2 +1 @@\n-a\n"} {
		if _, err := Parse("bad.patch", []byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "bad.patch") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestShippedPatches applies the recipes' own patches to their real
// sources, from the source cache, and wants GNU patch's result.
func TestShippedPatches(t *testing.T) {
	cache := os.Getenv("STALIX_SOURCES")
	if cache == "" {
		home, _ := os.UserCacheDir()
		cache = filepath.Join(home, "stalix", "sources")
	}
	for _, c := range []struct{ patch, sha string }{
		{"../../recipes/tools/busybox-tools/bc-quote.patch", "faeeb244c35a348a334f4a59e44626ee870fb07b6884d68c10ae8bc19f83a694"},
		{"../../recipes/core/e2fsprogs/manifest.patch", "6667afde56eef0c6af26684974400e4d2288ea49e9441bf5e6229195d51a3578"},
	} {
		t.Run(filepath.Base(c.patch), func(t *testing.T) {
			tarball := filepath.Join(cache, c.sha)
			if _, err := os.Stat(tarball); err != nil {
				t.Skip("source not in the cache: run stalix-build fetch first")
			}
			data, err := os.ReadFile(c.patch)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(filepath.Base(c.patch), data)
			if err != nil {
				t.Fatal(err)
			}
			// Only the files the patch touches: the trees are large.
			var members []string
			for _, f := range p.Files() {
				members = append(members, "*/"+f)
			}
			ours, gnu := t.TempDir(), t.TempDir()
			for _, d := range []string{ours, gnu} {
				args := append([]string{"xf", tarball, "-C", d, "--strip-components=1", "--wildcards"}, members...)
				if out, err := exec.Command("tar", args...).CombinedOutput(); err != nil {
					t.Fatalf("tar: %v %s", err, out)
				}
			}
			if notes, err := p.Apply(ours); err != nil || len(notes) > 0 {
				t.Fatalf("%v %v", notes, err)
			}
			gnuPatch(t, gnu, data)
			if treeHash(t, ours) != treeHash(t, gnu) {
				t.Error("differs from GNU patch's result")
			}
		})
	}
}
