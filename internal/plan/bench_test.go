package plan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/recipe"
)

// genTree writes n recipes shaped like a distribution, and a profile
// asking for the last few. The first tenth are libraries: each links two
// lower ones, so a library's closure stays bounded (some twenty), as it
// does in a real package set. Every other
// recipe links up to three libraries and runs up to three earlier
// programs as tools. (A graph where every edge is a library would give
// recipe i all i-1 before it as libraries, which no package set has, and
// make planning quadratic in what templates render.)
func genTree(b *testing.B, n int) (string, *profile.Profile) {
	root := b.TempDir()
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "recipes", "_templates"), 0o755))
	must(os.WriteFile(filepath.Join(root, "recipes", "_templates", "make.sh"), []byte("set -e\n{% block build %}make{% endblock %}\nmake DESTDIR={{ out }} install\n"), 0o644))
	must(os.MkdirAll(filepath.Join(root, "stages"), 0o755))
	must(os.WriteFile(filepath.Join(root, "stages", "stages.toml"), []byte("[[stage]]\nname = \"world\"\n"), 0o644))
	var pkgs []string
	for i := 0; i < n; i++ {
		dir := filepath.Join(root, "recipes", fmt.Sprintf("c%d", i%20), fmt.Sprintf("p%d", i))
		must(os.MkdirAll(dir, 0o755))
		nlibs := max(n/10, 1)
		libs, tools := "", ""
		if i < nlibs {
			// Library i links two lower ones, as a heap: about log2(n/10)
			// layers, so a closure of some twenty libraries at most.
			for _, d := range []int{(i - 1) / 2, (i - 1) / 3} {
				if i > 0 && !strings.Contains(libs, fmt.Sprintf("%q", fmt.Sprintf("p%d", d))) {
					libs += fmt.Sprintf("%q,", fmt.Sprintf("p%d", d))
				}
			}
		} else {
			for _, d := range []int{i % nlibs, (i * 7) % nlibs, (i * 13) % nlibs} {
				libs += fmt.Sprintf("%q,", fmt.Sprintf("p%d", d))
			}
			for _, d := range []int{i - 1, i / 2, i / 3} {
				if d >= nlibs && d < i {
					tools += fmt.Sprintf("%q,", fmt.Sprintf("p%d", d))
				}
			}
		}
		toml := fmt.Sprintf("name = \"p%d\"\nversion = \"1.%d\"\nlicense = \"MIT\"\n[[source]]\nurl = \"https://example.invalid/p%d.tar.gz\"\nsha256 = \"%064x\"\n[deps]\nlibs = [%s]\ntools = [%s]\n", i, i, i, i, libs, tools)
		must(os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte(toml), 0o644))
		must(os.WriteFile(filepath.Join(dir, "build.sh"), []byte("{% extends \"make.sh\" %}{% block build %}make P={{ name }}{% for k, v in deps %} {{ v }}{% endfor %} CPPFLAGS=\"{% for l in libs %} -I{{ l }}/include{% endfor %}\"{% endblock %}\n"), 0o644))
		if i >= n-5 {
			pkgs = append(pkgs, fmt.Sprintf("p%d", i))
		}
	}
	return root, &profile.Profile{Name: "gen", Targets: []string{"x86_64"}, Packages: pkgs, Toolchain: "seed"}
}

func planOnce(b *testing.B, root string, prof *profile.Profile) int {
	repo, err := recipe.Open(filepath.Join(root, "recipes"))
	if err != nil {
		b.Fatal(err)
	}
	st, err := LoadStages(filepath.Join(root, "stages", "stages.toml"))
	if err != nil {
		b.Fatal(err)
	}
	pl, err := ForProfile(Config{Repo: repo, Stages: st, SeedHash: "x"}, prof)
	if err != nil {
		b.Fatal(err)
	}
	return len(pl.Nodes)
}

// against prints one plan's time against its target and fails the bench run
// when the target is missed; make bench runs each benchmark once
// (-benchtime 1x), as the targets are for one plan from a cold start.
func against(b *testing.B, what string, nodes int, target time.Duration) {
	per := b.Elapsed() / time.Duration(b.N)
	ratio := per.Seconds() / target.Seconds()
	b.ReportMetric(float64(nodes), "nodes")
	b.ReportMetric(ratio, "of-target")
	verdict := "met"
	if ratio > 1 {
		verdict = "MISSED"
		b.Fail()
	}
	b.Logf("%s (%d nodes): %v, target <= %v: %.2fx the target, %s", what, nodes, per.Round(time.Millisecond/10), target, ratio, verdict)
}

// BenchmarkPlanGenerated4000 loads, renders and hashes 4,000 recipes
// from disk each iteration (target: ≤ 1 s on 2 cores).
func BenchmarkPlanGenerated4000(b *testing.B) {
	root, prof := genTree(b, 4000)
	b.ResetTimer()
	nodes := 0
	for i := 0; i < b.N; i++ {
		nodes = planOnce(b, root, prof)
	}
	against(b, "planning 4,000 generated recipes", nodes, time.Second)
}

// BenchmarkPlanMinimal plans the shipped minimal profile (target: ≤ 100 ms).
func BenchmarkPlanMinimal(b *testing.B) {
	root, _ := filepath.Abs("../..")
	prof, err := profile.Load(filepath.Join(root, "profiles", "minimal.toml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	nodes := 0
	for i := 0; i < b.N; i++ {
		nodes = planOnce(b, root, prof)
	}
	against(b, "planning minimal", nodes, 100*time.Millisecond)
}
