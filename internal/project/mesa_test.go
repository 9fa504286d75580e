package project

import (
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/plan"
)

// TestMesaStatic: the mesa recipe plans on both targets as a static build
// with its megadriver linked in: softpipe without LLVM, no Vulkan or GLX,
// the loader patch applied, and .pc files that name libgallium_dri.a for
// whoever links libEGL or libgbm.
func TestMesaStatic(t *testing.T) {
	root, _ := filepath.Abs("../..")
	p, err := Open(Options{Root: root, Dir: root})
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"x86_64", "aarch64"} {
		pl, err := plan.ForPackages(p.Config(), arch, "mesa")
		if err != nil {
			t.Fatalf("%s: %v", arch, err)
		}
		n := pl.Find("mesa@" + arch)
		if n == nil {
			t.Fatalf("no mesa@%s in the plan", arch)
		}
		if len(n.Patches) != 1 || n.Patches[0].Name != "static-dri.patch" {
			t.Errorf("mesa@%s: patches %v, want static-dri.patch", arch, n.Patches)
		}
		for _, s := range []string{"-Dgallium-drivers=swrast ", "-Dllvm=disabled ", "-Dvulkan-drivers= ",
			"-Dglx=disabled ", "-Dplatforms=wayland ", "-Dgbm=enabled ", "-Dgles2=enabled ",
			"--default-library=static", "-lgallium_dri -lglapi"} {
			if !strings.Contains(n.Script, s) {
				t.Errorf("mesa@%s: the script lacks %q", arch, s)
			}
		}
	}
}
