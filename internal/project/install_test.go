package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSystem: an install media plans the system its [install] names for the media's targets,
// with [install.options] over that profile's options and not over the media's; a system
// profile beside the media's file comes before the tree's.
func TestSystem(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS("../plan/testdata/tree")); err != nil {
		t.Fatal(err)
	}
	media := "name = \"media\"\ntargets = [\"x86_64\"]\npackages = [\"hello\"]\nkernel = \"\"\n[install]\nprofile = \"demo\"\n[install.options.hello]\ngreeting = \"moin\"\n"
	if err := os.WriteFile(filepath.Join(root, "profiles", "media.toml"), []byte(media), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Open(Options{Root: root, Dir: root})
	if err != nil {
		t.Fatal(err)
	}
	prof, err := p.Profile("media")
	if err != nil {
		t.Fatal(err)
	}
	sys, err := p.System(prof, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sys.Profile.Name != "demo" || len(sys.Plan.Targets) != 1 || sys.Plan.Targets[0] != "x86_64" {
		t.Fatalf("system %s for %v, want demo for the media's x86_64 alone", sys.Profile.Name, sys.Plan.Targets)
	}
	if n := sys.Plan.Roots["x86_64"][0]; n.Name != "hello" || !strings.Contains(n.Script, "GREETING=moin") {
		t.Errorf("the installed hello does not take install.options: %s %q", n.Name, n.Script)
	}
	pl, err := p.Plan("media", prof, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := pl.Roots["x86_64"][0]; !strings.Contains(n.Script, "GREETING=hi") {
		t.Errorf("install.options reached the media's own hello: %q", n.Script)
	}
	if sys, err := p.System(nil, nil); sys != nil || err != nil {
		t.Errorf("a package (no profile) has a system: %v, %v", sys, err)
	}

	// A demo.toml beside a media file outside the tree is the one installed.
	elsewhere := t.TempDir()
	os.WriteFile(filepath.Join(elsewhere, "media.toml"), []byte(media), 0o644)
	os.WriteFile(filepath.Join(elsewhere, "demo.toml"), []byte("name = \"mydemo\"\ntargets = [\"x86_64\"]\npackages = [\"hello\"]\nkernel = \"\"\n"), 0o644)
	prof, err = p.Profile(filepath.Join(elsewhere, "media.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if sys, err = p.System(prof, nil); err != nil || sys.Profile.Name != "mydemo" {
		t.Errorf("the system beside the media: %v, %v", sys, err)
	}
}
