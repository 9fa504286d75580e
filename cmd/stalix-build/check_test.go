package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckCatchesUnreproducible runs check on two packages over the
// busybox stand-in seed: one writes the same bytes every time and must
// pass; the other writes the time and must be reported with its file.
func TestCheckCatchesUnreproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	root, storeDir := project(t, 1)
	write := func(p, s string) {
		p = filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("recipes/t/stamp/recipe.toml", "name = \"stamp\"\nversion = \"1\"\n[options]\nstatic = false\n")
	write("recipes/t/stamp/build.sh", "{% extends \"base.sh\" %}{% block build %}\nmkdir -p $out/share\necho steady > $out/share/readme\ndate > $out/share/built-at; head -c 16 /dev/urandom | od -An -tx1 >> $out/share/built-at\n{% endblock %}\n")
	bin := binary(t)
	env := append(os.Environ(), "STALIX_SOURCES="+filepath.Join(storeDir, "..", "sources"))
	run := func(pkg string) (int, string) {
		cmd := exec.Command(bin, "check", pkg, "--json", "--root", root, "--store", storeDir)
		cmd.Env = env
		out, err := cmd.Output()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, string(out)
	}
	code, out := run("n0")
	if code != 0 || !strings.Contains(out, `"reproducible": true`) {
		t.Fatalf("a reproducible package failed the check (exit %d):\n%s", code, out)
	}
	code, out = run("stamp")
	if code != 1 {
		t.Fatalf("an unreproducible package passed the check:\n%s", out)
	}
	var report struct {
		Packages []struct {
			Name         string
			Reproducible bool
			Files        []struct{ Path string } `json:"differing_files"`
		}
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	p := report.Packages
	if len(p) != 1 || p[0].Reproducible || len(p[0].Files) != 1 || p[0].Files[0].Path != "share/built-at" {
		t.Errorf("want exactly share/built-at reported, got %+v", p)
	}
}
