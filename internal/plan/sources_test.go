package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/recipe"
)

const helloSource = `url = "https://example.invalid/hello-2.12.tar.gz"
sha256 = "3333333333333333333333333333333333333333333333333333333333333333"
strip = 1`

// TestGitSourceHash: a git source's tree is hashed, where it came from is
// not, and nodes without one hash as before (TestGoldenHashes).
func TestGitSourceHash(t *testing.T) {
	tree := strings.Repeat("5", 64)
	git := "git = \"https://example.invalid/hello.git\"\nref = \"v2.12\"\ntree = \"" + tree + "\""
	hashOf := func(src string) string {
		t.Helper()
		pl, err := planTree(t, editedTree(t, "recipes/core/hello/recipe.toml", helloSource, src))
		if err != nil {
			t.Fatal(err)
		}
		return pl.Find("hello@x86_64").Hash
	}
	base := hashOf(helloSource)
	withGit := hashOf(git)
	if withGit == base {
		t.Error("a git source hashes like the tarball it replaced")
	}
	for name, src := range map[string]string{
		"another ref":     strings.Replace(git, "v2.12", "0123abc", 1),
		"another mirror":  strings.Replace(git, "example.invalid", "mirror.example.invalid", 1),
		"a forge tarball": git + "\nurl = \"https://example.invalid/hello-2.12.tar.gz\"",
	} {
		if got := hashOf(src); got != withGit {
			t.Errorf("%s changed the hash: the tree alone decides", name)
		}
	}
	if hashOf(strings.Replace(git, tree, strings.Repeat("6", 64), 1)) == withGit {
		t.Error("another tree, same hash")
	}
	if hashOf(git+"\ndest = \"sub\"") == withGit {
		t.Error("dest not hashed")
	}
}

// withFile is editedTree plus one more file in the tree.
func withFile(t *testing.T, root, name, body string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

const fixPatch = "--- a/hello.c\n+++ b/hello.c\n@@ -1 +1 @@\n-hi\n+hello\n"

// TestPatchesHash: patches are hashed by content and order, and only a
// node that has them gets the lines (TestGoldenHashes keeps the rest).
func TestPatchesHash(t *testing.T) {
	base, err := planTree(t, "testdata/tree")
	if err != nil {
		t.Fatal(err)
	}
	hashOf := func(patches string, files map[string]string) (*Node, error) {
		root := editedTree(t, "recipes/core/hello/recipe.toml", `description = "says hello"`, `description = "says hello"`+"\n"+patches)
		for name, body := range files {
			withFile(t, root, filepath.Join("recipes/core/hello", name), body)
		}
		pl, err := planTree(t, root)
		if err != nil {
			return nil, err
		}
		return pl.Find("hello@x86_64"), nil
	}
	second := strings.Replace(fixPatch, "+hello", "+hello!", 1)
	files := map[string]string{"a.patch": fixPatch, "b.patch": second}
	one, err := hashOf(`patches = ["a.patch"]`, files)
	if err != nil {
		t.Fatal(err)
	}
	if one.Hash == base.Find("hello@x86_64").Hash {
		t.Error("a patch did not change the hash")
	}
	if len(one.Patches) != 1 || string(one.Patches[0].Data) != fixPatch {
		t.Errorf("patches %+v", one.Patches)
	}
	ab, _ := hashOf(`patches = ["a.patch", "b.patch"]`, files)
	ba, _ := hashOf(`patches = ["b.patch", "a.patch"]`, files)
	edited, _ := hashOf(`patches = ["a.patch"]`, map[string]string{"a.patch": second})
	if ab.Hash == ba.Hash || ab.Hash == one.Hash || edited.Hash == one.Hash {
		t.Error("order or content of patches not hashed")
	}

	for _, c := range []struct{ patches, file, body, err string }{
		{`patches = ["nope.patch"]`, "", "", "recipes/core/hello/recipe.toml:4: patches: nope.patch: no such file"},
		{`patches = ["../libz/recipe.toml"]`, "", "", "recipe.toml:4: patches: \"../libz/recipe.toml\": name a file in"},
		{`patches = ["bad.patch"]`, "bad.patch", "this is not a diff\n", "recipe.toml:4: patches: bad.patch: holds no diff"},
		{`patches = ["bad.patch"]`, "bad.patch", "--- a/x\n+++ b/x\n@@ -1,3 +1 @@\n-a\n", "recipe.toml:4: patches: bad.patch:"},
	} {
		files := map[string]string{}
		if c.file != "" {
			files[c.file] = c.body
		}
		if _, err := hashOf(c.patches, files); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: error %v, want %q", c.patches, err, c.err)
		}
	}
}

// TestSourcesFrom: a recipe building another's sources plans with exactly
// those sources, hashes as if it had copied them, and names the line of a
// bad reference.
func TestSourcesFrom(t *testing.T) {
	root := copyTree(t)
	dir := filepath.Join(root, "recipes", "core", "hello2")
	os.MkdirAll(dir, 0o755)
	copied := "name = \"hello2\"\nversion = \"2.12\"\nlicense = \"MIT\"\n[[source]]\n" + helloSource + "\n"
	os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte(copied), 0o644)
	os.WriteFile(filepath.Join(dir, "build.sh"), []byte(`{% extends "base.sh" %}`), 0o644)
	plan := func() (*Node, error) {
		t.Helper()
		repo, err := recipe.Open(filepath.Join(root, "recipes"))
		if err != nil {
			return nil, err
		}
		st, _ := LoadStages(filepath.Join(root, "stages", "stages.toml"))
		pl, err := ForPackages(Config{Repo: repo, Stages: st, SeedHash: "seed0"}, "aarch64", "hello2")
		if err != nil {
			return nil, err
		}
		return pl.Find("hello2@aarch64"), nil
	}
	want, err := plan()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte("name = \"hello2\"\nversion = \"2.12\"\nlicense = \"MIT\"\n# hello's tarball\nsources_from = \"hello\"\n"), 0o644)
	got, err := plan()
	if err != nil {
		t.Fatal(err)
	}
	if got.Hash != want.Hash || len(got.Sources) != 1 || got.Sources[0].SHA256 != want.Sources[0].SHA256 {
		t.Errorf("sources_from: %s %+v, copying: %s %+v", got.Hash, got.Sources, want.Hash, want.Sources)
	}
	for _, c := range []struct{ text, err string }{
		{"sources_from = \"helo\"\n", `recipe.toml:4: sources_from: unknown package "helo" (did you mean hello`},
		{"sources_from = \"hello2\"\n", "recipe.toml:4: sources_from names this recipe itself"},
		{"sources_from = \"hello\"\n[[source]]\n" + helloSource + "\n", "recipe.toml:4: sources_from = \"hello\" takes all of hello's sources, and this recipe has [[source]] tables too (line 5)"},
	} {
		os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte("name = \"hello2\"\nversion = \"2.12\"\nlicense = \"MIT\"\n"+c.text), 0o644)
		if _, err := plan(); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("error %v\nwant %q", err, c.err)
		}
	}
	other := filepath.Join(root, "recipes", "core", "hello3")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "recipe.toml"), []byte("name = \"hello3\"\nversion = \"1\"\nlicense = \"MIT\"\nsources_from = \"hello2\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte("name = \"hello2\"\nversion = \"2.12\"\nlicense = \"MIT\"\nsources_from = \"hello3\"\n"), 0o644)
	if _, err := plan(); err == nil || !strings.Contains(err.Error(), "sources_from goes round: hello2 -> hello3 -> hello2") {
		t.Errorf("cycle: %v", err)
	}
}
