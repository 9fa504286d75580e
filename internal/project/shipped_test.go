package project

import (
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/plan"
)

// TestShippedTree plans every shipped profile for each of its targets and
// renders every recipe for both targets, so a template error in any
// recipe fails here rather than in a long build.
func TestShippedTree(t *testing.T) {
	root, _ := filepath.Abs("../..")
	p, err := Open(Options{Root: root, Dir: root})
	if err != nil {
		t.Fatal(err)
	}
	profiles, _ := filepath.Glob(filepath.Join(root, "profiles", "*.toml"))
	if len(profiles) < 3 {
		t.Fatalf("only %d profiles", len(profiles))
	}
	// Every toolchain of stages.toml: the bootstrap is too long for CI, so
	// CI plans and renders it all instead.
	for _, tc := range []string{"seed", "toolchain2", "toolchain3"} {
		p.Toolchain = tc
		shippedTree(t, p, profiles)
	}
}

func shippedTree(t *testing.T, p *Project, profiles []string) {
	for _, f := range profiles {
		prof, err := p.Profile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, arch := range prof.Targets {
			pl, err := plan.ForProfile(p.Config(), prof, arch)
			if err != nil {
				t.Errorf("%s for %s: %v", f, arch, err)
				continue
			}
			if sys, err := p.System(prof, []string{arch}); err != nil {
				t.Errorf("%s for %s: %v", f, arch, err)
			} else if sys != nil {
				installedKernel(t, f, sys, arch)
			}
			if prof.Init == "runit" {
				var n *plan.Node
				for _, r := range pl.Roots[arch] {
					if r.Name == "runit" {
						n = r
					}
				}
				if n == nil || !strings.Contains(n.Script, "runit-init") {
					t.Errorf("%s: runit is not planned for %s, or its script does not install runit-init", f, arch)
				}
			}
		}
	}
	for _, name := range p.Repo.Names() {
		for _, arch := range []string{"x86_64", "aarch64"} {
			pl, err := plan.ForPackages(p.Config(), arch, name)
			if err != nil {
				t.Errorf("%s for %s: %v", name, arch, err)
				continue
			}
			if n := pl.Roots[arch][0]; strings.TrimSpace(n.Script) == "" {
				t.Errorf("%s for %s built by %s renders an empty script", name, arch, p.Toolchain)
			}
		}
	}
}

// TestBootstrapChain checks what toolchain3 means in the shipped tree: llvm
// built twice (by the seed-based cc, then by the cc wrapping that first
// llvm), and a world whose compiler wrappers name the second one.
func TestBootstrapChain(t *testing.T) {
	root, _ := filepath.Abs("../..")
	p, err := Open(Options{Root: root, Dir: root, Toolchain: "toolchain3"})
	if err != nil {
		t.Fatal(err)
	}
	prof, err := p.Profile("minimal")
	if err != nil {
		t.Fatal(err)
	}
	pl, err := plan.ForProfile(p.Config(), prof)
	if err != nil {
		t.Fatal(err)
	}
	var llvms []string
	for _, n := range pl.Nodes {
		if n.Name == "llvm" {
			llvms = append(llvms, n.ID())
		}
	}
	if strings.Join(llvms, " ") != "llvm@x86_64 llvm@x86_64/toolchain2" {
		t.Fatalf("llvm nodes = %v, want the seed-built one, then the toolchain2-built one", llvms)
	}
	t3 := pl.Find("llvm@x86_64/toolchain2")
	cc := pl.Find("cc@aarch64/toolchain3")
	if cc == nil || !strings.Contains(cc.Script, "driver="+t3.Out()+"/bin/clang") {
		t.Errorf("cc@aarch64/toolchain3 does not wrap %s/bin/clang", t3.Out())
	}
	bb := pl.Find("busybox@aarch64/toolchain3")
	if bb == nil || !containsDep(bb, cc) || !containsDep(bb, t3) {
		t.Errorf("busybox@aarch64/toolchain3 should build with %s and %s", cc.ID(), t3.ID())
	}
	if cmake := pl.Find("cmake"); cmake == nil || cmake.ID() != "cmake@x86_64" {
		t.Errorf("cmake should be built by the seed only, got %v", cmake)
	}
	// With toolchain3 no world sandbox sees the seed: each gets busybox-tools as /bin, and its
	// host programs are built by the build host's cc of toolchain3 (a cross node has both cc's).
	hostCC := pl.Find("cc@x86_64/toolchain3")
	worlds := 0
	for _, n := range pl.Nodes {
		if n.Stage != "world" {
			continue
		}
		if n.Toolchain == "seed" {
			// A world library that a tools-stage recipe links is built as that recipe is, by
			// the seed-based cc for the build host: zlib for libelf (objtool), and nothing else.
			if elf := pl.Find("libelf@x86_64"); n.ID() != "zlib@x86_64" || elf == nil || !containsDep(elf, n) {
				t.Errorf("%s: a seed-built world node that is not libelf's zlib", n.ID())
			}
			continue
		}
		worlds++
		if n.Seed || n.Bin == nil || n.Bin.ID() != "busybox-tools@x86_64" {
			t.Errorf("%s: seed %v, bin %v; want no seed and busybox-tools@x86_64", n.ID(), n.Seed, n.Bin)
		}
		if !containsDep(n, hostCC) {
			t.Errorf("%s does not depend on %s, the build host's cc", n.ID(), hostCC.ID())
		}
		if strings.Contains(n.Script, "HOSTCC=") && !strings.Contains(n.Script, "export HOSTCC=x86_64-linux-musl-cc ") {
			t.Errorf("%s: HOSTCC is not the build host's cc package", n.ID())
		}
		if strings.Contains(n.Script, "/usr/bin/") {
			t.Errorf("%s: the script names /usr/bin, which only the seed has", n.ID())
		}
	}
	if worlds != 6 {
		t.Errorf("checked %d world nodes, want minimal's 6 (busybox, base and linux for each target)", worlds)
	}
	if cmake := pl.Find("cmake@x86_64"); !cc.Seed || cmake == nil || !cmake.Seed {
		t.Errorf("the toolchain stage and the tools stage keep the seed")
	}
}

