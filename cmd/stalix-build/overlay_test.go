package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"debug/elf"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// tarball writes a .tar.gz holding name-1.0/ with the given files, in sorted order.
func tarball(t *testing.T, path, name string, files map[string]string) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range slices.Sorted(maps.Keys(files)) {
		body := files[f]
		tw.WriteHeader(&tar.Header{Name: name + "-1.0/" + f, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOverlayCPrograms is what a user with out-of-tree packages does: an
// overlay of three C programs, their sources imported by hash, built in
// the sandbox by the toolchain, in parallel with progress lines. Each
// output must be a static x86-64 ELF that runs and says its name.
func TestOverlayCPrograms(t *testing.T) {
	bin := seeded(t)
	ov := t.TempDir()
	src := t.TempDir()
	// A fresh comment per run gives fresh hashes, so a warm store still
	// builds them and the progress lines can be checked.
	nonce := time.Now().UnixNano()
	var names []string
	for i, name := range []string{"hello", "count", "echoargs"} {
		names = append(names, fmt.Sprintf("%q", name))
		file := filepath.Join(src, name+"-1.0.tar.gz")
		tarball(t, file, name, map[string]string{
			name + ".c": fmt.Sprintf("/* run %d */\n#include <stdio.h>\nint main(void) { for (int i = 0; i < %d; i++) ; printf(\"%s from stalix\\n\"); return 0; }\n", nonce, i+1, name),
			"Makefile":  fmt.Sprintf("%s: %s.c\n\t$(CC) $(CFLAGS) -o %s %s.c\ninstall: %s\n\tmkdir -p $(PREFIX)/bin\n\tcp %s $(PREFIX)/bin/\n", name, name, name, name, name, name),
		})
		sum := strings.Fields(stalix(t, bin, "sources", "import", file))[1] // "sha256 <sum>  <file>"
		dir := filepath.Join(ov, "local", name)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte(fmt.Sprintf("name = %q\nversion = \"1.0\"\nlicense = \"MIT\"\n[[source]]\nfile = \"%s-1.0.tar.gz\"\nurl = \"https://example.invalid/%s-1.0.tar.gz\"\nsha256 = %q\nstrip = 1\n", name, name, name, sum)), 0o644)
		os.WriteFile(filepath.Join(dir, "build.sh"), []byte(`{% extends "make.sh" %}`), 0o644)
	}
	prof := filepath.Join(ov, "progs.toml")
	os.WriteFile(prof, []byte("name = \"progs\"\nkernel = \"\"\npackages = ["+strings.Join(names, ", ")+"]\n"), 0o644)

	out := stalix(t, bin, "build", prof, "--recipes", ov, "-j", "2")
	for _, n := range []string{"hello", "count", "echoargs"} {
		if !strings.Contains(out, "start "+n+"@x86_64") || !strings.Contains(out, "done "+n+"@x86_64") {
			t.Errorf("no progress lines for %s:\n%s", n, out)
		}
	}
	var rows []struct {
		Name, Out string
		Cached    bool
	}
	if err := json.Unmarshal([]byte(stalix(t, bin, "plan", prof, "--recipes", ov, "--json")), &rows); err != nil {
		t.Fatal(err)
	}
	storeDir := os.Getenv("STALIX_STORE")
	if storeDir == "" {
		home, _ := os.UserCacheDir()
		storeDir = filepath.Join(home, "stalix", "store")
	}
	for _, r := range rows {
		if !r.Cached {
			t.Errorf("%s is not in the store after the build", r.Name)
		}
		if r.Name != "hello" && r.Name != "count" && r.Name != "echoargs" {
			continue
		}
		exe := filepath.Join(storeDir, filepath.Base(r.Out), "bin", r.Name)
		f, err := elf.Open(exe)
		if err != nil {
			t.Fatal(err)
		}
		libs, _ := f.ImportedLibraries()
		if f.Machine != elf.EM_X86_64 || len(libs) > 0 {
			t.Errorf("%s: machine %v, needs %v: want a static x86-64 ELF", exe, f.Machine, libs)
		}
		f.Close()
		got, err := exec.Command(exe).Output()
		if err != nil || string(got) != r.Name+" from stalix\n" {
			t.Errorf("%s printed %q (%v)", exe, got, err)
		}
	}
}
