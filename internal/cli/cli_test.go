package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestVerbs(t *testing.T) {
	root, _ := filepath.Abs("../plan/testdata/tree")
	store := t.TempDir()
	common := []string{"--root", root, "--store", store}
	cases := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"plan", []string{"plan", "demo"}, 0, "7 nodes (* = in the store)", ""},
		{"plan path", []string{"plan", filepath.Join(root, "profiles/demo.toml"), "--target", "aarch64"}, 0, "hello-2.12", ""},
		{"plan package", []string{"plan", "libz"}, 0, "libz-1.2.13", ""},
		{"graph", []string{"graph", "demo"}, 0, `"hello@x86_64" -> "libz@x86_64";`, ""},
		{"why", []string{"why", "demo", "maketool"}, 0, "hello@x86_64 -> maketool@x86_64", ""},
		{"why unknown", []string{"why", "demo", "makettool"}, 1, "", `did you mean maketool?`},
		{"render", []string{"render", "hello", "--target", "aarch64"}, 0, "GREETING=hej", ""},
		{"ls empty", []string{"ls"}, 0, "0 entries", ""},
		{"gc empty", []string{"gc"}, 0, "0 entries removed", ""},
		{"no args", []string{"plan"}, 2, "", "want one PROFILE or PKG"},
		{"bad flag", []string{"plan", "--nope", "demo"}, 2, "", "flag provided but not defined"},
		{"missing profile", []string{"plan", "nosuch"}, 1, "", `"nosuch" is no profile (no profiles/nosuch.toml) and no package`},
		{"misspelt package", []string{"path", "libzz"}, 1, "", `did you mean libz?`},
		{"missing profile path", []string{"plan", "profiles/nosuch.toml"}, 1, "", "no such file"},
		{"bad target", []string{"plan", "demo", "--target", "riscv"}, 1, "", "no target riscv"},
		{"missing overlay", []string{"plan", "demo", "--recipes", "/nonexistent"}, 1, "", "does not exist"},
		{"log missing", []string{"log", "hello"}, 1, "", "no build log"},
		{"help", []string{"plan", "--help"}, 0, "", "usage: stalix-build plan"},
		{"plan toolchain", []string{"plan", "demo", "--target", "x86_64", "--toolchain", "t3"}, 0, "compiler   selfcc-9               x86_64/t2 /ix/store/", ""},
		{"plan unknown toolchain", []string{"plan", "demo", "--toolchain", "t9"}, 1, "", `--toolchain: unknown toolchain "t9" (toolchains: [seed t2 t3])`},
		{"compare one toolchain", []string{"compare", "hello", "--by", "seed"}, 2, "", "two --by"},
		{"compare unknown toolchain", []string{"compare", "hello", "--by", "seed", "--by", "t9"}, 1, "", `--by: unknown toolchain "t9"`},
		{"path not built", []string{"path", "libz"}, 1, "", "libz@x86_64 is not in the store"},
		{"path of a profile", []string{"path", "demo"}, 2, "", "want a package"},
		{"boot two targets", []string{"boot", "demo", "--target", "x86_64", "--target", "aarch64"}, 2, "", "one target at a time"},
		{"boot a package", []string{"boot", "libz"}, 2, "", "libz is a package; this command wants a profile"},
		// Flag combinations fail before anything is planned: a profile that does not exist is not looked for.
		{"boot disk and initramfs", []string{"boot", "nosuch", "--disk", "--initramfs"}, 2, "", "--disk and --initramfs exclude each other"},
		{"boot root device without disk", []string{"boot", "nosuch", "--root-device", "nvme"}, 2, "", "--root-device is for --disk boots"},
		{"boot installed disk alone", []string{"boot", "nosuch", "--installed-disk", "x.img"}, 2, "", "--installed-disk is for --install-check"},
		{"run-node print a profile", []string{"run-node", "--print", "demo"}, 2, "", "want a package, not a profile"},
		{"run-node two files", []string{"run-node", "a.json", "b.json"}, 2, "", "want one FILE, or --print PKG"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{c.args[0]}, append(append([]string(nil), common...), c.args[1:]...)...)
			code, out, errs := run(t, args...)
			if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errs, c.err) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout ~ %q, stderr ~ %q", code, c.code, out, errs, c.out, c.err)
			}
		})
	}
	if code, _, _ := run(t); code != 2 {
		t.Errorf("no verb: exit %d, want 2", code)
	}
	if code, _, errs := run(t, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown verb: exit %d %s", code, errs)
	}
}

