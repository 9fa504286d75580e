package recipe

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParse(t *testing.T) {
	head := "name = \"a\"\nversion = \"1\"\nlicense = \"MIT\"\n[[source]]\n"
	git := "git = \"https://example.invalid/seatd.git\"\nref = \"0.7.0\"\n"
	tree := strings.Repeat("0a", 32)
	cases := []struct {
		name, text, err string
	}{
		{"ok", "name = \"a\"\nversion = \"1\"\nlicense = \"MIT\"\n", ""},
		{"no name", "version = \"1\"\n", "missing name"},
		{"no version", "name = \"a\"\n", "missing version"},
		{"no url", "name = \"a\"\nversion = \"1\"\n[[source]]\nsha256 = \"" + strings.Repeat("a", 64) + "\"\n", "needs url or debian"},
		{"bad type", "name = 1\nversion = \"1\"\n", "x.toml:1:"},
		{"unknown key", "name = \"a\"\nversion = \"1\"\n[deps]\ntool = [\"b\"]\n", "x.toml:4:1: unknown key deps.tool"},
		{"git source", head + git + "tree = \"" + tree + "\"\n", ""},
		{"git source with a forge tarball", head + git + "tree = \"" + tree + "\"\nurl = \"https://example.invalid/seatd-0.7.0.tar.gz\"\n", ""},
		{"git source without tree", head + git, "x.toml:4: source 1 (seatd-0.7.0): a git source needs git"},
		{"git source with a short tree", head + git + "tree = \"abc\"\n", "x.toml:4: source 1 (seatd-0.7.0): tree must be 64 lowercase hex digits"},
		{"git source with sha256", head + git + "tree = \"" + tree + "\"\nsha256 = \"" + tree + "\"\n", "pinned by its tree alone: drop sha256"},
		{"git source with strip", head + git + "tree = \"" + tree + "\"\nstrip = 1\n", "strip has no meaning for a git source"},
		{"second source's line", head + git + "tree = \"" + tree + "\"\n\n[[source]]\nurl = \"u\"\n", "x.toml:9: source 2 (u): sha256 must be 64 hex digits"},
		{"target source's line", "name = \"a\"\nversion = \"1\"\n\n[target.aarch64]\n[[target.aarch64.source]]\nurl = \"u\"\nsha256 = \"1\"\n", "x.toml:5: source 1 (u): sha256 must be 64"},
		{"no license", "name = \"a\"\n\nversion = \"1\"\n[deps]\n", "x.toml:3: missing license"},
		{"empty license", "name = \"a\"\nversion = \"1\"\nlicense = \"\"\n", "x.toml:3:1: license is empty"},
		{"unknown license", "name = \"a\"\nversion = \"1\"\n  license = \"GPL-2.0-onyl\"\n", "x.toml:3:3: license \"GPL-2.0-onyl\" is not an SPDX expression"},
		{"deprecated license", "name = \"a\"\nversion = \"1\"\nlicense = \"GPL-2.0\"\n", "x.toml:3:1: license \"GPL-2.0\" is not"},
		{"license ref", "name = \"a\"\nversion = \"1\"\nlicense = \"LicenseRef-ours\"\n", "LicenseRef- are refused"},
		{"bad expression", "name = \"a\"\nversion = \"1\"\nlicense = \"MIT AND\"\n", "x.toml:3:1: license \"MIT AND\""},
		{"lower case", "name = \"a\"\nversion = \"1\"\nlicense = \"mit OR apache-2.0\"\n", `write it as "MIT OR Apache-2.0"`},
		{"expression", "name = \"a\"\nversion = \"1\"\nlicense = \"GPL-2.0-only WITH Linux-syscall-note AND (NCSA OR MIT)\"\n", ""},
		// The policy options the build reads must have their type, not fall back to a default.
		{"static typed", "name = \"a\"\nversion = \"1\"\nlicense = \"MIT\"\n[options]\nstatic = false\nno_strip = true\nallow_build_path = [\"share/**\"]\n", ""},
		{"static string", "name = \"a\"\nversion = \"1\"\nlicense = \"MIT\"\n[options]\nstatic = \"no\"\n", `x.toml:5:1: option static = "no": want true or false`},
		{"no_strip int", "name = \"a\"\nversion = \"1\"\nlicense = \"MIT\"\n[options]\ncmdline = \"x\"\nno_strip = 1\n", "x.toml:6:1: option no_strip = 1: want true or false"},
		{"allow_build_path string", "name = \"a\"\nversion = \"1\"\nlicense = \"MIT\"\n[options]\nallow_build_path = \"share/**\"\n", `x.toml:5:1: option allow_build_path = "share/**": want a list of globs`},
		{"allow_build_path ints", "name = \"a\"\nversion = \"1\"\nlicense = \"MIT\"\n[options]\nallow_build_path = [1]\n", "x.toml:5:1: option allow_build_path = [1]: want a list of globs"},
		{"target override", "name = \"a\"\nversion = \"1\"\nlicense = \"MIT\"\n[options]\nstatic = true\n[target.aarch64.options]\nstatic = \"yes\"\n", `x.toml:7:1: option static = "yes"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("x.toml", []byte(c.text))
			switch {
			case c.err == "" && err != nil:
				t.Fatal(err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Fatalf("error %v, want %q", err, c.err)
			}
		})
	}
}

func TestClosest(t *testing.T) {
	got := Closest("busybx", []string{"busybox", "musl", "linux", "bash"}, 3)
	if len(got) == 0 || got[0] != "busybox" {
		t.Errorf("Closest = %v", got)
	}
	if got := Closest("zzzzzzzz", []string{"musl"}, 3); len(got) != 0 {
		t.Errorf("far names suggested: %v", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("name = \"a\"\nversion = \"1\"\nlicense = \"MIT OR (Zlib AND 0BSD)\"\n[[source]]\nurl = \"u\"\nsha256 = \"" + strings.Repeat("0", 64) + "\"\n"))
	f.Add([]byte("[target.aarch64.options]\nx = 1\n"))
	f.Add([]byte("name = \"a\"\nversion = \"1\"\nlicense = \"MIT\"\n[[source]]\ngit = \"g\"\nref = \"r\"\ntree = \"" + strings.Repeat("0", 64) + "\"\n[[target.aarch64.source]]\n"))
	f.Add([]byte("name = \"\"\n[deps]\nlibs = [1]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rc, err := Parse("fuzz.toml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.toml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if rc.Name == "" || rc.Version == "" {
			t.Fatal("accepted a recipe without name or version")
		}
		if CheckLicense(rc.License) != nil {
			t.Fatalf("accepted license %q", rc.License)
		}
		_ = rc.ForTarget("aarch64")
	})
}

// TestNoHTMLEscaping: options reach the script byte for byte.
func TestNoHTMLEscaping(t *testing.T) {
	r, rc := recipeQ(t, t.TempDir(), `echo "{{ options.cmdline }}"`)
	out, err := r.Render(rc, Context{Options: map[string]any{"cmdline": `a="b c" <d> & 'e'`}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `echo "a="b c" <d> & 'e'"`; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// TestTreeFS renders from a tree that is no host directory, as the one
// built into the binary: templates resolve inside it, and errors name its
// files by the tree's name.
func TestTreeFS(t *testing.T) {
	tree := fstest.MapFS{
		"_templates/base.sh":     {Data: []byte("set -e\n{% block build %}{% endblock %}\n")},
		"c/q/recipe.toml":        {Data: []byte("name = \"q\"\nversion = \"1\"\nlicense = \"MIT\"\n")},
		"c/q/build.sh":           {Data: []byte(`{% extends "base.sh" %}{% block build %}{% include "part.sh" %}{% endblock %}`)},
		"c/q/part.sh":            {Data: []byte("echo {{ name }}\n")},
		"c/bad/recipe.toml":      {Data: []byte("name = \"bad\"\nversion = \"1\"\nlicense = \"MIT\"\n")},
		"c/bad/build.sh":         {Data: []byte(`{% extends "base.sh" %}{% block build %}{% include "../../../x" %}{% endblock %}`)},
		"c/typo/recipe.toml":     {Data: []byte("name = \"typo\"\nversion = \"1\"\nlicense = \"MIT\"\n")},
		"c/typo/build.sh":        {Data: []byte("{% if %}\n")},
		"c/missing/recipe.toml":  {Data: []byte("name = \"missing\"\nversion = \"1\"\nlicense = \"MIT\"\n")},
		"c/missing/build.sh":     {Data: []byte(`{% extends "nope.sh" %}`)},
		"c/broken/recipe.toml":   {Data: []byte("name = \"broken\"\nversoin = \"1\"\n")},
		"_c/skipped/recipe.toml": {Data: []byte("not toml at all")},
	}
	if _, err := OpenTrees(Tree{FS: tree, Name: "<embedded>/recipes"}); err == nil || !strings.Contains(err.Error(), "<embedded>/recipes/c/broken/recipe.toml:2:1: unknown key versoin") {
		t.Fatalf("broken recipe: %v", err)
	}
	delete(tree, "c/broken/recipe.toml")
	repo, err := OpenTrees(Tree{FS: tree, Name: "<embedded>/recipes"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(repo)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, out, err string }{
		{"q", "set -e\necho q\n\n", ""},
		{"bad", "", "template <embedded>/recipes/../x is outside the recipe trees"},
		{"typo", "", "<embedded>/recipes/c/typo/build.sh:1:"},
		{"missing", "", "template nope.sh not found"},
	}
	for _, c := range cases {
		rc, err := repo.Get(c.name)
		if err != nil {
			t.Fatal(err)
		}
		out, err := r.Render(rc, Context{Name: c.name})
		if out != c.out || (c.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: got %q, %v; want %q, %q", c.name, out, err, c.out, c.err)
		}
	}
}

// TestSymlinkOut: a template that is a symlink out of a host tree does
// not render; one to another file of the tree does.
func TestSymlinkOut(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "c", "q"), 0o755)
	os.WriteFile(filepath.Join(dir, "c", "q", "real.sh"), []byte("echo in\n"), 0o644)
	os.Symlink("real.sh", filepath.Join(dir, "c", "q", "in.sh"))
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("echo secret\n"), 0o644)
	os.Symlink(secret, filepath.Join(dir, "c", "q", "out.sh"))
	r, rc := recipeQ(t, dir, `{% include "in.sh" %}{% include "out.sh" %}`)
	out, err := r.Render(rc, Context{})
	if err == nil || !strings.Contains(err.Error(), "out.sh cannot be read") || strings.Contains(out, "secret") {
		t.Errorf("a symlink out of the tree rendered: %q, %v", out, err)
	}
	os.Remove(filepath.Join(dir, "c", "q", "out.sh"))
	os.WriteFile(filepath.Join(dir, "c", "q", "out.sh"), nil, 0o644)
	r, rc = recipeQ(t, dir, `{% include "in.sh" %}{% include "out.sh" %}`)
	if out, err := r.Render(rc, Context{}); err != nil || out != "echo in\n" {
		t.Errorf("a symlink inside the tree: %q, %v", out, err)
	}
}

// recipeQ writes recipe q with build into the tree dir and returns a
// renderer of that tree and the recipe.
func recipeQ(t *testing.T, dir, build string) (*Renderer, *Recipe) {
	t.Helper()
	os.MkdirAll(filepath.Join(dir, "c", "q"), 0o755)
	os.WriteFile(filepath.Join(dir, "c", "q", "recipe.toml"), []byte("name = \"q\"\nversion = \"1\"\nlicense = \"MIT\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "c", "q", "build.sh"), []byte(build), 0o644)
	repo, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(repo)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := repo.Get("q")
	if err != nil {
		t.Fatal(err)
	}
	return r, rc
}

// TestShippedLicenses loads every recipe of the tree, those added later
// included: each must carry a license the SPDX list knows.
func TestShippedLicenses(t *testing.T) {
	repo, err := Open(filepath.Join("..", "..", "recipes"))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "recipes", "*", "*", "recipe.toml"))
	if n := len(repo.Names()); n == 0 || n != len(files) {
		t.Fatalf("%d recipes loaded from %d recipe.toml files", n, len(files))
	}
	for _, name := range repo.Names() {
		rc, _ := repo.Get(name)
		if err := CheckLicense(rc.License); err != nil {
			t.Errorf("%s: %v", rc.File, err)
		}
	}
}

func FuzzCheckLicense(f *testing.F) {
	for _, s := range []string{"MIT", "GPL-2.0-only WITH Linux-syscall-note", "(MIT OR NCSA) AND Zlib", "mit", "AND", "(("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		if err := CheckLicense(expr); err == nil && strings.TrimSpace(expr) == "" {
			t.Fatal("accepted an empty license")
		}
	})
}

func TestPolicy(t *testing.T) {
	cases := []struct {
		name string
		opts map[string]any
		want PolicyOptions
		err  string
	}{
		{"defaults", nil, PolicyOptions{Static: true}, ""},
		{"set", map[string]any{"static": false, "no_strip": true, "allow_build_path": []any{"a/**"}}, PolicyOptions{NoStrip: true, AllowBuildPath: []string{"a/**"}}, ""},
		{"a []string", map[string]any{"allow_build_path": []string{"b"}}, PolicyOptions{Static: true, AllowBuildPath: []string{"b"}}, ""},
		{"other options untouched", map[string]any{"cmdline": 1}, PolicyOptions{Static: true}, ""},
		{"static string", map[string]any{"static": "false"}, PolicyOptions{}, `option static = "false": want true or false`},
		{"list of lists", map[string]any{"allow_build_path": []any{[]any{"a"}}}, PolicyOptions{}, "want a list of globs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Policy(c.opts)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Errorf("Policy = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}
