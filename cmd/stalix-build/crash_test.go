package main

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/hosttool"
	"stalix.dev/stalix-build/internal/sandbox"
	"stalix.dev/stalix-build/internal/store"
	"stalix.dev/stalix-build/internal/testseed"
)

func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}

// project writes a tree of n sleeping recipes in a diamond-ish DAG and a
// store holding a busybox stand-in seed.
func project(t *testing.T, n int) (root, storeDir string) {
	root = t.TempDir()
	w := func(p, s string) {
		p = filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w("stages/stages.toml", "[[stage]]\nname = \"world\"\nseed = true\n")
	w("recipes/_templates/base.sh", "set -e\n{% block build %}{% endblock %}\n")
	w("bootstrap/seed-x86_64.lock", "busybox-static 1:1.35.0-4 amd64 "+strings.Repeat("0", 64)+" 1\n")
	var pkgs []string
	for i := 0; i < n; i++ {
		var deps []string
		for _, d := range []int{i - 1, i - 2} {
			if d >= 0 && i%3 != 0 {
				deps = append(deps, fmt.Sprintf("%q", fmt.Sprintf("n%d", d)))
			}
		}
		w(fmt.Sprintf("recipes/t/n%d/recipe.toml", i), fmt.Sprintf("name = \"n%d\"\nversion = \"1\"\nlicense = \"MIT\"\n[deps]\nlibs = [%s]\n[options]\nstatic = false\n", i, strings.Join(deps, ",")))
		w(fmt.Sprintf("recipes/t/n%d/build.sh", i), "{% extends \"base.sh\" %}{% block build %}\nmkdir -p $out/bin $out/share\nfor k in 1 2 3 4 5; do echo {{ name }} $k > $out/share/part$k; sleep 0.05; done\necho ok > $out/bin/done\n{% endblock %}\n")
		pkgs = append(pkgs, fmt.Sprintf("%q", fmt.Sprintf("n%d", i)))
	}
	w("profiles/p.toml", "name = \"p\"\nkernel = \"\"\npackages = ["+strings.Join(pkgs, ",")+"]\n")

	storeDir = filepath.Join(t.TempDir(), "store")
	s, err := store.Open(storeDir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lock, err := bootstrap.LockHash(filepath.Join(root, "bootstrap/seed-x86_64.lock"))
	if err != nil {
		t.Fatal(err)
	}
	seed := lock[:32] + "-seed-x86_64"
	txn, err := s.Begin(seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := testseed.Make(txn.Out); err != nil {
		txn.Abort()
		if hosttool.IsMissing(err) {
			t.Skip(err) // names busybox-static
		}
		t.Fatal(err)
	}
	if err := txn.Commit(store.Manifest{Name: "seed"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddRoot("seed-x86_64", seed); err != nil {
		t.Fatal(err)
	}
	return root, storeDir
}

// writeFiles writes files (path: text) under root.
func writeFiles(t *testing.T, root string, files map[string]string) {
	for p, s := range files {
		p = filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func binary(t *testing.T) string {
	bin := filepath.Join(t.TempDir(), "stalix-build")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// wholeEntries maps every entry the store counts to its content hash,
// failing unless each is whole: its tree hashes to what its manifest
// recorded at commit.
func wholeEntries(t *testing.T, dir string) map[string]string {
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	entries, err := s.Entries()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		m, err := s.ReadManifest(e)
		if err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		h, _, err := store.TreeHash(s.Path(e))
		if err != nil || h != m.ContentHash {
			t.Fatalf("%s is not whole: tree hash %s, manifest %s (%v)", e, h, m.ContentHash, err)
		}
		out[e] = h
	}
	return out
}

// checkStore asserts that every entry the store counts is whole, a test
// package with its last file too, and returns how many there are.
func checkStore(t *testing.T, dir string) int {
	entries := wholeEntries(t, dir)
	for e := range entries {
		if strings.Contains(e, "-n") {
			if _, err := os.Stat(filepath.Join(dir, e, "bin", "done")); err != nil {
				t.Fatalf("%s counted as present without its last file", e)
			}
		}
	}
	return len(entries)
}

// TestKill9 kills a multi-node build at random points and checks after
// each kill that the store holds only whole outputs; a last run finishes.
// STALIX_CRASH_ROUNDS raises the count (the stress target uses 100).
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	rounds := 20
	if v, err := strconv.Atoi(os.Getenv("STALIX_CRASH_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	root, storeDir := project(t, 8)
	bin := binary(t)
	rng := rand.New(rand.NewSource(1))
	args := []string{"build", "p", "--root", root, "--store", storeDir, "-j", "2"}
	// A killed build cannot remove its sandbox's mount-point directory, so its temporary files
	// go under this test's directory, which the test's cleanup removes.
	env := append(os.Environ(), "STALIX_SOURCES="+filepath.Join(storeDir, "..", "sources"), "TMPDIR="+t.TempDir())
	for i := 0; i < rounds; i++ {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Intn(900)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		checkStore(t, storeDir)
		// Wipe one committed output now and then, so kills keep landing mid-build.
		if i%4 == 3 {
			s, _ := store.Open(storeDir)
			s.GC(nil, false)
			s.Close()
		}
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("resumed build failed: %v\n%s", err, out)
	}
	if n := checkStore(t, storeDir); n != 9 {
		t.Errorf("%d entries after the resumed build, want 8 packages and the seed", n)
	}
}