func containsDep(n, d *plan.Node) bool {
	for _, x := range n.Deps {
		if x == d {
			return true
		}
	}
	return false
}

// installedKernel checks what an install media's system builds: the kernel its
// [install.options] ask for, whose command line ends in the root it names.
func installedKernel(t *testing.T, media string, sys *pack.System, arch string) {
	t.Helper()
	for _, r := range sys.Plan.Roots[arch] {
		if r.Name != sys.Profile.Kernel {
			continue
		}
		root, _ := r.Options["root"].(string)
		if root != "" && !strings.Contains(r.Script, " root="+root+"\"") {
			t.Errorf("%s: the installed kernel for %s does not end its command line in root=%s", media, arch, root)
		}
		return
	}
	t.Errorf("%s: the installed system has no kernel for %s", media, arch)
}

// TestDesktopKernel: the desktop profile's kernel carries desktop.config
// (DRM, input) through the linux recipe's fragments option, on both
// targets, while minimal's kernel, which sets no fragments, does not.
func TestDesktopKernel(t *testing.T) {
	root, _ := filepath.Abs("../..")
	p, err := Open(Options{Root: root, Dir: root})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		profile string
		drm     bool
	}{{"minimal", false}, {"desktop", true}} {
		prof, err := p.Profile(c.profile)
		if err != nil {
			t.Fatal(err)
		}
		for _, arch := range []string{"x86_64", "aarch64"} {
			pl, err := plan.ForProfile(p.Config(), prof, arch)
			if err != nil {
				t.Fatal(err)
			}
			k := pl.Find("linux@" + arch)
			if k == nil {
				t.Fatalf("%s: no linux@%s in the plan", c.profile, arch)
			}
			for _, sym := range []string{"CONFIG_DRM_VIRTIO_GPU=y", "CONFIG_DRM_SIMPLEDRM=y", "CONFIG_INPUT_EVDEV=y", "CONFIG_VIRTIO_INPUT=y", "CONFIG_USB_HID=y"} {
				if got := strings.Contains(k.Script, "\n"+sym+"\n"); got != c.drm {
					t.Errorf("%s: linux@%s script has %s: %v, want %v", c.profile, arch, sym, got, c.drm)
				}
			}
		}
	}
	// A fragment the recipe does not know fails the build, naming it.
	prof, err := p.Profile("desktop")
	if err != nil {
		t.Fatal(err)
	}
	prof.Options["linux"]["fragments"] = []any{"nosuch.config"}
	pl, err := plan.ForProfile(p.Config(), prof, "x86_64")
	if err != nil {
		t.Fatal(err)
	}
	if s := pl.Find("linux@x86_64").Script; !strings.Contains(s, "option fragments names nosuch.config") {
		t.Errorf("an unknown fragment is not refused by the script")
	}
}
