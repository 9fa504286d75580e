package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/recipe"
)

// fixture is a recipe tree and an overlay whose sources are in a cache:
// a has a patch and a source b shares; b and the overlay's c each have a
// source called src.tar.gz with other bytes.
type fixture struct {
	root, overlay, cache string
	nodes                []*plan.Node
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{root: t.TempDir(), cache: t.TempDir()}
	f.overlay = filepath.Join(f.root, "overlay")
	write := func(p, s string) {
		p = filepath.Join(f.root, p)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := func(file, content string) string {
		sum := sha256.Sum256([]byte(content))
		h := hex.EncodeToString(sum[:])
		if err := os.WriteFile(filepath.Join(f.cache, h), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("[[source]]\nurl = \"https://example.invalid/%s\"\nsha256 = %q\n", file, h)
	}
	shared := src("shared.tar.gz", "shared bytes")
	write("stages/stages.toml", "[[stage]]\nname = \"world\"\nseed = true\n")
	write("recipes/_templates/base.sh", "set -e\n{% block build %}{% endblock %}\n")
	write("recipes/core/a/recipe.toml", "name = \"a\"\nversion = \"1\"\nlicense = \"MIT\"\npatches = [\"fix.patch\"]\n"+src("a-1.tar.gz", "a's bytes")+shared)
	write("recipes/core/a/fix.patch", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n")
	write("recipes/core/a/files/conf", "a=1\n")
	write("recipes/core/a/build.sh", "{% extends \"base.sh\" %}{% block build %}make{% endblock %}\n")
	write("recipes/core/b/recipe.toml", "name = \"b\"\nversion = \"2\"\nlicense = \"GPL-2.0-only\"\n"+src("src.tar.gz", "b's bytes")+shared+"[deps]\nlibs = [\"a\"]\n")
	write("recipes/core/b/build.sh", "{% extends \"base.sh\" %}{% block build %}make{% endblock %}\n")
	write("overlay/_templates/base.sh", "set -eu\n{% block build %}{% endblock %}\n")
	tree := strings.Repeat("0a", 32)
	if err := os.WriteFile(filepath.Join(f.cache, tree+".tree.tar.zst"), []byte("a tree's archive"), 0o644); err != nil {
		t.Fatal(err)
	}
	git := "[[source]]\ngit = \"https://example.invalid/c.git\"\nref = \"v3\"\ntree = \"" + tree + "\"\ndest = \"c\"\n"
	write("overlay/extra/c/recipe.toml", "name = \"c\"\nversion = \"3\"\nlicense = \"Zlib\"\n"+src("src.tar.gz", "c's bytes")+git+"[deps]\nlibs = [\"b\"]\n")
	write("overlay/extra/c/build.sh", "{% extends \"base.sh\" %}{% block build %}true{% endblock %}\n")
	repo, err := recipe.Open(filepath.Join(f.root, "recipes"), f.overlay)
	if err != nil {
		t.Fatal(err)
	}
	st, err := plan.LoadStages(filepath.Join(f.root, "stages", "stages.toml"))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := plan.ForPackages(plan.Config{Repo: repo, Stages: st, SeedHash: "seed0"}, "x86_64", "c")
	if err != nil {
		t.Fatal(err)
	}
	f.nodes = pl.Nodes
	return f
}

func (f *fixture) Path(sha string) string      { return filepath.Join(f.cache, sha) }
func (f *fixture) TreePath(tree string) string { return filepath.Join(f.cache, tree+".tree.tar.zst") }

func TestBundle(t *testing.T) {
	f := newFixture(t)
	dir := filepath.Join(t.TempDir(), "bundle")
	// The nodes twice, as two plans sharing nodes give them.
	m, err := Write(dir, "test", append(f.nodes, f.nodes...), f)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Packages) != len(f.nodes) {
		t.Errorf("%d packages in the manifest, want %d", len(m.Packages), len(f.nodes))
	}
	// sha256sum is the oracle for the list: every file is there, whole.
	cmd := exec.Command("sha256sum", "--check", "--strict", SumsName)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sha256sum -c: %v\n%s", err, out)
	}
	listed := map[string]bool{}
	sums, _ := os.ReadFile(filepath.Join(dir, SumsName))
	for _, l := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		listed[strings.SplitN(l, "  ", 2)[1]] = true
	}
	filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if err == nil && !de.IsDir() && rel != SumsName && !listed[filepath.ToSlash(rel)] {
			t.Errorf("%s is in the bundle but not in %s", rel, SumsName)
		}
		return nil
	})

	var got Manifest
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil || json.Unmarshal(data, &got) != nil || len(got.Packages) != len(m.Packages) {
		t.Fatalf("manifest.json: %v\n%s", err, data)
	}
	byID := map[string]Package{}
	for _, p := range got.Packages {
		byID[p.ID] = p
	}
	for _, n := range f.nodes {
		p, ok := byID[n.ID()]
		if !ok {
			t.Errorf("%s is not in the manifest", n.ID())
			continue
		}
		if p.License != n.Recipe.License || p.Out != n.Out() || len(p.Sources) != len(n.Sources) {
			t.Errorf("%s: %+v", n.ID(), p)
		}
		for i, s := range n.Sources {
			if p.Sources[i].SHA256 != s.SHA256 || p.Sources[i].Tree != s.Tree || !listed[p.Sources[i].Path] {
				t.Errorf("%s: source %d is %+v, want sha256 %q or tree %q in the bundle", n.ID(), i, p.Sources[i], s.SHA256, s.Tree)
			}
		}
		if script, _ := os.ReadFile(filepath.Join(dir, p.Script)); string(script) != n.Script {
			t.Errorf("%s: %s is not the rendered script", n.ID(), p.Script)
		}
		if !listed[p.Recipe+"/recipe.toml"] || !listed[p.Recipe+"/build.sh"] {
			t.Errorf("%s: recipe %s not copied", n.ID(), p.Recipe)
		}
	}
	for _, want := range []string{
		"recipes/core/a/fix.patch", "recipes/core/a/files/conf", "recipes/_templates/base.sh",
		"overlay/extra/c/recipe.toml", "overlay/_templates/base.sh",
		"sources/a-1.tar.gz", "sources/shared.tar.gz",
	} {
		if !listed[want] {
			t.Errorf("%s is not in the bundle", want)
		}
	}
	if p := byID["a@x86_64"].Patches; len(p) != 1 || p[0] != "recipes/core/a/fix.patch" {
		t.Errorf("a's patches: %v", p)
	}
	// Two sources named src.tar.gz: both kept, the second beside its hash.
	b, c := byID["b@x86_64"].Sources[0].Path, byID["c@x86_64"].Sources[0].Path
	if b == c || !strings.HasSuffix(b, "/src.tar.gz") || !strings.HasSuffix(c, "/src.tar.gz") {
		t.Errorf("same-named sources: b at %s, c at %s", b, c)
	}
	if g := byID["c@x86_64"].Sources[1]; g.Path != "sources/c-v3.tree.tar.zst" || g.Tree != strings.Repeat("0a", 32) || g.Git == "" || g.Ref != "v3" {
		t.Errorf("c's git source: %+v", g)
	}
	if byID["a@x86_64"].Sources[1].Path != byID["b@x86_64"].Sources[1].Path {
		t.Error("a shared source is copied twice")
	}
}

func TestBundleErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fixture, dir string)
		err   string
	}{
		{"not empty", func(f *fixture, dir string) {
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "old"), nil, 0o644)
		}, "is not empty"},
		{"not fetched", func(f *fixture, dir string) {
			os.Remove(f.Path(f.nodes[0].Sources[0].SHA256))
		}, "recipes/core/a/recipe.toml: source a-1.tar.gz (sha256 "},
		{"corrupt cache", func(f *fixture, dir string) {
			os.WriteFile(f.Path(f.nodes[0].Sources[0].SHA256), []byte("other bytes"), 0o644)
		}, "not the pinned"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			dir := filepath.Join(t.TempDir(), "bundle")
			tc.setup(f, dir)
			_, err := Write(dir, "test", f.nodes, f)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
		})
	}
}
