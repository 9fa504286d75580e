package plan

import (
	"path/filepath"
	"strings"
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

// Libraries flow: a node gets its libs' own libs as inputs, in link
// order, and its template sees them apart from its tools.
func TestLibsFlow(t *testing.T) {
	root := "testdata/tree"
	repo, err := recipe.Open(filepath.Join(root, "recipes"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := LoadStages(filepath.Join(root, "stages", "stages.toml"))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := ForPackages(Config{Repo: repo, Stages: st, SeedHash: "seed0"}, "aarch64", "viewer")
	if err != nil {
		t.Fatal(err)
	}
	v, png, z := pl.Find("viewer"), pl.Find("gfx"), pl.Find("libz")
	if len(v.Libs) != 2 || v.Libs[0] != png || v.Libs[1] != z {
		t.Fatalf("viewer's libs: %v, want gfx then libz", outs(v.Libs))
	}
	if !containsNode(v.Inputs(), z) || containsNode(v.Deps, z) {
		t.Errorf("viewer's inputs lack libz, which gfx links, or its hashed deps have it: %v", depIDs(v))
	}
	if want := `LIBS="` + png.Out() + ";" + z.Out() + `;"`; !strings.Contains(v.Script, want) {
		t.Errorf("script lacks %s:\n%s", want, v.Script)
	}
	// The tool libz needs stays a tool: it is not a library of viewer.
	if strings.Contains(v.Script, pl.Find("maketool").Out()) {
		t.Errorf("a tool reached the libs: %s", v.Script)
	}
}

// The shipped base template hands libraries to the build through the
// variables build systems read, and keeps pkg-config off the seed's and
// the host's .pc files.
func TestShippedLibsFlow(t *testing.T) {
	pl, err := ForPackages(shipped(t), Host, "libelf")
	if err != nil {
		t.Fatal(err)
	}
	n, z := pl.Find("libelf"), pl.Find("zlib")
	for _, want := range []string{
		`CPPFLAGS="-I` + z.Out() + `/include"`,
		`LDFLAGS=" -L` + z.Out() + `/lib"`,
		`PKG_CONFIG_LIBDIR="` + z.Out() + "/lib/pkgconfig:" + z.Out() + "/share/pkgconfig:" + n.Out() + `/lib/pkgconfig"`,
		`PKG_CONFIG="pkg-config --static"`,
		`CMAKE_PREFIX_PATH="` + z.Out() + `"`,
	} {
		if !strings.Contains(n.Script, want) {
			t.Errorf("libelf's script lacks %s", want)
		}
	}
	if strings.Contains(n.Script, "/usr/lib/pkgconfig") || strings.Contains(n.Script, "/usr/share/pkgconfig") {
		t.Error("pkg-config may see the seed's or the host's .pc files")
	}
}

// Under a seedless toolchain, the stage's host libraries reach the build's
// host programs (objtool) through HOSTCFLAGS and HOSTLDFLAGS.
func TestSeedlessHostLibs(t *testing.T) {
	cfg := shipped(t)
	cfg.Toolchain = "toolchain3"
	pl, err := ForPackages(cfg, "x86_64", "linux")
	if err != nil {
		t.Fatal(err)
	}
	var linux *Node
	for _, n := range pl.Nodes {
		if n.Name == "linux" {
			linux = n
		}
	}
	var elf, z *Node
	for _, d := range linux.Inputs() {
		switch d.Name {
		case "libelf":
			elf = d
		case "zlib":
			z = d
		}
	}
	if elf == nil || z == nil {
		t.Fatalf("seedless linux lacks libelf or zlib: %v", depIDs(linux))
	}
	for _, want := range []string{
		`HOSTCFLAGS="-I` + elf.Out() + "/include -I" + z.Out() + `/include"`,
		`HOSTLDFLAGS="-L` + elf.Out() + "/lib -L" + z.Out() + `/lib"`,
	} {
		if !strings.Contains(linux.Script, want) {
			t.Errorf("linux's script lacks %s", want)
		}
	}
}

// A freestanding recipe (the kernel) does not wait for cc and the musl it
// carries under a seed; under a seedless toolchain it gets the build host's
// cc for its host programs, and still not the target's.
func TestFreestanding(t *testing.T) {
	cfg := shipped(t)
	for _, tc := range []struct {
		toolchain, target string
		want, not         []string // node IDs among linux's inputs, or not
	}{
		{"", "x86_64", nil, []string{"cc@x86_64", "musl@x86_64"}},
		{"", "aarch64", nil, []string{"cc@aarch64", "cc@x86_64", "musl@aarch64"}},
		{"toolchain3", "aarch64", []string{"cc@x86_64/toolchain3"}, []string{"cc@aarch64/toolchain3"}},
	} {
		cfg.Toolchain = tc.toolchain
		pl, err := ForPackages(cfg, tc.target, "linux", "busybox")
		if err != nil {
			t.Fatal(err)
		}
		linux, busybox := pl.Roots[tc.target][0], pl.Roots[tc.target][1]
		ids := map[string]bool{}
		for _, d := range linux.Inputs() {
			ids[d.ID()] = true
		}
		for _, id := range tc.want {
			if !ids[id] {
				t.Errorf("%s (%s): linux lacks %s: %v", tc.target, tc.toolchain, id, depIDs(linux))
			}
		}
		for _, id := range tc.not {
			if ids[id] {
				t.Errorf("%s (%s): linux waits for %s: %v", tc.target, tc.toolchain, id, depIDs(linux))
			}
		}
		if !reaches(busybox, "musl") {
			t.Errorf("%s (%s): busybox, which is not freestanding, lost musl: %v", tc.target, tc.toolchain, depIDs(busybox))
		}
	}
}
