package check

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCompareTrees(t *testing.T) {
	mk := func(files map[string]string) string {
		d := t.TempDir()
		for p, c := range files {
			os.MkdirAll(filepath.Join(d, filepath.Dir(p)), 0o755)
			os.WriteFile(filepath.Join(d, p), []byte(c), 0o644)
		}
		return d
	}
	a := mk(map[string]string{"bin/x": "hello world", "same": "s", "only-a": "1"})
	b := mk(map[string]string{"bin/x": "hello World", "same": "s", "only-b": "2"})
	diffs, err := CompareTrees(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"bin/x": 6, "only-a": -1, "only-b": -1}
	if len(diffs) != len(want) {
		t.Fatalf("diffs %+v", diffs)
	}
	for _, d := range diffs {
		if off, ok := want[d.Path]; !ok || off != d.Offset {
			t.Errorf("%s: offset %d, want %d (%+v)", d.Path, d.Offset, off, d)
		}
	}
	if d, _ := CompareTrees(a, a); len(d) != 0 {
		t.Errorf("a tree differs from itself: %+v", d)
	}
}

func TestFirstDifferenceLengths(t *testing.T) {
	d := t.TempDir()
	for _, c := range []struct {
		a, b string
		off  int64
	}{{"abc", "abc", -1}, {"abc", "abcd", 3}, {"", "x", 0}, {"xbc", "abc", 0}} {
		os.WriteFile(filepath.Join(d, "a"), []byte(c.a), 0o644)
		os.WriteFile(filepath.Join(d, "b"), []byte(c.b), 0o644)
		_, off, err := SameFile(filepath.Join(d, "a"), filepath.Join(d, "b"))
		if err != nil || off != c.off {
			t.Errorf("%q vs %q: offset %d, want %d (%v)", c.a, c.b, off, c.off, err)
		}
	}
}

func TestSetenvRestores(t *testing.T) {
	t.Setenv("TZ", "Europe/Oslo")
	setenv("TZ", "UTC")()
	if got := os.Getenv("TZ"); got != "Europe/Oslo" {
		t.Errorf("TZ after the rebuild = %q, want the caller's Europe/Oslo", got)
	}
	os.Unsetenv("LC_ALL")
	setenv("LC_ALL", "C")()
	if _, ok := os.LookupEnv("LC_ALL"); ok {
		t.Error("LC_ALL was left set though the caller had none")
	}
}
