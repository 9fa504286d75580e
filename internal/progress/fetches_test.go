package progress

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestFetchesLines: one line per node fetched, misses counted but left to
// the caches' own warnings, and a summary that says how many go on to be
// built.
func TestFetchesLines(t *testing.T) {
	var out bytes.Buffer
	f := NewFetches(&out, 3)
	f.Done("musl@x86_64", 1536, 300*ms)
	f.Missed("busybox@x86_64")
	f.Done("linux@x86_64", 3<<20, 2*time.Second)
	if n := f.Close(); n != 2 {
		t.Errorf("Close = %d substituted, want 2", n)
	}
	want := []string{
		`\[1/3\] substituted musl@x86_64 1\.5 KiB 0\.3s`,
		`\[3/3\] substituted linux@x86_64 3 MiB 2\.0s`,
		`\[3/3\] 2 substituted \(3 MiB\), 1 to build in \d+\.\ds`,
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, re := range want {
		if !regexp.MustCompile("^" + re + "$").MatchString(lines[i]) {
			t.Errorf("line %d = %q, want /%s/", i, lines[i], re)
		}
	}
}

// TestViewCountsSubstitutedApart: the build view's summary and status
// line add the nodes that came from caches, and say nothing of them when
// there were none.
func TestViewCountsSubstitutedApart(t *testing.T) {
	for _, tc := range []struct {
		substituted int
		summary     string
		status      string
	}{
		{0, `\[1/3\] 1 built, 0 failed, 0 stopped, 0 skipped in `, `\[1/3\] 0 running, elapsed`},
		{9, `\[1/3\] 1 built, 0 failed, 0 stopped, 0 skipped, 9 substituted in `, `\[1/3\] 0 running, 9 substituted, elapsed`},
	} {
		var out bytes.Buffer
		v := NewPlain(&out, testPlan(t), Options{Jobs: 1})
		v.Substituted(tc.substituted)
		v.Start("c")
		v.Finish("c", nil, ms)
		status := v.frame(time.Now())
		v.Close()
		if !regexp.MustCompile(tc.summary).MatchString(out.String()) {
			t.Errorf("summary %q, want /%s/", out.String(), tc.summary)
		}
		if last := status[len(status)-1]; !regexp.MustCompile(tc.status).MatchString(last) {
			t.Errorf("status line %q, want /%s/", last, tc.status)
		}
	}
}
