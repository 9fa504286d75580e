package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDirs(t *testing.T) {
	root := filepath.Join(t.TempDir(), "runs")
	if _, err := Last(root); err == nil || !strings.Contains(err.Error(), "no build has written a report") {
		t.Fatalf("Last before any run: %v", err)
	}
	t0 := time.Unix(1700000000, 0)
	var paths []string
	for i := range keepRuns + 5 {
		d, err := NewDir(root, t0.Add(time.Duration(i)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		d.Log.WriteString("[1/1] done a 1.0s\n")
		if err := d.Finish(twoSlots()); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, d.Path)
	}
	last, err := Last(root)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(paths[len(paths)-1], HTMLName); last != want {
		t.Errorf("Last = %s, want %s", last, want)
	}
	log, _ := os.ReadFile(filepath.Join(filepath.Dir(last), LogName))
	if !strings.HasPrefix(string(log), "[1/1] done a 1.0s\nwall 1m40s,") {
		t.Errorf("run.log:\n%s", log)
	}
	des, _ := os.ReadDir(root)
	dirs := 0
	for _, de := range des {
		if de.IsDir() {
			dirs++
		}
	}
	if dirs != keepRuns {
		t.Errorf("%d run directories kept, want %d", dirs, keepRuns)
	}
	if _, err := os.Stat(paths[0]); !os.IsNotExist(err) {
		t.Errorf("the oldest run survived: %v", err)
	}
}
