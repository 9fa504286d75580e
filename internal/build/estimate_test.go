package build

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/recipe"
)

// In a store with no build times the kernel must still rank above an
// image tool, or a cold build starts the tool first and the kernel, the
// longest chain, late: the size of each node's source files decides. A
// node's own history, when there is one, wins over its size.
func TestEstimateWithoutHistory(t *testing.T) {
	cache := t.TempDir()
	sized := func(sha string, mb int64) recipe.Source {
		if err := os.WriteFile(filepath.Join(cache, sha), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(filepath.Join(cache, sha), mb<<20); err != nil {
			t.Fatal(err)
		}
		return recipe.Source{SHA256: sha}
	}
	linux := &plan.Node{Name: "linux", Sources: []recipe.Source{sized("aa", 138)}}
	e2fs := &plan.Node{Name: "e2fsprogs", Sources: []recipe.Source{sized("bb", 7)}}
	tree := &plan.Node{Name: "ninja", Sources: []recipe.Source{{Tree: "cc"}}}
	b := &Builder{Sources: &fetch.Fetcher{Cache: cache}}
	none := map[string]time.Duration{}
	if l, e := b.estimate(linux, none), b.estimate(e2fs, none); l != 138*perSourceMB || e != 7*perSourceMB {
		t.Errorf("estimates linux %v, e2fsprogs %v; want %v and %v", l, e, 138*perSourceMB, 7*perSourceMB)
	}
	if d := b.estimate(tree, none); d != 0 {
		t.Errorf("a git tree's estimate %v, want 0 (unknown: the scheduler's median)", d)
	}
	if d := b.estimate(e2fs, map[string]time.Duration{e2fs.ID(): 9 * time.Minute}); d != 9*time.Minute {
		t.Errorf("with history, e2fsprogs's estimate %v, want its 9m0s", d)
	}
}
