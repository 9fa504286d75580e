package main

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// repoRoot is the checkout this test runs in.
func repoRoot(t *testing.T) string {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func stalix(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = repoRoot(t)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	t.Logf("stalix-build %s", strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		t.Fatalf("stalix-build %s: %v\n%s", strings.Join(args, " "), err, tailText(out.String(), 80))
	}
	return out.String()
}

func tailText(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestMinimalBoots is the integration test: from whatever the store holds
// (nothing, on a fresh machine), build the minimal profile, write its
// images twice and compare them, check every ELF in the root, and boot the
// initramfs and the UEFI disk under QEMU with --check. STALIX_TARGETS
// narrows the targets (default: x86_64 aarch64).
func TestMinimalBoots(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: the integration test builds a whole system")
	}
	targets := bootTargets(t, "mke2fs")
	bin := binary(t)
	stalix(t, bin, "seed")
	// All targets in one run, as a user of a two-target profile would:
	// one scheduler shares the host-side nodes and overlaps the builds.
	out1, out2 := t.TempDir(), t.TempDir()
	var targetArgs []string
	for _, arch := range targets {
		targetArgs = append(targetArgs, "--target", arch)
	}
	stalix(t, bin, append([]string{"image", "profiles/minimal.toml", "--out", out1}, targetArgs...)...)
	stalix(t, bin, append([]string{"image", "profiles/minimal.toml", "--out", out2}, targetArgs...)...)
	s1, _ := os.ReadFile(filepath.Join(out1, "SHA256SUMS"))
	s2, _ := os.ReadFile(filepath.Join(out2, "SHA256SUMS"))
	if len(s1) == 0 || !bytes.Equal(s1, s2) {
		t.Fatalf("two image runs differ:\n%s\n%s", s1, s2)
	}
	for _, arch := range targets {
		t.Run(arch, func(t *testing.T) {
			checkELFs(t, filepath.Join(out1, "minimal-"+arch+".tar.zst"), arch)
			for _, mode := range []string{"--initramfs", "--disk"} {
				got := stalix(t, bin, "boot", "profiles/minimal.toml", "--target", arch, mode, "--check", "--out", out1)
				if !strings.Contains(got, "boot check passed") {
					t.Errorf("boot %s: %s", mode, got)
				}
			}
		})
	}
}

// bootTargets skips t unless QEMU for both targets, apt-get (the seed and sources) and tools
// are on PATH, and returns the targets to boot: STALIX_TARGETS, by default x86_64 and aarch64.
func bootTargets(t *testing.T, tools ...string) []string {
	for _, tool := range append([]string{"qemu-system-x86_64", "qemu-system-aarch64", "apt-get"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (make setup installs it)", tool)
		}
	}
	if targets := strings.Fields(os.Getenv("STALIX_TARGETS")); len(targets) > 0 {
		return targets
	}
	return []string{"x86_64", "aarch64"}
}

// checkELFs reads every ELF in the rootfs tarball: it must be for arch
// and static (no interpreter, no needed libraries).
func checkELFs(t *testing.T, tarball, arch string) {
	want := map[string]elf.Machine{"x86_64": elf.EM_X86_64, "aarch64": elf.EM_AARCH64}[arch]
	f, err := os.Open(tarball)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := zstd.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	n := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("\x7fELF")) {
			continue
		}
		n++
		ef, err := elf.NewFile(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", h.Name, err)
			continue
		}
		if ef.Machine != want {
			t.Errorf("%s: machine %v, want %v", h.Name, ef.Machine, want)
		}
		for _, p := range ef.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("%s: has an ELF interpreter: not static", h.Name)
			}
		}
		if libs, _ := ef.ImportedLibraries(); len(libs) > 0 {
			t.Errorf("%s: needs %v: not static", h.Name, libs)
		}
	}
	if n == 0 {
		t.Errorf("%s holds no ELF file at all", tarball)
	}
	t.Logf("%s: %d ELF files, all %s and static", filepath.Base(tarball), n, arch)
}

// TestBootBuildsOneTarget: boot without --target boots the profile's first
// target, so it builds that one only. The kernel is a stand-in QEMU cannot
// boot (or QEMU is missing): boot fails after building, either way.
func TestBootBuildsOneTarget(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	root, storeDir := project(t, 1)
	writeFiles(t, root, map[string]string{
		"recipes/t/kern/recipe.toml": "name = \"kern\"\nversion = \"1\"\nlicense = \"MIT\"\n[options]\nstatic = false\n",
		"recipes/t/kern/build.sh":    "{% extends \"base.sh\" %}{% block build %}\nmkdir -p $out/boot\necho not a kernel > $out/boot/vmlinuz\n{% endblock %}\n",
		"profiles/two.toml":          "name = \"two\"\ntargets = [\"x86_64\", \"aarch64\"]\nkernel = \"kern\"\npackages = [\"n0\"]\n[outputs.initramfs]\n",
	})
	bin := binary(t)
	common := []string{"--root", root, "--store", storeDir}
	cmd := exec.Command(bin, append([]string{"boot", "two", "--check", "--timeout", "20s", "--out", t.TempDir()}, common...)...)
	cmd.Env = append(os.Environ(), "STALIX_SOURCES="+filepath.Join(storeDir, "..", "sources"))
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "boot check of initramfs") {
		t.Fatalf("boot of a stand-in kernel: %v\n%s", err, out)
	}
	plan, err := exec.Command(bin, append([]string{"plan", "two", "--json"}, common...)...).Output()
	if err != nil {
		t.Fatal(err)
	}
	var nodes []struct {
		Name, Target string
		Cached       bool
	}
	if err := json.Unmarshal(plan, &nodes); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if n.Cached != (n.Target == "x86_64") {
			t.Errorf("%s@%s: in the store %v; boot should build x86_64 only", n.Name, n.Target, n.Cached)
		}
	}
	if len(nodes) != 4 {
		t.Errorf("planned %d nodes, want n0 and kern for each target", len(nodes))
	}
}
