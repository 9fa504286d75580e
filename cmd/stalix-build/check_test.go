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
	writeFiles(t, root, map[string]string{
		"recipes/t/stamp/recipe.toml": "name = \"stamp\"\nversion = \"1\"\nlicense = \"MIT\"\n[options]\nstatic = false\n",
		"recipes/t/stamp/build.sh":    "{% extends \"base.sh\" %}{% block build %}\nmkdir -p $out/share\necho steady > $out/share/readme\ndate > $out/share/built-at; head -c 16 /dev/urandom | od -An -tx1 >> $out/share/built-at\n{% endblock %}\n",
	})
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

// TestCheckImages: check compares a profile's images too. The links
// package hard-links a file when built with two jobs and copies it with
// one (the rebuild's), which its tree hash cannot see but the rootfs
// tarball records; a profile whose disk has no kernel cannot write its
// images at all. Both must exit 1 and say which image.
func TestCheckImages(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	root, storeDir := project(t, 1)
	writeFiles(t, root, map[string]string{
		"recipes/t/links/recipe.toml": "name = \"links\"\nversion = \"1\"\nlicense = \"MIT\"\n[options]\nstatic = false\n",
		"recipes/t/links/build.sh": `{% extends "base.sh" %}{% block build %}
mkdir -p $out/share
echo same > $out/share/a
if [ "$STALIX_JOBS" = 1 ]; then cp $out/share/a $out/share/b; else ln $out/share/a $out/share/b; fi
{% endblock %}
`,
		"profiles/linked.toml":   "name = \"linked\"\nkernel = \"\"\npackages = [\"links\"]\n[outputs.tar]\n",
		"profiles/nokernel.toml": "name = \"nokernel\"\nkernel = \"\"\npackages = [\"n0\"]\n[outputs.disk]\n",
	})
	bin := binary(t)
	run := func(prof string) (int, string, string) {
		cmd := exec.Command(bin, "check", prof, "--json", "-j", "2", "--root", root, "--store", storeDir)
		cmd.Env = append(os.Environ(), "STALIX_SOURCES="+filepath.Join(storeDir, "..", "sources"))
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stdout.String(), stderr.String()
	}
	type report struct {
		Packages []struct {
			Name         string
			Reproducible bool
		}
		Images []struct {
			Name      string
			Identical bool
		}
	}
	code, out, errs := run("linked")
	var r report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, errs)
	}
	if code != 1 || len(r.Packages) != 1 || !r.Packages[0].Reproducible || len(r.Images) != 1 ||
		r.Images[0].Name != "linked-x86_64.tar.zst" || r.Images[0].Identical || !strings.Contains(errs, "1 of 2 outputs are not reproducible") {
		t.Errorf("want links reproducible and its tarball differing, exit 1; got exit %d\n%s\n%s", code, out, errs)
	}

	code, out, errs = run("nokernel")
	r = report{}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, errs)
	}
	want := "images: x86_64 images from the first store: " + filepath.Join(root, "profiles/nokernel.toml") + ": a disk needs a kernel"
	if code != 1 || !strings.Contains(errs, want) || len(r.Packages) != 1 || !r.Packages[0].Reproducible {
		t.Errorf("want n0 reproducible, then exit 1 with %q; got exit %d\n%s\n%s", want, code, out, errs)
	}
}
