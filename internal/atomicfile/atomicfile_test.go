package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A failed write leaves the old file as it was and no temporary file; a
// good one replaces it; a stale PATH.tmp from a killed run is no obstacle.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.img")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p+".tmp", []byte("left by a killed run"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(p, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the fill's", err)
	}
	check := func(want string) {
		t.Helper()
		if got, err := os.ReadFile(p); err != nil || string(got) != want {
			t.Errorf("%s holds %q (%v), want %q", p, got, err, want)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%d files in the directory, want only %s", len(ents), filepath.Base(p))
		}
	}
	check("old")
	if err := Write(p, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	check("new")
	if err := WriteNamed(p, func(tmp string) error { return os.WriteFile(tmp, []byte("named"), 0o644) }); err != nil {
		t.Fatal(err)
	}
	check("named")
}
