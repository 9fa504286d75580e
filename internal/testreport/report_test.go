package main

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// testdata/run.json is a real `go test -json -timeout 2s ./...` over four
// packages: one passing, failing and skipping tests and subtests, one that
// does not build, one whose TestMain exits 3, and one whose test hangs.
func TestGolden(t *testing.T) {
	in, err := os.ReadFile("testdata/run.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		golden string
		ci     bool
	}{
		{"run.golden", false},
		{"run-ci.golden", true},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			var out bytes.Buffer
			r := New(&out)
			sc := bufio.NewScanner(bytes.NewReader(in))
			for sc.Scan() {
				r.Line(sc.Bytes())
			}
			if r.Finish(c.ci) {
				t.Error("a run with failures passed")
			}
			p := filepath.Join("testdata", c.golden)
			if *update {
				os.WriteFile(p, out.Bytes(), 0o644)
			}
			want, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%v (go test ./internal/testreport -update writes it)", err)
			}
			if out.String() != string(want) {
				t.Errorf("output differs from %s:\n%s", p, out.String())
			}
		})
	}
}

func TestCount(t *testing.T) {
	ev := func(action, test, output string) string {
		s := `{"Action":"` + action + `","Package":"p"`
		if test != "" {
			s += `,"Test":"` + test + `"`
		}
		if output != "" {
			s += `,"Output":"` + output + `\n"`
		}
		return s + "}"
	}
	cases := []struct {
		name                    string
		events                  []string
		passed, failed, skipped int
		ciPasses                bool
		skips                   []string
	}{
		{"one pass", []string{ev("run", "TestA", ""), ev("pass", "TestA", ""), ev("pass", "", "")}, 1, 0, 0, true, nil},
		{"skip with reason", []string{ev("run", "TestA", ""), ev("output", "TestA", "=== RUN   TestA"), ev("output", "TestA", "    a_test.go:3: needs qemu-system-x86_64 (apt-get install qemu-system-x86)"), ev("output", "TestA", "--- SKIP: TestA (0.00s)"), ev("skip", "TestA", ""), ev("pass", "", "")},
			0, 0, 1, false, []string{"p TestA: a_test.go:3: needs qemu-system-x86_64 (apt-get install qemu-system-x86)"}},
		{"subtests count, their parent does not", []string{ev("run", "TestA", ""), ev("run", "TestA/x", ""), ev("pass", "TestA/x", ""), ev("run", "TestA/y", ""), ev("pass", "TestA/y", ""), ev("pass", "TestA", "")}, 2, 0, 0, true, nil},
		{"a parent failing on its own counts", []string{ev("run", "TestA", ""), ev("run", "TestA/x", ""), ev("pass", "TestA/x", ""), ev("fail", "TestA", "")}, 1, 1, 0, false, nil},
		{"a failed subtest counts once", []string{ev("run", "TestA", ""), ev("run", "TestA/x", ""), ev("fail", "TestA/x", ""), ev("fail", "TestA", ""), ev("fail", "", "")}, 0, 1, 0, false, nil},
		{"package fails outside tests", []string{ev("run", "TestA", ""), ev("pass", "TestA", ""), ev("output", "", "exit status 3"), ev("fail", "", "")}, 1, 1, 0, false, nil},
		{"unfinished test", []string{ev("run", "TestA", ""), ev("output", "TestA", "panic: test timed out after 1s"), ev("fail", "", "")}, 0, 1, 0, false, nil},
		{"no reason", []string{ev("run", "TestA", ""), ev("skip", "TestA", "")}, 0, 0, 1, false, []string{"p TestA: (no reason given)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			r := New(&out)
			for _, e := range c.events {
				r.Line([]byte(e))
			}
			got := r.Count()
			if got.Passed != c.passed || got.Failed != c.failed || got.Skipped != c.skipped {
				t.Errorf("counted %d passed, %d failed, %d skipped; want %d, %d, %d", got.Passed, got.Failed, got.Skipped, c.passed, c.failed, c.skipped)
			}
			if c.skips != nil && strings.Join(got.Skips, "\n") != strings.Join(c.skips, "\n") {
				t.Errorf("skips %q, want %q", got.Skips, c.skips)
			}
			if ok := r.Finish(false); ok != (c.failed == 0) {
				t.Errorf("Finish(ci=false) = %v with %d failed", ok, c.failed)
			}
			if ok := r.Finish(true); ok != c.ciPasses {
				t.Errorf("Finish(ci=true) = %v, want %v", ok, c.ciPasses)
			}
			last := out.String()[strings.LastIndex(strings.TrimSuffix(out.String(), "\n"), "\n")+1:]
			if !strings.HasSuffix(last, " skipped\n") {
				t.Errorf("last line %q, want the count", last)
			}
		})
	}
}

// FuzzLine feeds arbitrary input: the report never panics, and its count
// covers every test it saw at most once.
func FuzzLine(f *testing.F) {
	data, _ := os.ReadFile("testdata/run.json")
	f.Add(data)
	f.Add([]byte(`{"Action":"fail","Package":"p","Test":"T/"}` + "\n" + `{"Action":"skip","Package":"p","Test":"T"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := New(&bytes.Buffer{})
		for _, l := range bytes.Split(in, []byte("\n")) {
			r.Line(l)
		}
		c := r.Count()
		if n := c.Passed + c.Failed + c.Skipped; n > len(r.order)+len(r.broken) {
			t.Fatalf("counted %d results of %d tests and %d broken packages", n, len(r.order), len(r.broken))
		}
		r.Finish(true)
	})
}
