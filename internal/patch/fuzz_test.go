package patch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzApply: any patch text either fails with an error naming the patch
// or applies, and nothing outside the tree is ever touched.
func FuzzApply(f *testing.F) {
	f.Add([]byte("--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n"))
	f.Add([]byte("--- /dev/null\n+++ b/new/x.c\n@@ -0,0 +1 @@\n+x\n"))
	f.Add([]byte("diff --git a/a.txt b/c.txt\nsimilarity index 90%\nrename from a.txt\nrename to c.txt\n"))
	f.Add([]byte("diff --git a/a.txt b/a.txt\nold mode 100644\nnew mode 100755\n"))
	f.Add([]byte("--- a/link/x\n+++ b/link/x\n@@ -1 +1 @@\n-a\n+b\n"))
	f.Add([]byte("--- a/a.txt\n+++ b/a.txt\n@@ -3,0 +4 @@\n+end\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		outside := t.TempDir()
		os.WriteFile(filepath.Join(outside, "x"), []byte("a\n"), 0o644)
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "a.txt"), []byte("one\ntwo\nthree\n"), 0o644)
		os.Symlink(outside, filepath.Join(dir, "link"))
		p, err := Parse("fuzz.patch", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.patch") {
				t.Fatalf("error does not name the patch: %v", err)
			}
			return
		}
		if _, err := p.Apply(dir); err != nil && !strings.HasPrefix(err.Error(), "fuzz.patch") {
			t.Fatalf("error does not name the patch: %v", err)
		}
		ents, _ := os.ReadDir(outside)
		if b, _ := os.ReadFile(filepath.Join(outside, "x")); string(b) != "a\n" || len(ents) != 1 {
			t.Fatal("the patch reached outside the tree")
		}
	})
}
