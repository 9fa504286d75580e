package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeedLock: a missing or broken seed lock stops the load with an
// error naming the file, rather than planning with a seed nobody can fetch.
func TestSeedLock(t *testing.T) {
	good := "busybox-static 1:1.35.0-4 amd64 " + strings.Repeat("0", 64) + " 1\n"
	cases := []struct {
		name, lock, err string
	}{
		{"missing", "", "bootstrap/seed-x86_64.lock: no such file or directory"},
		{"five fields", "busybox-static 1:1.35.0-4 amd64\n", "bootstrap/seed-x86_64.lock: line 1: want NAME VERSION ARCH SHA256 SIZE, got 3 fields"},
		{"empty", "# nothing pinned\n", "bootstrap/seed-x86_64.lock: no packages"},
		{"good", good, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			os.MkdirAll(filepath.Join(root, "recipes"), 0o755)
			os.MkdirAll(filepath.Join(root, "stages"), 0o755)
			os.WriteFile(filepath.Join(root, "stages", "stages.toml"), []byte("[[stage]]\nname = \"world\"\nseed = true\n"), 0o644)
			if c.lock != "" {
				os.MkdirAll(filepath.Join(root, "bootstrap"), 0o755)
				os.WriteFile(filepath.Join(root, "bootstrap", "seed-x86_64.lock"), []byte(c.lock), 0o644)
			}
			p, err := Open(Options{Root: root})
			switch {
			case c.err == "" && err != nil:
				t.Fatal(err)
			case c.err == "" && !strings.HasSuffix(p.SeedBase(), "-seed-x86_64"):
				t.Errorf("seed entry %q", p.SeedBase())
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Errorf("error = %v, want it to contain %q", err, c.err)
			}
		})
	}
}

// TestEmbeddedTree: outside a checkout the tree built into the binary is
// loaded, and every shipped profile plans to the same store paths as from
// the checkout.
func TestEmbeddedTree(t *testing.T) {
	t.Setenv("STALIX_ROOT", "")
	checkout, err := Open(Options{Root: "../.."})
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := Open(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if embedded.Root != Embedded {
		t.Fatalf("outside a checkout the tree is %s", embedded.Root)
	}
	names, err := embedded.Profiles()
	if err != nil || len(names) < 3 {
		t.Fatalf("embedded profiles: %v %v", names, err)
	}
	for _, name := range names {
		var outs [2][]string
		for i, p := range []*Project{checkout, embedded} {
			prof, err := p.Resolve(name)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := p.Plan(name, prof, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range pl.Nodes {
				outs[i] = append(outs[i], n.Out())
			}
		}
		if strings.Join(outs[0], "\n") != strings.Join(outs[1], "\n") {
			t.Errorf("%s plans differently from the embedded tree:\n%v\n%v", name, outs[0], outs[1])
		}
	}
	// Every recipe, patches and included files read from the embedded tree.
	for _, name := range checkout.Repo.Names() {
		for _, arch := range []string{"x86_64", "aarch64"} {
			var outs [2]string
			for i, p := range []*Project{checkout, embedded} {
				pl, err := p.Plan(name, nil, []string{arch})
				if err != nil {
					t.Fatalf("%s for %s from %s: %v", name, arch, p.Root, err)
				}
				outs[i] = pl.Roots[arch][0].Out()
			}
			if outs[0] != outs[1] {
				t.Errorf("%s for %s: %s from the checkout, %s embedded", name, arch, outs[0], outs[1])
			}
		}
	}
	// A profile named by its path in the tree, and errors that name the tree.
	if _, err := embedded.Profile("profiles/minimal.toml"); err != nil {
		t.Error(err)
	}
	if _, err := embedded.Resolve("nosuch"); err == nil || !strings.Contains(err.Error(), `"nosuch" is no profile`) {
		t.Errorf("unknown name: %v", err)
	}
}
