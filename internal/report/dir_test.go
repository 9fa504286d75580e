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

// TestPruneSparesARunningBuild: a long build's directory outlives the
// short runs that start while it builds (a 1h43m LLVM build once lost its
// report.html, and its exit code, to the 30 runs of a test suite).
func TestPruneSparesARunningBuild(t *testing.T) {
	root := filepath.Join(t.TempDir(), "runs")
	t0 := time.Unix(1700000000, 0)
	long, err := NewDir(root, t0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range keepRuns + 5 {
		d, err := NewDir(root, t0.Add(time.Duration(i+1)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Finish(twoSlots()); err != nil {
			t.Fatal(err)
		}
	}
	if err := long.Finish(twoSlots()); err != nil {
		t.Fatalf("the long run's report: %v", err)
	}
	if _, err := os.Stat(filepath.Join(long.Path, HTMLName)); err != nil {
		t.Fatal(err)
	}
	// Finished, it is the oldest and goes with the next run.
	if _, err := NewDir(root, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(long.Path); !os.IsNotExist(err) {
		t.Errorf("the finished long run was kept past %d newer ones: %v", keepRuns, err)
	}
}
