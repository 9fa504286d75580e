package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeRecipe writes an overlay recipe: recipe.toml, build.sh and extra
// files, under ov/test/name.
func writeRecipe(t *testing.T, ov, name, toml, script string, files map[string]string) {
	t.Helper()
	dir := filepath.Join(ov, "test", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files["recipe.toml"], files["build.sh"] = toml, script
	for f, body := range files {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// seeded skips in short mode or without the tools named, else builds the
// binary and makes sure the seed is in the store, for tests that build in
// the sandbox with the toolchain.
func seeded(t *testing.T, tools ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("short mode: needs the seed and the toolchain")
	}
	for _, tool := range append([]string{"apt-get"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (apt-get install %s; apt-get fetches the seed and toolchain sources)", tool, tool)
		}
	}
	bin := binary(t)
	stalix(t, bin, "seed")
	return bin
}

// cached reports whether the plan of pkg in the overlay says the store has it.
func cached(t *testing.T, bin, ov, pkg string) bool {
	t.Helper()
	var rows []struct {
		Name   string
		Cached bool
	}
	if err := json.Unmarshal([]byte(stalix(t, bin, "plan", pkg, "--recipes", ov, "--json")), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Name == pkg {
			return r.Cached
		}
	}
	t.Fatalf("%s not planned", pkg)
	return false
}

// TestGitSourceAndPatches builds a program from a git tag's tree, imported
// the way recipes/README.md says, with a patch applied in Go; then the
// same with a patch that does not apply, which must fail naming the hunk
// and leave nothing in the store.
func TestGitSourceAndPatches(t *testing.T) {
	bin := seeded(t, "git")
	repo := filepath.Join(t.TempDir(), "hello")
	git := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	os.MkdirAll(repo, 0o755)
	// A fresh comment per run gives a fresh tree, so the build really runs.
	hello := fmt.Sprintf("/* run %d */\n#include <stdio.h>\n\nint main(void)\n{\n\tputs(\"hello from git\");\n\treturn 0;\n}\n", time.Now().UnixNano())
	os.WriteFile(filepath.Join(repo, "hello.c"), []byte(hello), 0o644)
	os.WriteFile(filepath.Join(repo, "Makefile"), []byte("hello: hello.c\n\t$(CC) $(CFLAGS) -o hello hello.c\ninstall: hello\n\tmkdir -p $(PREFIX)/bin\n\tcp hello $(PREFIX)/bin/\n"), 0o644)
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "hello")
	git("tag", "v1.0")

	archive := filepath.Join(t.TempDir(), "v1.0.tar")
	git("archive", "-o", archive, "v1.0")
	out := stalix(t, bin, "sources", "import", archive)
	var tree string
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "tree" {
			tree = f[1]
		}
	}
	if len(tree) != 64 {
		t.Fatalf("no tree hash in:\n%s", out)
	}
	ov := t.TempDir()
	source := fmt.Sprintf("[[source]]\ngit = \"https://example.invalid/hello.git\"\nref = \"v1.0\"\ntree = %q\n", tree)
	good := "--- a/hello.c\n+++ b/hello.c\n@@ -4,5 +4,5 @@\n int main(void)\n {\n-\tputs(\"hello from git\");\n+\tputs(\"hello from git, patched\");\n \treturn 0;\n }\n"
	writeRecipe(t, ov, "githello", "name = \"githello\"\nversion = \"1.0\"\npatches = [\"patched.patch\"]\nlicense = \"MIT\"\n"+source,
		`{% extends "make.sh" %}`, map[string]string{"patched.patch": good})
	stalix(t, bin, "build", "githello", "--recipes", ov)
	exe := strings.TrimSpace(stalix(t, bin, "path", "githello", "--recipes", ov))
	if got, err := exec.Command(filepath.Join(exe, "bin", "hello")).Output(); err != nil || string(got) != "hello from git, patched\n" {
		t.Errorf("hello printed %q (%v)", got, err)
	}

	bad := strings.Replace(good, " \treturn 0;\n", " \treturn 1;\n", 1)
	writeRecipe(t, ov, "badpatch", "name = \"badpatch\"\nversion = \"1.0\"\n# this one does not apply\npatches = [\"stale.patch\"]\nlicense = \"MIT\"\n"+source,
		`{% extends "make.sh" %}`, map[string]string{"stale.patch": bad})
	out, ok := stalixEnv(t, bin, nil, "build", "badpatch", "--recipes", ov)
	if ok {
		t.Fatalf("a patch that does not apply built:\n%s", out)
	}
	for _, want := range []string{
		filepath.Join(ov, "test/badpatch/recipe.toml") + ":4: patches: stale.patch: hunk 1 of hello.c (stale.patch:3, @@ -4,5 +4,5 @@) does not apply",
		`line 7 of hello.c is "\treturn 0;", the hunk expects "\treturn 1;"`,
		"Fix: refresh stale.patch",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if cached(t, bin, ov, "badpatch") {
		t.Error("the failed build is in the store")
	}
}

// TestBadInputBuilds: two static libraries defining one symbol, linked
// into one program, fail with an error naming both libraries and the
// symbol, and nothing of the program is committed.
func TestBadInputBuilds(t *testing.T) {
	bin := seeded(t)
	ov := t.TempDir()
	nonce := time.Now().UnixNano()
	lib := func(name string) string {
		return fmt.Sprintf(`{%% extends "base.sh" %%}
{%% block build %%}
# run %d
printf 'int list_init(void) { return 1; }\nint %s_func(void) { return 2; }\n' > list.c
$CC $CFLAGS -c list.c -o list.o
$AR rcs %s.a list.o
{%% endblock %%}
{%% block install %%}mkdir -p "$out/lib" && cp %s.a "$out/lib/"{%% endblock %%}
`, nonce, name, name, name)
	}
	for _, name := range []string{"liba", "libb"} {
		writeRecipe(t, ov, name, "name = \""+name+"\"\nversion = \"1\"\nlicense = \"MIT\"\n", lib(name), map[string]string{})
	}
	writeRecipe(t, ov, "dupapp", "name = \"dupapp\"\nversion = \"1\"\nlicense = \"MIT\"\n[deps]\nlibs = [\"liba\", \"libb\"]\n", `{% extends "base.sh" %}
{% block build %}
printf 'int liba_func(void); int libb_func(void);\nint main(void) { return liba_func() + libb_func(); }\n' > main.c
$CC $CFLAGS main.c {{ deps.liba }}/lib/liba.a {{ deps.libb }}/lib/libb.a -o dupapp
{% endblock %}
{% block install %}mkdir -p "$out/bin" && cp dupapp "$out/bin/"{% endblock %}
`, map[string]string{})
	out, ok := stalixEnv(t, bin, nil, "build", "dupapp", "--recipes", ov)
	if ok {
		t.Fatalf("the clashing link built:\n%s", out)
	}
	want := filepath.Join(ov, "test/dupapp/recipe.toml") + ": liba and libb both define list_init: rename it in one of them (see recipes/README.md, symbol renaming)"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	if cached(t, bin, ov, "dupapp") {
		t.Error("the failed build is in the store")
	}
}
