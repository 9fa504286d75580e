package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/recipe"
)

// planWith plans the test tree's demo profile with toolchain tc, for
// x86_64 unless targets are given.
func planWith(t *testing.T, root, tc string, targets ...string) (*Plan, error) {
	t.Helper()
	repo, err := recipe.Open(filepath.Join(root, "recipes"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := LoadStages(filepath.Join(root, "stages", "stages.toml"))
	if err != nil {
		return nil, err
	}
	prof, err := profile.Load(filepath.Join(root, "profiles", "demo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) == 0 {
		targets = []string{"x86_64"}
	}
	return ForProfile(Config{Repo: repo, Stages: st, SeedHash: "seed0", Toolchain: tc}, prof, targets...)
}

func depIDs(n *Node) []string {
	var ids []string
	for _, d := range n.Deps {
		ids = append(ids, d.ID())
	}
	return ids
}

func TestToolchainChain(t *testing.T) {
	seed, err := planWith(t, "testdata/tree", "")
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planWith(t, "testdata/tree", "t3")
	if err != nil {
		t.Fatal(err)
	}
	// Each node's build inputs under t3: the world and the toolchain stage
	// follow the choice and take t3's compiler (selfcc built by t2), selfcc
	// built by t2 takes t2's compiler (selfcc built by the seed), and the
	// tools stage stays with the seed whoever asks for it.
	want := map[string][]string{
		"hello@x86_64/t3":    {"maketool@x86_64/t3", "libz@x86_64/t3", "cc@x86_64/t3", "selfcc@x86_64/t2"},
		"cc@x86_64/t3":       {"selfcc@x86_64/t2"},
		"selfcc@x86_64/t2":   {"buildgen@x86_64", "cc@x86_64/t2", "selfcc@x86_64"},
		"cc@x86_64/t2":       {"selfcc@x86_64"},
		"selfcc@x86_64":      {"buildgen@x86_64", "cc@x86_64"},
		"buildgen@x86_64":    {"cc@x86_64"},
		"cc@x86_64":          nil,
		"libz@x86_64/t3":     {"maketool@x86_64/t3", "cc@x86_64/t3", "selfcc@x86_64/t2"},
		"maketool@x86_64/t3": {"cc@x86_64/t3", "selfcc@x86_64/t2"},
	}
	got := map[string]*Node{}
	for _, n := range pl.Nodes {
		got[n.ID()] = n
	}
	for id, deps := range want {
		n := got[id]
		if n == nil {
			t.Errorf("%s is not planned; plan has %v", id, keys(got))
			continue
		}
		if g := strings.Join(depIDs(n), " "); g != strings.Join(deps, " ") {
			t.Errorf("%s deps = %q, want %q", id, g, strings.Join(deps, " "))
		}
	}
	if len(got) != len(want) {
		t.Errorf("plan has %d nodes, want %d: %v", len(got), len(want), keys(got))
	}
	// The same recipe built by two toolchains is two store paths, and a
	// node built by the seed is the same whether or not a chain follows.
	if got["selfcc@x86_64"].Hash == got["selfcc@x86_64/t2"].Hash {
		t.Error("selfcc built by the seed and by t2 share a hash")
	}
	if a, b := seed.Find("cc@x86_64"), got["cc@x86_64"]; a.Hash != b.Hash {
		t.Errorf("the seed-built cc changed hash under t3: %s vs %s", a.Hash, b.Hash)
	}
	if h := seed.Find("hello@x86_64"); h.Hash == got["hello@x86_64/t3"].Hash {
		t.Error("hello built by the seed and by t3 share a hash")
	}
}

func keys(m map[string]*Node) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestToolchainErrors(t *testing.T) {
	tests := []struct {
		name, from, to, tc, want string
	}{
		{"unknown choice", "", "", "t9", `--toolchain: unknown toolchain "t9" (toolchains: [seed t2 t3])`},
		{"built by itself", `built_by = "seed"`, `built_by = "t3"`, "", `toolchain "t2" is built by itself (through "t2")`},
		{"unknown builder", `built_by = "seed"`, `built_by = "gcc"`, "", `toolchain "t2": built_by: unknown toolchain "gcc"`},
		{"no compiler", `compiler = "selfcc"
built_by = "seed"`, `built_by = "seed"`, "", `toolchain "t2" needs compiler and built_by`},
		{"stage names unknown one", `toolchain = "seed"`, `toolchain = "t7"`, "", `stage "tools": unknown toolchain "t7"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := "testdata/tree"
			if tt.from != "" {
				root = editedTree(t, "stages/stages.toml", tt.from, tt.to)
			}
			_, err := planWith(t, root, tt.tc)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// seedlessTree is the test tree with t3 seedless and the world stage naming
// what replaces the seed: buildgen (tools stage) as /bin, and cc.
func seedlessTree(t *testing.T) string {
	t.Helper()
	root := editedTree(t, "stages/stages.toml", `name = "world"
seed = true
implicit = ["cc"]`, `name = "world"
seed = true
implicit = ["cc"]
seedless_implicit = ["buildgen", "cc"]`)
	editFile(t, root, "stages/stages.toml", `built_by = "t2"`, `built_by = "t2"
seedless = true`)
	return root
}

// editFile replaces from with to in root's file, once.
func editFile(t *testing.T, root, file, from, to string) {
	t.Helper()
	p := filepath.Join(root, file)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), from) {
		t.Fatalf("%s lacks %q", file, from)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), from, to, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSeedlessToolchain(t *testing.T) {
	root := seedlessTree(t)
	pl, err := planWith(t, root, "t3")
	if err != nil {
		t.Fatal(err)
	}
	before, err := planWith(t, "testdata/tree", "t3")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id   string
		seed bool
		bin  string
		deps string
	}{
		// The world loses the seed and gains the stage's seedless packages,
		// planned for the build host.
		{"hello@x86_64/t3", false, "buildgen@x86_64", "maketool@x86_64/t3 libz@x86_64/t3 cc@x86_64/t3 buildgen@x86_64 selfcc@x86_64/t2"},
		{"libz@x86_64/t3", false, "buildgen@x86_64", "maketool@x86_64/t3 cc@x86_64/t3 buildgen@x86_64 selfcc@x86_64/t2"},
		// Stages that name no replacement keep the seed.
		{"cc@x86_64/t3", true, "", "selfcc@x86_64/t2"},
		{"selfcc@x86_64/t2", true, "", "buildgen@x86_64 cc@x86_64/t2 selfcc@x86_64"},
		{"buildgen@x86_64", true, "", "cc@x86_64"},
	}
	for _, tt := range tests {
		n := pl.Find(tt.id)
		if n == nil {
			t.Errorf("%s is not planned", tt.id)
			continue
		}
		bin := ""
		if n.Bin != nil {
			bin = n.Bin.ID()
		}
		if n.Seed != tt.seed || bin != tt.bin || strings.Join(depIDs(n), " ") != tt.deps {
			t.Errorf("%s: seed %v, bin %q, deps %q; want %v, %q, %q", tt.id, n.Seed, bin, strings.Join(depIDs(n), " "), tt.seed, tt.bin, tt.deps)
		}
		// Only the nodes that lost the seed hash differently.
		b := before.Find(tt.id)
		if b == nil {
			t.Errorf("%s is not planned without the seedless stage", tt.id)
		} else if changed := b.Hash != n.Hash; changed == tt.seed {
			t.Errorf("%s: hash changed %v when the seed was taken away, want %v", tt.id, changed, !tt.seed)
		}
	}
	// The seed's world is untouched by a seedless toolchain elsewhere.
	seed, err := planWith(t, root, "")
	if err != nil {
		t.Fatal(err)
	}
	if h := seed.Find("hello@x86_64"); !h.Seed || h.Bin != nil {
		t.Errorf("hello built by the seed: seed %v, bin %v; want the seed and no bin", h.Seed, h.Bin)
	}
}

// TestSeedlessCross: a cross node's own cc stays deps.cc, and the build
// host's cc comes in beside it for the host programs.
func TestSeedlessCross(t *testing.T) {
	root := seedlessTree(t)
	editFile(t, root, "recipes/core/hello/build.sh", "ZLIB={{ deps.libz }}", "ZLIB={{ deps.libz }} CCPKG={{ deps.cc }}")
	pl, err := planWith(t, root, "t3", "aarch64")
	if err != nil {
		t.Fatal(err)
	}
	n := pl.Find("hello@aarch64/t3")
	want := "maketool@x86_64/t3 libz@aarch64/t3 cc@aarch64/t3 buildgen@x86_64 cc@x86_64/t3 selfcc@x86_64/t2"
	if got := strings.Join(depIDs(n), " "); got != want {
		t.Errorf("deps %q, want %q", got, want)
	}
	if cc := pl.Find("cc@aarch64/t3").Out(); !strings.Contains(n.Script, "CCPKG="+cc) {
		t.Errorf("deps.cc is not the target's cc %s:\n%s", cc, n.Script)
	}
}

func TestSeedlessNeedsSeed(t *testing.T) {
	root := editedTree(t, "stages/stages.toml", `name = "toolchain"
seed = true`, `name = "toolchain"
seed = false
seedless_implicit = ["buildgen"]`)
	_, err := planWith(t, root, "")
	want := `stage "toolchain": seedless_implicit replaces the seed, but the stage has none`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want it to contain %q", err, want)
	}
}
