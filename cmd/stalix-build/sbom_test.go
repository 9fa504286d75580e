package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdxlib"

	"stalix.dev/stalix-build/internal/recipe"
)

// TestMinimalSBOM: image writes an SBOM beside SHA256SUMS that an SPDX
// parser accepts, the same bits twice, naming every node of the plan with
// a license and its store path and the images with the sums SHA256SUMS
// lists; `sbom` prints those bytes; `sources bundle` holds every source
// the SBOM names, whole.
func TestMinimalSBOM(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: builds the minimal profile")
	}
	for _, tool := range []string{"mke2fs", "apt-get", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (make setup installs it)", tool)
		}
	}
	bin := binary(t)
	stalix(t, bin, "seed")
	out1, out2 := t.TempDir(), t.TempDir()
	args := []string{"profiles/minimal.toml", "--target", "x86_64"}
	stalix(t, bin, append([]string{"image", "--out", out1}, args...)...)
	stalix(t, bin, append([]string{"image", "--out", out2}, args...)...)
	name := "minimal-x86_64.spdx.json"
	doc1, err := os.ReadFile(filepath.Join(out1, name))
	if err != nil {
		t.Fatal(err)
	}
	if doc2, _ := os.ReadFile(filepath.Join(out2, name)); !bytes.Equal(doc1, doc2) {
		t.Fatal("two image runs wrote different SBOMs")
	}
	sums, _ := os.ReadFile(filepath.Join(out1, "SHA256SUMS"))
	if !strings.Contains(string(sums), "  "+name+"\n") {
		t.Errorf("SHA256SUMS does not list the SBOM:\n%s", sums)
	}
	printed := stalixStdout(t, bin, append([]string{"sbom", "--out", out1}, args...)...)
	if printed != string(doc1) {
		t.Error("stalix-build sbom printed other bytes than image wrote")
	}

	doc, err := spdxjson.Read(bytes.NewReader(doc1))
	if err != nil {
		t.Fatalf("tools-golang rejects the SBOM: %v", err)
	}
	if err := spdxlib.ValidateDocument(doc); err != nil {
		t.Fatal(err)
	}
	byOut := map[string]string{} // store path -> declared license
	sources := map[string]bool{}
	for _, p := range doc.Packages {
		for _, r := range p.PackageExternalReferences {
			if r.RefType == "stalix-store-path" {
				byOut[r.Locator] = p.PackageLicenseDeclared
			}
		}
		if p.PrimaryPackagePurpose == "SOURCE" {
			sources[p.PackageChecksums[0].Value] = true
		}
	}
	var rows []struct{ Name, Out string }
	if err := json.Unmarshal([]byte(stalixStdout(t, bin, append([]string{"plan", "--json"}, args...)...)), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		lic, ok := byOut[r.Out]
		if !ok {
			t.Errorf("%s (%s) is in the plan but not in the SBOM", r.Name, r.Out)
		} else if err := recipe.CheckLicense(lic); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
	}
	for _, f := range doc.Files {
		if len(f.FileTypes) > 0 && f.FileTypes[0] == "SOURCE" {
			continue // a patch
		}
		for _, c := range f.Checksums {
			if c.Algorithm == "SHA256" && !strings.Contains(string(sums), c.Value+"  "+strings.TrimPrefix(f.FileName, "./")+"\n") {
				t.Errorf("%s: sha256 %s is not what SHA256SUMS lists", f.FileName, c.Value)
			}
		}
	}

	dir := filepath.Join(t.TempDir(), "bundle")
	stalix(t, bin, append([]string{"sources", "bundle", "profiles/minimal.toml", dir}, args[1:]...)...)
	check := exec.Command("sha256sum", "--check", "--strict", "--quiet", "SHA256SUMS")
	check.Dir = dir
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("sha256sum -c in the bundle: %v\n%s", err, out)
	}
	list, _ := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	for sha := range sources {
		if !strings.Contains(string(list), sha+"  sources/") {
			t.Errorf("source %s named by the SBOM is not in the bundle", sha)
		}
	}
}

// stalixStdout runs the tool and returns its standard output alone.
func stalixStdout(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = repoRoot(t)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("stalix-build %s: %v\n%s", strings.Join(args, " "), err, tailText(stderr.String(), 40))
	}
	return stdout.String()
}
