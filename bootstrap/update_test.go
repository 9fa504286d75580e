package bootstrap

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// UpdateLock keeps the pins the archive serves and moves one it does not:
// with dash pinned to a version that was never published, only dash moves,
// to what apt serves; a second update changes nothing.
func TestUpdateLockMovesOnlyTheGone(t *testing.T) {
	_, es := closureLock(t, "dash")
	dir := t.TempDir()
	list := filepath.Join(dir, "seed.list")
	if err := os.WriteFile(list, []byte("dash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var real Entry
	for i, e := range es {
		if e.Name == "dash" {
			real = e
			es[i] = gone(e)
			es[i].SHA256 = strings.Repeat("0", 64)
		}
	}
	lock := writeLock(t, es...)
	u, err := UpdateLock(context.Background(), list, lock, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Changes) != 1 || u.Changes[0].Name != "dash" || u.Changes[0].New != real.Version {
		t.Fatalf("changes %v, want only dash -> %s", u.Changes, real.Version)
	}
	after, err := ReadLock(lock)
	if err != nil || len(after) != len(es) {
		t.Fatalf("lock after update: %d entries, %v", len(after), err)
	}
	u, err = UpdateLock(context.Background(), list, lock, false)
	if err != nil || len(u.Changes) != 0 {
		t.Fatalf("second update: %v %v", u.Changes, err)
	}
}
