package plan

import (
	"path/filepath"
	"testing"

	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/recipe"
)

// shipped plans the repository's own recipes and stages.
func shipped(t *testing.T) Config {
	t.Helper()
	root := filepath.Join("..", "..")
	repo, err := recipe.Open(filepath.Join(root, "recipes"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := LoadStages(filepath.Join(root, "stages", "stages.toml"))
	if err != nil {
		t.Fatal(err)
	}
	return Config{Repo: repo, Stages: st, SeedHash: "seed0"}
}

// reaches reports whether n's build inputs include name, at any depth.
func reaches(n *Node, name string) bool {
	for _, d := range n.Deps {
		if d.Name == name || reaches(d, name) {
			return true
		}
	}
	return false
}

// C++ is asked for: a C-only node (the kernel, busybox) does not wait for
// libc++, and a recipe with cxx = true gets the cxx package.
func TestCXXOnlyWhenAsked(t *testing.T) {
	cfg := shipped(t)
	prof, err := profile.Load(filepath.Join("..", "..", "profiles", "minimal.toml"))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := ForProfile(cfg, prof)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range pl.Nodes {
		if reaches(n, "libcxx") || n.Name == "libcxx" {
			t.Errorf("%s needs libcxx, but nothing in minimal compiles C++", n.ID())
		}
	}
	pl, err = ForPackages(cfg, Host, "llvm")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"llvm", "cmake"} {
		n := pl.Find(name)
		if n == nil || !containsNode(n.Deps, pl.Find("cxx")) {
			t.Errorf("%s (cxx = true) does not get the cxx package: %v", name, depIDs(n))
		}
	}
	if cc := pl.Find("cc"); reaches(cc, "libcxx") {
		t.Errorf("cc depends on libcxx: %v", depIDs(cc))
	}
}
