package build

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/recipe"
	"stalix.dev/stalix-build/internal/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestDiagnoseGolden reads the real logs in testdata/logs (gen.sh says
// where each came from) and wants the diagnosis in the .want beside it.
func TestDiagnoseGolden(t *testing.T) {
	logs, _ := filepath.Glob("testdata/logs/*.log")
	if len(logs) < 7 {
		t.Fatalf("only %d logs", len(logs))
	}
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := &Builder{Store: s, Recipes: []string{"foo", "freetype", "libxkbcommon", "pixman", "wayland", "zlib"}}
	n := &plan.Node{Name: "app", Version: "1", Recipe: &recipe.Recipe{File: "recipes/test/app/recipe.toml"}}
	for _, log := range logs {
		t.Run(filepath.Base(log), func(t *testing.T) {
			got := b.diagnose(n, log) + "\n"
			golden := strings.TrimSuffix(log, ".log") + ".want"
			if *update {
				os.WriteFile(golden, []byte(got), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("diagnosis changed (go test -update if intended):\ngot:\n%swant:\n%s", got, want)
			}
			if strings.TrimSpace(got) == "" {
				t.Error("no diagnosis")
			}
		})
	}
}

// TestMissingForms: each form a tool prints gives the package name.
func TestMissingForms(t *testing.T) {
	cases := map[string]Missing{
		"Package 'xkbcommon', required by 'virtual:world', not found":              {Name: "xkbcommon"},
		"Package 'bar', required by 'foo', not found":                              {Name: "bar", RequiredBy: "foo"},
		"No package 'libdrm' found":                                                {Name: "libdrm"},
		"Package zlib was not found in the pkg-config search path.":                {Name: "zlib"},
		`meson.build:2:0: ERROR: Dependency "pixman-1" not found, tried pkgconfig`: {Name: "pixman-1"},
	}
	for line, want := range cases {
		got := MissingPackages([]byte("noise\n" + line + "\nmore noise\n"))
		if len(got) != 1 || got[0] != want {
			t.Errorf("%q: %+v, want %+v", line, got, want)
		}
	}
	if got := MissingPackages([]byte("checking for zlib... yes\nPackage 'x' found\n")); len(got) != 0 {
		t.Errorf("found packages reported missing: %+v", got)
	}
}

// TestOwnerFromInputs: a definition in an input's store path is named by
// that input's recipe name, whatever its store name looks like.
func TestOwnerFromInputs(t *testing.T) {
	lib := &plan.Node{Name: "xkbcommon", Version: "1.5.0", Hash: "j1h4a8m5d7rgp5r2acxrmaqxrsgv0kf6"}
	n := &plan.Node{Name: "app", Recipe: &recipe.Recipe{File: "r.toml"}, Deps: []*plan.Node{lib}}
	dups := []Duplicate{{Symbol: "list_init", Defs: []string{lib.Out() + "/lib/libxkbcommon.a", "/ix/store/il9xhhi9n76x4fs4rc27h0sqvzc84cpi-libinput-1.22.1/lib/libinput.a"}}}
	got := explainDuplicates(n, dups)
	want := "r.toml: xkbcommon and libinput both define list_init: rename it in one of them (see recipes/README.md, symbol renaming)"
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func FuzzMissingPackages(f *testing.F) {
	for _, l := range []string{"Package 'a', required by 'b', not found", "No package 'x' found", `Dependency "y" not found, tried pkgconfig`} {
		f.Add([]byte(l))
	}
	f.Fuzz(func(t *testing.T, log []byte) {
		for _, m := range MissingPackages(log) {
			if m.Name == "" || strings.ContainsAny(m.Name, "\n") {
				t.Fatalf("bad name %q", m.Name)
			}
		}
	})
}

func FuzzDuplicateSymbols(f *testing.F) {
	for _, p := range []string{"testdata/logs/lld-duplicate.log", "testdata/logs/lld-duplicate-own.log"} {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, log []byte) {
		n := &plan.Node{Recipe: &recipe.Recipe{File: "r.toml"}}
		dups := DuplicateSymbols(log)
		for _, d := range dups {
			if d.Symbol == "" {
				t.Fatal("empty symbol")
			}
		}
		for _, l := range explainDuplicates(n, dups) {
			if !strings.HasPrefix(l, "r.toml: ") {
				t.Fatalf("does not name the recipe: %q", l)
			}
		}
	})
}