func TestPlanJSON(t *testing.T) {
	root, _ := filepath.Abs("../plan/testdata/tree")
	code, out, errs := run(t, "plan", "--root", root, "--store", t.TempDir(), "--json", "demo")
	if code != 0 {
		t.Fatal(errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, k := range []string{"name", "version", "out", "cached"} {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("JSON lacks %q: %v", k, rows[0])
		}
	}
}

// TestFetchWrongHash: a recipe overlay pinning a wrong sha256 gets an
// error naming the recipe and both hashes, and the cache keeps nothing.
func TestFetchWrongHash(t *testing.T) {
	root, _ := filepath.Abs("../plan/testdata/tree")
	ov := t.TempDir()
	dir := filepath.Join(ov, "local", "libz")
	os.MkdirAll(dir, 0o755)
	want := strings.Repeat("0", 64)
	os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte("name = \"libz\"\nversion = \"1.2.13\"\nlicense = \"Zlib\"\n[[source]]\nurl = \"https://example.invalid/libz-1.2.13.tar.gz\"\nsha256 = \""+want+"\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "build.sh"), []byte(`{% extends "base.sh" %}`), 0o644)
	mirror := t.TempDir()
	os.WriteFile(filepath.Join(mirror, "libz-1.2.13.tar.gz"), []byte("not what was pinned"), 0o644)
	cache := t.TempDir()
	t.Setenv("STALIX_SOURCES", cache)
	t.Setenv("STALIX_MIRRORS", mirror)
	code, _, errs := run(t, "fetch", "--root", root, "--store", t.TempDir(), "--recipes", ov, "libz")
	if code != 1 || !strings.Contains(errs, filepath.Join(ov, "local/libz/recipe.toml")) || !strings.Contains(errs, want) {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got := sha256.Sum256([]byte("not what was pinned"))
	if !strings.Contains(errs, hex.EncodeToString(got[:])) {
		t.Errorf("error does not name the actual sha256: %s", errs)
	}
	if left, _ := os.ReadDir(cache); len(left) != 0 {
		t.Errorf("cache kept %d files after a mismatch", len(left))
	}
}

// TestInstallProfiles: the verbs take an install media's system along (its sources, its
// plan), and say what is wrong with a bad [install].
func TestInstallProfiles(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS("../plan/testdata/tree")); err != nil {
		t.Fatal(err)
	}
	profiles := map[string]string{
		"media":    "name = \"media\"\ntargets = [\"x86_64\"]\npackages = [\"libz\"]\nkernel = \"\"\n[install]\nprofile = \"demo\"\n[install.options.hello]\ngreeting = \"moin\"\n",
		"nested":   "name = \"nested\"\nkernel = \"\"\n[install]\nprofile = \"media\"\n",
		"missing":  "name = \"missing\"\nkernel = \"\"\n[install]\nprofile = \"nosuch\"\n",
		"xonly":    "name = \"xonly\"\ntargets = [\"x86_64\"]\npackages = [\"hello\"]\nkernel = \"\"\n",
		"armmedia": "name = \"armmedia\"\ntargets = [\"aarch64\"]\nkernel = \"\"\n[install]\nprofile = \"xonly\"\n",
	}
	for name, text := range profiles {
		if err := os.WriteFile(filepath.Join(root, "profiles", name+".toml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	flags := []string{"--root", root, "--store", t.TempDir()}
	cases := []struct {
		args []string
		err  string
	}{
		// The system's sources are the media's too: hello comes only from demo.
		{[]string{"fetch", "media", "--offline"}, "hello-2.12.tar.gz"},
		{[]string{"build", "missing"}, `install.profile "nosuch": no nosuch.toml beside it or in ` + filepath.Join(root, "profiles")},
		{[]string{"build", "nested"}, `install.profile "media" is itself an install media`},
		{[]string{"build", "armmedia"}, "which has no target aarch64"},
	}
	for _, c := range cases {
		args := append([]string{c.args[0]}, append(append([]string(nil), flags...), c.args[1:]...)...)
		code, out, errs := run(t, args...)
		if code != 1 || !strings.Contains(errs, c.err) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and %q\n%s", c.args, code, errs, c.err, out)
		}
	}
	planArgs := append([]string{"plan"}, append(append([]string(nil), flags...), "media")...)
	if code, out, errs := run(t, planArgs...); code != 0 || !strings.Contains(out, "installs demo (") || !strings.Contains(out, "hello-2.12") {
		t.Errorf("plan media: exit %d, want the system's nodes after \"installs demo\":\n%s%s", code, out, errs)
	}
}

// TestSubcommands: a verb's first word alone lists its subcommands, and an
// unknown subcommand or a stray argument is a usage error, not a run.
func TestSubcommands(t *testing.T) {
	for _, c := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"cache"}, 2, "", "cache push"},
		{[]string{"cache", "--help"}, 0, "cache keygen", ""},
		{[]string{"sources", "bogus"}, 2, "", `stalix-build sources: unknown command "bogus"`},
		{[]string{"sources", "import"}, 2, "", "want at least one FILE"},
		{[]string{"seed", "updat", "--store", t.TempDir()}, 2, "", "want no arguments, or seed update"},
		{[]string{"cache", "keygen"}, 2, "", "stalix-build cache keygen: want one NAME"},
		// A cache.ArgError is the command line's too.
		{[]string{"cache", "keygen", "bad:name", "--dir", t.TempDir()}, 2, "", "(see stalix-build cache keygen --help)"},
		{[]string{"--help"}, 0, "sources import", ""},
	} {
		code, out, errs := run(t, c.args...)
		if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errs, c.err) {
			t.Errorf("%v: exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout ~ %q, stderr ~ %q", c.args, code, c.code, out, errs, c.out, c.err)
		}
	}
}

// The verb table is help's order: kept sorted by hand, checked here.
func TestVerbsSorted(t *testing.T) {
	for i := 1; i < len(verbs); i++ {
		if verbs[i-1].name >= verbs[i].name {
			t.Errorf("verbs: %q before %q; keep the table sorted", verbs[i-1].name, verbs[i].name)
		}
	}
}
