package plan

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/recipe"
)

var update = flag.Bool("update", false, "rewrite golden files")

// copyTree copies testdata/tree so a test can change one input.
func copyTree(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src := "testdata/tree"
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// editedTree is a copy of the test tree with the first from in file
// replaced by to.
func editedTree(t *testing.T, file, from, to string) string {
	t.Helper()
	root := copyTree(t)
	p := filepath.Join(root, file)
	data, _ := os.ReadFile(p)
	if !strings.Contains(string(data), from) {
		t.Fatalf("%s lacks %q", file, from)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), from, to, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func planTree(t *testing.T, root string, overlays ...string) (*Plan, error) {
	t.Helper()
	repo, err := recipe.Open(filepath.Join(root, "recipes"), overlays...)
	if err != nil {
		return nil, err
	}
	st, err := LoadStages(filepath.Join(root, "stages", "stages.toml"))
	if err != nil {
		t.Fatal(err)
	}
	prof, err := profile.Load(filepath.Join(root, "profiles", "demo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	return ForProfile(Config{Repo: repo, Stages: st, SeedHash: "seed0"}, prof)
}

func hashes(t *testing.T, pl *Plan) map[string]string {
	m := map[string]string{}
	for _, n := range pl.Nodes {
		m[n.ID()] = n.Hash
	}
	return m
}

func TestGoldenHashes(t *testing.T) {
	pl, err := planTree(t, "testdata/tree")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, n := range pl.Nodes {
		b.WriteString(n.Out() + " " + n.Stage + "\n")
	}
	golden := "testdata/hashes.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("plan changed (run go test -update if intended):\ngot:\n%swant:\n%s", b.String(), want)
	}
}

func TestPlanShape(t *testing.T) {
	pl, err := planTree(t, "testdata/tree")
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, n := range pl.Nodes {
		pos[n.ID()] = i
		for _, d := range n.Deps {
			if _, ok := pos[d.ID()]; !ok {
				t.Errorf("%s comes before its dependency %s", n.ID(), d.ID())
			}
		}
	}
	// Tools are host-side and shared between both targets.
	if _, ok := pos["maketool@aarch64"]; ok {
		t.Error("maketool was planned for aarch64; tools must run on the host")
	}
	h := pl.Find("hello@aarch64")
	if h == nil || !strings.Contains(h.Script, "GREETING=hej") {
		t.Errorf("aarch64 override not applied: %v", h)
	}
	x := pl.Find("hello@x86_64")
	libz := pl.Find("libz@x86_64")
	if !strings.Contains(x.Script, "ZLIB="+libz.Out()) || !strings.Contains(x.Script, "DESTDIR="+x.Out()+" install") {
		t.Errorf("script lacks dependency or own path:\n%s", x.Script)
	}
	if !regexp.MustCompile(`^/ix/store/[0-9a-df-np-sv-z]{32}-hello-2\.12$`).MatchString(x.Out()) {
		t.Errorf("bad store path %s", x.Out())
	}
	if why := pl.Why("maketool"); len(why) < 2 || why[len(why)-1].Name != "maketool" {
		t.Errorf("why maketool: %v", why)
	}
}

// TestHashInputs changes one input at a time and checks which hashes move.
func TestHashInputs(t *testing.T) {
	base, err := planTree(t, "testdata/tree")
	if err != nil {
		t.Fatal(err)
	}
	want := hashes(t, base)
	cases := []struct {
		name    string
		file    string
		from    string
		to      string
		changes bool
	}{
		{"script", "recipes/core/hello/build.sh", "GREETING=", "GREETING2=", true},
		{"source sha256", "recipes/core/hello/recipe.toml", "3333", "4333", true},
		{"strip", "recipes/core/hello/recipe.toml", "strip = 1", "strip = 2", true},
		{"option", "recipes/core/hello/recipe.toml", `greeting = "hi"`, `greeting = "yo"`, true},
		{"dependency's input", "recipes/core/libz/recipe.toml", "2222", "2223", true},
		{"template", "recipes/_templates/make.sh", "DESTDIR=", "PREFIX=/ DESTDIR=", true},
		{"stage", "recipes/core/hello/recipe.toml", `description = "says hello"`, `stage = "toolchain"`, true},
		{"description", "recipes/core/hello/recipe.toml", "says hello", "greets", false},
		{"license", "recipes/core/hello/recipe.toml", `license = "MIT"`, `license = "0BSD"`, false},
		{"deps order", "recipes/core/hello/recipe.toml", `tools = ["maketool"]
libs = ["libz"]`, `libs = ["libz"]
tools = ["maketool"]`, false},
		{"key order", "recipes/core/hello/recipe.toml", `name = "hello"
version = "2.12"`, `version = "2.12"
name = "hello"`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := editedTree(t, c.file, c.from, c.to)
			pl, err := planTree(t, root)
			if err != nil {
				t.Fatal(err)
			}
			got := hashes(t, pl)
			if moved := got["hello@x86_64"] != want["hello@x86_64"]; moved != c.changes {
				t.Errorf("hello's hash moved=%v, want %v", moved, c.changes)
			}
		})
	}
}

func TestSeedAndTargetInHash(t *testing.T) {
	root := copyTree(t)
	pl, _ := planTree(t, root)
	if pl.Find("hello@x86_64").Hash == pl.Find("hello@aarch64").Hash {
		t.Error("two targets share a hash")
	}
	repo, _ := recipe.Open(filepath.Join(root, "recipes"))
	st, _ := LoadStages(filepath.Join(root, "stages", "stages.toml"))
	a, _ := ForPackages(Config{Repo: repo, Stages: st, SeedHash: "s1"}, "x86_64", "cc")
	b, _ := ForPackages(Config{Repo: repo, Stages: st, SeedHash: "s2"}, "x86_64", "cc")
	if a.Nodes[0].Hash == b.Nodes[0].Hash {
		t.Error("the seed is not part of a seed-stage node's hash")
	}
}

func TestPlanErrors(t *testing.T) {
	cases := []struct {
		name  string
		file  string
		from  string
		to    string
		match string
	}{
		{"cycle", "recipes/core/libz/recipe.toml", `tools = ["maketool"]`, `tools = ["maketool"]
libs = ["hello"]`, `dependency cycle: hello@x86_64 -> libz@x86_64 -> hello@x86_64`},
		{"unknown", "recipes/core/hello/recipe.toml", `libs = ["libz"]`, `libs = ["libzz"]`, `recipes/core/hello/recipe.toml: unknown package "libzz" (did you mean libz?)`},
		{"toml", "recipes/core/hello/recipe.toml", `greeting = "hi"`, `greeting = "hi`, `recipes/core/hello/recipe.toml:16:15: strings cannot contain newlines`},
		{"unknown key", "recipes/core/hello/recipe.toml", `description =`, `descripton =`, `recipes/core/hello/recipe.toml:3:1: unknown key descripton`},
		{"template", "recipes/core/hello/build.sh", `{% endblock %}`, `{% endblok %}`, `recipes/core/hello/build.sh:2:`},
		{"missing template", "recipes/core/hello/build.sh", `"make.sh"`, `"nope.sh"`, `template nope.sh not found`},
		{"escape", "recipes/core/hello/build.sh", `"make.sh"`, `"../../../../../../etc/passwd"`, `outside the recipe trees`},
		{"ssi banned", "recipes/core/hello/build.sh", `{% block make_flags %}`, `{% block make_flags %}{% ssi "/etc/passwd" %}`, `build.sh:2:`},
		{"bad sha", "recipes/core/hello/recipe.toml", `"3333333333333333333333333333333333333333333333333333333333333333"`, `"33"`, `sha256 must be 64 hex digits`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := editedTree(t, c.file, c.from, c.to)
			_, err := planTree(t, root)
			if err == nil || !strings.Contains(err.Error(), c.match) {
				t.Errorf("error = %v\nwant it to contain %q", err, c.match)
			}
		})
	}
}

func TestDuplicateVersions(t *testing.T) {
	root := copyTree(t)
	dir := filepath.Join(root, "recipes", "extra", "libz")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte("name = \"libz\"\nversion = \"1.3\"\nlicense = \"Zlib\"\n"), 0o644)
	_, err := planTree(t, root)
	if err == nil || !strings.Contains(err.Error(), "version 1.2.13") || !strings.Contains(err.Error(), "version 1.3") {
		t.Errorf("error = %v, want both versions named", err)
	}
}

func TestOverlay(t *testing.T) {
	root := copyTree(t)
	base, _ := planTree(t, root)
	ov := t.TempDir()
	dir := filepath.Join(ov, "local", "libz")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte("name = \"libz\"\nversion = \"9.9\"\nlicense = \"Zlib\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "build.sh"), []byte(`{% extends "base.sh" %}{% block install %}echo mine{% endblock %}`), 0o644)
	pl, err := planTree(t, root, ov)
	if err != nil {
		t.Fatal(err)
	}
	n := pl.Find("libz@x86_64")
	if n.Version != "9.9" || !strings.Contains(n.Script, "echo mine") {
		t.Errorf("overlay did not shadow libz: %s %q", n.Version, n.Script)
	}
	if pl.Find("hello@x86_64").Hash == base.Find("hello@x86_64").Hash {
		t.Error("a shadowed dependency did not change its dependent's hash")
	}
	for _, bad := range []string{filepath.Join(ov, "missing"), t.TempDir()} {
		if _, err := planTree(t, root, bad); err == nil {
			t.Errorf("overlay %s: no error", bad)
		}
	}
}
