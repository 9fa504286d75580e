package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestPlanAnywhere is what a user of go install does: run the tool in a
// directory that is no checkout. It plans minimal from the tree built into
// the binary, to the same store paths as from the checkout; and a checkout
// found above the working directory takes the place of the built-in tree.
func TestPlanAnywhere(t *testing.T) {
	bin := binary(t)
	plan := func(dir, profile string, args ...string) []string {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"plan", profile, "--json", "--store", t.TempDir()}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "STALIX_ROOT=")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("plan minimal %v in %s: %v\n%s", args, dir, err, out)
		}
		var nodes []struct{ Out string }
		if err := json.Unmarshal(out, &nodes); err != nil {
			t.Fatal(err)
		}
		var outs []string
		for _, n := range nodes {
			outs = append(outs, n.Out)
		}
		return outs
	}
	empty := t.TempDir()
	got := plan(empty, "minimal")
	want := plan(empty, "minimal", "--root", repoRoot(t))
	if len(got) < 10 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("from an empty directory minimal plans to\n%s\nfrom the checkout to\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	other := t.TempDir()
	if out, err := exec.Command("cp", "-r", repoRoot(t)+"/internal/plan/testdata/tree/.", other).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	os.MkdirAll(other+"/deep/below", 0o755)
	if n := len(plan(other+"/deep/below", "demo")); n != 7 {
		t.Errorf("the test tree's demo, from below it: %d nodes, want 7", n)
	}
}
