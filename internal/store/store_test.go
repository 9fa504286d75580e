package store

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func build(t *testing.T, s *Store, base string, inputs ...string) {
	t.Helper()
	txn, err := s.Begin(base)
	if err != nil {
		t.Fatal(err)
	}
	if txn.Done() {
		txn.Abort()
		return
	}
	os.WriteFile(filepath.Join(txn.Out, "file"), []byte(base), 0o644)
	txn.Log.WriteString("building " + base + "\n")
	if err := txn.Commit(Manifest{Name: EntryName(base), Version: "1", Inputs: inputs}); err != nil {
		t.Fatal(err)
	}
}

func TestCommit(t *testing.T) {
	s := open(t)
	base := "aaaa-hello-1.0"
	if s.Has(base) {
		t.Fatal("empty store has an entry")
	}
	build(t, s, base)
	if !s.Has(base) {
		t.Fatal("committed entry missing")
	}
	m, err := s.ReadManifest(base)
	if err != nil || len(m.ContentHash) != 64 || m.Size != int64(len(base)) {
		t.Fatalf("manifest %+v, %v", m, err)
	}
	log, err := s.FindLog("hello")
	if err != nil || !strings.HasSuffix(log, filepath.Join(base, "build.log")) {
		t.Errorf("FindLog = %s, %v", log, err)
	}
	if entries, _ := s.Entries(); len(entries) != 1 || entries[0] != base {
		t.Errorf("Entries = %v", entries)
	}
}

// TestAbortLeavesNothing: a failed build leaves its log and no output.
func TestAbortLeavesNothing(t *testing.T) {
	s := open(t)
	txn, err := s.Begin("bbbb-broken-1")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(txn.Out, "half"), nil, 0o644)
	txn.Log.WriteString("error: it broke\n")
	txn.Abort()
	if s.Has("bbbb-broken-1") {
		t.Fatal("aborted entry present")
	}
	if _, err := os.Stat(s.Path("bbbb-broken-1")); !os.IsNotExist(err) {
		t.Fatal("aborted output left in the store")
	}
	log, err := s.FindLog("broken")
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(log); !strings.Contains(string(data), "it broke") {
		t.Errorf("failed log lost: %q", data)
	}
	tmp, _ := os.ReadDir(filepath.Join(s.Dir, tmpDir))
	if len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// TestHalfCommit: an output renamed into place whose manifest never
// arrived (a crash between the two renames) does not count and is redone.
func TestHalfCommit(t *testing.T) {
	s := open(t)
	os.MkdirAll(s.Path("cccc-half-1"), 0o755)
	if s.Has("cccc-half-1") {
		t.Fatal("entry without manifest counts as present")
	}
	build(t, s, "cccc-half-1")
	if !s.Has("cccc-half-1") {
		t.Fatal("rebuild after a half commit failed")
	}
}

// TestConcurrentBegin: two invocations building one entry build it once.
func TestConcurrentBegin(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	built := make(chan bool, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(dir)
			if err != nil {
				t.Error(err)
				return
			}
			defer s.Close()
			txn, err := s.Begin("dddd-same-1")
			if err != nil {
				t.Error(err)
				return
			}
			if txn.Done() {
				txn.Abort()
				built <- false
				return
			}
			os.WriteFile(filepath.Join(txn.Out, "f"), []byte("x"), 0o644)
			if err := txn.Commit(Manifest{Name: "same"}); err != nil {
				t.Error(err)
			}
			built <- true
		}()
	}
	wg.Wait()
	close(built)
	n := 0
	for b := range built {
		if b {
			n++
		}
	}
	if n != 1 {
		t.Errorf("built %d times, want 1", n)
	}
}

func TestGC(t *testing.T) {
	s := open(t)
	build(t, s, "1111-lib-1")
	build(t, s, "2222-app-1", "1111-lib-1")
	build(t, s, "3333-junk-1")
	build(t, s, "4444-kept-1")
	if err := s.AddRoot("result", "2222-app-1"); err != nil {
		t.Fatal(err)
	}
	removed, err := s.GC([]string{"kept"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0] != "3333-junk-1" {
		t.Errorf("removed %v, want only the junk", removed)
	}
	entries, _ := s.Entries()
	sort.Strings(entries)
	if strings.Join(entries, " ") != "1111-lib-1 2222-app-1 4444-kept-1" {
		t.Errorf("left %v", entries)
	}
}

func TestTreeHash(t *testing.T) {
	mk := func(content, link string) string {
		d := t.TempDir()
		os.MkdirAll(filepath.Join(d, "bin"), 0o755)
		os.WriteFile(filepath.Join(d, "bin", "x"), []byte(content), 0o755)
		os.Symlink(link, filepath.Join(d, "l"))
		h, _, err := TreeHash(d)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	a, b := mk("a", "bin/x"), mk("a", "bin/x")
	if a != b {
		t.Error("same tree, different hashes")
	}
	if a == mk("b", "bin/x") || a == mk("a", "x") {
		t.Error("content or link target change not seen")
	}
}

func TestEntryName(t *testing.T) {
	for base, want := range map[string]string{
		"abc-musl-1.2.3":         "musl",
		"abc-compiler-rt-14.0.6": "compiler-rt",
		"abc-etc-base-1":         "etc-base",
		"abc-seed-x86_64":        "seed",
	} {
		if got := EntryName(base); got != want {
			t.Errorf("EntryName(%s) = %s, want %s", base, got, want)
		}
	}
}

// TestCleanStaleSparesRunningBuilds: a second invocation's clean-up must
// not touch a build another one holds, whatever dots its version has.
func TestCleanStaleSparesRunningBuilds(t *testing.T) {
	s := open(t)
	txn, err := s.Begin("eeee-linux-6.1.176")
	if err != nil {
		t.Fatal(err)
	}
	defer txn.Abort()
	os.WriteFile(filepath.Join(txn.Build, "Makefile"), []byte("x"), 0o644)
	other, err := Open(s.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.CleanStale(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(txn.Build, "Makefile")); err != nil {
		t.Fatalf("a running build's directory was cleaned: %v", err)
	}
	txn.Abort()
	txn2, _ := s.Begin("ffff-stale-1.2")
	dir := txn2.Build
	txn2.unlock() // as if the process died holding nothing
	if err := other.CleanStale(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("a dead build's directory was kept")
	}
}

// TestBuildTimes: the newest build of a package for a target is the
// estimate, keyed by name@arch.
func TestBuildTimes(t *testing.T) {
	s := open(t)
	commit := func(base, arch string, took time.Duration) {
		txn, err := s.Begin(base)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(took)
		if err := txn.Commit(Manifest{Name: "linux", Target: arch}); err != nil {
			t.Fatal(err)
		}
	}
	commit("aaaa-linux-6.1", "x86_64", 0)
	time.Sleep(20 * time.Millisecond) // distinct manifest times
	commit("0000-linux-6.1", "x86_64", 60*time.Millisecond)
	commit("bbbb-linux-6.1", "aarch64", 0)
	bt := s.BuildTimes()
	if bt["linux@x86_64"] < 60*time.Millisecond {
		t.Errorf("linux@x86_64 = %v, want the newest build's 60ms or more", bt["linux@x86_64"])
	}
	if _, ok := bt["linux@aarch64"]; !ok || len(bt) != 2 {
		t.Errorf("BuildTimes = %v", bt)
	}
}
