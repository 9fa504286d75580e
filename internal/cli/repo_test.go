package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/plan"
)

// TestShippedTree plans every shipped profile for each of its targets and
// renders every recipe for both targets, so a template error in any
// recipe fails here rather than in a long build.
func TestShippedTree(t *testing.T) {
	root, _ := filepath.Abs("../..")
	c := common{root: root}
	p, err := c.load(&Env{Dir: root})
	if err != nil {
		t.Fatal(err)
	}
	profiles, _ := filepath.Glob(filepath.Join(root, "profiles", "*.toml"))
	if len(profiles) < 3 {
		t.Fatalf("only %d profiles", len(profiles))
	}
	for _, f := range profiles {
		prof, err := p.profile(&Env{Dir: root}, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, arch := range prof.Targets {
			pl, err := plan.ForProfile(p.config(), prof, arch)
			if err != nil {
				t.Errorf("%s for %s: %v", f, arch, err)
				continue
			}
			if prof.Init == "runit" {
				n := pl.Find("runit@" + arch)
				if n == nil || !strings.Contains(n.Script, "runit-init") {
					t.Errorf("%s: runit is not planned for %s, or its script does not install runit-init", f, arch)
				}
			}
		}
	}
	for _, name := range p.repo.Names() {
		for _, arch := range []string{"x86_64", "aarch64"} {
			pl, err := plan.ForPackages(p.config(), arch, name)
			if err != nil {
				t.Errorf("%s for %s: %v", name, arch, err)
				continue
			}
			if n := pl.Find(name); n == nil || strings.TrimSpace(n.Script) == "" {
				t.Errorf("%s for %s renders an empty script", name, arch)
			}
		}
	}
}
