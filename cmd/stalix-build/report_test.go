package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBuildReport: a build prints its wall time, CPU time, utilisation and
// critical path at the end, and `report` names a report.html beside the
// run's log that lists every node with its cache status.
func TestBuildReport(t *testing.T) {
	root, storeDir := project(t, 4)
	// n2, at the end of the chain n0 > n1 > n2, burns CPU, so the summary
	// has some to count and the chain stays longer than n3 alone.
	busy := "{% extends \"base.sh\" %}{% block build %}\ni=0; while [ $i -lt 300000 ]; do i=$((i+1)); done\nmkdir -p $out/bin; echo ok > $out/bin/done\n{% endblock %}\n"
	if err := os.WriteFile(filepath.Join(root, "recipes/t/n2/build.sh"), []byte(busy), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := binary(t)
	run := func(args ...string) (string, string) {
		cmd := exec.Command(bin, append(args, "--root", root, "--store", storeDir)...)
		cmd.Env = append(os.Environ(), "STALIX_SOURCES="+filepath.Join(storeDir, "..", "sources"))
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("stalix-build %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
		}
		return stdout.String(), stderr.String()
	}
	_, stderr := run("build", "p", "-j", "2")
	t.Logf("build:\n%s", stderr)
	summary := regexp.MustCompile(`(?m)^wall ([0-9.]+)s, CPU ([0-9.]+)s \(builds: user [0-9.]+s, sys [0-9.]+s; stalix-build [0-9.]+s\), utilisation ([0-9]+)% of 2 jobs\ncritical path [0-9.]+s: n0@x86_64 [0-9.]+s > n1@x86_64 [0-9.]+s > n2@x86_64 [0-9.]+s$`)
	m := summary.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no summary with the critical path n0 > n1 > n2 in:\n%s", stderr)
	}
	if m[2] == "0.0" {
		t.Errorf("CPU time 0 for a build that counted to 300000:\n%s", stderr)
	}
	out, _ := run("report")
	page := strings.TrimSpace(out)
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg id=\"timeline\"", "<td>n3@x86_64</td><td>built</td>", "<td>n2@x86_64</td><td>built</td>", m[0][:strings.Index(m[0], "\n")]} {
		if !strings.Contains(string(html), want) {
			t.Errorf("%s lacks %q", page, want)
		}
	}
	log, err := os.ReadFile(filepath.Join(filepath.Dir(page), "run.log"))
	if err != nil || !strings.Contains(string(log), "done n2@x86_64") || !strings.Contains(string(log), "critical path") {
		t.Errorf("run.log beside the report: %v\n%s", err, log)
	}

	// A second build of one more node: the report shows it built and its
	// inputs as in the store.
	os.WriteFile(filepath.Join(root, "recipes/t/n2/build.sh"), []byte(strings.Replace(busy, "300000", "1000", 1)), 0o644)
	run("build", "p", "-j", "2")
	out, _ = run("report")
	if strings.TrimSpace(out) == page {
		t.Errorf("report still names the first run's %s", page)
	}
	html, _ = os.ReadFile(strings.TrimSpace(out))
	for _, want := range []string{"<td>n2@x86_64</td><td>built</td>", "<td>n1@x86_64</td><td>in store</td>", "<td>n0@x86_64</td><td>in store</td>"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("second report lacks %q", want)
		}
	}
}
