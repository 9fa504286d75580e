package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/cache"
	"stalix.dev/stalix-build/internal/store"
)

// TestRunNode prints a node's action, runs it alone in another store that
// holds only the seed and the node's input, and gets the same content
// hash as the scheduler's build; without the input it says which is
// missing and leaves nothing.
func TestRunNode(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	root, storeA := project(t, 2) // n1 needs n0
	bin := binary(t)
	env := append(os.Environ(), "STALIX_SOURCES="+filepath.Join(storeA, "..", "sources"), "TMPDIR="+t.TempDir())
	run := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.Output()
		if ee, ok := err.(*exec.ExitError); ok {
			out = append(out, ee.Stderr...)
		}
		return string(out), err
	}
	if out, err := run("build", "p", "--root", root, "--store", storeA); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	action, err := run("run-node", "--print", "n1", "--root", root, "--store", storeA)
	if err != nil {
		t.Fatalf("--print: %v\n%s", err, action)
	}
	file := filepath.Join(t.TempDir(), "n1.json")
	os.WriteFile(file, []byte(action), 0o644)

	storeB := storeWithSeed(t, storeA)
	out, err := run("run-node", file, "--store", storeB)
	if err == nil || !strings.Contains(out, "-n0-1 is not in the store") {
		t.Fatalf("without its input: %v\n%s", err, out)
	}
	if l := leftovers(t, storeB); len(l) > 0 {
		t.Errorf("a refused action left %v", l)
	}
	a, b := openStores(t, storeA, storeB)
	entries, _ := a.Entries()
	for _, e := range entries {
		if strings.Contains(e, "-n0-") {
			if err := b.CopyFrom(a, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	b.Close()
	blob := filepath.Join(t.TempDir(), "n1.zst")
	out, err = run("run-node", file, "--store", storeB, "--archive", blob)
	if err != nil {
		t.Fatalf("run-node: %v\n%s", err, out)
	}
	want, got := contentHashes(t, storeA), contentHashes(t, storeB)
	base := filepath.Base(strings.TrimSpace(out))
	if !strings.Contains(base, "-n1-") || got[base] == "" || got[base] != want[base] {
		t.Errorf("run-node made %s with content hash %q, the build %q", base, got[base], want[base])
	}
	// The output archive is the blob a push of A's entry would store.
	var fromA bytes.Buffer
	if _, err := cache.WriteBlob(&fromA, a.Path(base)); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(blob); !bytes.Equal(data, fromA.Bytes()) {
		t.Errorf("--archive wrote %d bytes, unlike the %d of A's entry", len(data), fromA.Len())
	}
}

func openStores(t *testing.T, dirs ...string) (*store.Store, *store.Store) {
	var out []*store.Store
	for _, d := range dirs {
		s, err := store.Open(d)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out = append(out, s)
	}
	return out[0], out[1]
}
