package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json's format).
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string // build-output and build-fail
	FailedBuild string
}

// test is one test or subtest and what it printed.
type test struct {
	pkg, name string
	result    string // pass, fail or skip; "" while it runs
	output    []string
}

// Report gathers the events of one `go test -json` run.
type Report struct {
	w     io.Writer
	tests map[[2]string]*test
	order []*test
	// broken are packages that failed with no failing test of their own:
	// a build error, a TestMain exit, a panic or a timeout.
	broken    []string
	pkgOutput map[string][]string
}

// New returns a Report that prints to w as events arrive.
func New(w io.Writer) *Report {
	return &Report{w: w, tests: map[[2]string]*test{}, pkgOutput: map[string][]string{}}
}

// Line takes one line of input. A line that is not an event (a message of
// the go command's own) is printed as it is.
func (r *Report) Line(line []byte) {
	var e event
	if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil || e.Action == "" {
		fmt.Fprintf(r.w, "%s\n", line)
		return
	}
	switch {
	case e.Action == "build-output":
		fmt.Fprint(r.w, e.Output)
	case e.Test != "":
		r.testEvent(e)
	default:
		r.packageEvent(e)
	}
}

func (r *Report) testEvent(e event) {
	k := [2]string{e.Package, e.Test}
	t := r.tests[k]
	if t == nil {
		t = &test{pkg: e.Package, name: e.Test}
		r.tests[k] = t
		r.order = append(r.order, t)
	}
	switch e.Action {
	case "output":
		t.output = append(t.output, e.Output)
	case "pass", "skip":
		t.result = e.Action
	case "fail":
		t.result = e.Action
		fmt.Fprint(r.w, strings.Join(t.output, ""))
	}
}

func (r *Report) packageEvent(e event) {
	switch e.Action {
	case "output":
		r.pkgOutput[e.Package] = append(r.pkgOutput[e.Package], e.Output)
	case "pass", "skip":
		fmt.Fprint(r.w, lastLine(r.pkgOutput[e.Package]))
	case "fail":
		// Tests still running when their package failed crashed or timed out.
		failed := false
		for _, t := range r.order {
			if t.pkg != e.Package {
				continue
			}
			if t.result == "" {
				t.result = "fail"
				t.output = append(t.output, "--- did not finish: the package's test binary ended first\n")
				fmt.Fprint(r.w, strings.Join(t.output, ""))
			}
			failed = failed || t.result == "fail"
		}
		if !failed {
			r.broken = append(r.broken, e.Package)
			// Whatever the package printed, as nothing else says why.
			fmt.Fprint(r.w, strings.Join(r.pkgOutput[e.Package], ""))
		} else {
			fmt.Fprint(r.w, lastLine(r.pkgOutput[e.Package]))
		}
	}
}

func lastLine(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return lines[len(lines)-1]
}

// Counts are the tests by result. A test with subtests counts through
// them, and itself only when it failed or skipped on its own.
type Counts struct {
	Passed, Failed, Skipped int
	Skips                   []string // "pkg TestName: reason"
	Failures                []string // "pkg TestName"
}

// Count tallies what was read so far.
func (r *Report) Count() Counts {
	var c Counts
	for _, t := range r.order {
		if hasDescendant(r.order, t, t.result) {
			continue
		}
		if hasDescendant(r.order, t, "") && t.result == "pass" {
			continue // a parent that passed counts through its subtests
		}
		switch t.result {
		case "pass":
			c.Passed++
		case "skip":
			c.Skipped++
			c.Skips = append(c.Skips, t.pkg+" "+t.name+": "+skipReason(t.output))
		default:
			c.Failed++
			c.Failures = append(c.Failures, t.pkg+" "+t.name)
		}
	}
	for _, p := range r.broken {
		c.Failed++
		c.Failures = append(c.Failures, p+" (the package failed outside its tests)")
	}
	sort.Strings(c.Skips)
	sort.Strings(c.Failures)
	return c
}

// hasDescendant reports whether a subtest of t ended with result ("" for
// any result).
func hasDescendant(all []*test, t *test, result string) bool {
	prefix := t.name + "/"
	for _, s := range all {
		if s.pkg == t.pkg && strings.HasPrefix(s.name, prefix) && (result == "" || s.result == result) {
			return true
		}
	}
	return false
}

// skipReason is what the test logged, without the lines test2json frames it with.
func skipReason(output []string) string {
	var parts []string
	for _, o := range output {
		for _, l := range strings.Split(o, "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- ") {
				continue
			}
			parts = append(parts, l)
		}
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, " / ")
}

// Finish prints the failures and skips and the count, and reports whether
// the run passed. Under ci, a skipped test fails the run.
func (r *Report) Finish(ci bool) bool {
	c := r.Count()
	if len(c.Failures) > 0 {
		fmt.Fprintf(r.w, "\nfailed (%d):\n", len(c.Failures))
		for _, f := range c.Failures {
			fmt.Fprintln(r.w, "  "+f)
		}
	}
	if len(c.Skips) > 0 {
		fmt.Fprintf(r.w, "\nskipped (%d):\n", len(c.Skips))
		for _, s := range c.Skips {
			fmt.Fprintln(r.w, "  "+s)
		}
		if ci {
			fmt.Fprintln(r.w, "CI=true: CI installs every tool the tests need (bootstrap/host-setup.sh), so a skip is a failure here")
		}
	}
	fmt.Fprintf(r.w, "%d passed, %d failed, %d skipped\n", c.Passed, c.Failed, c.Skipped)
	return c.Failed == 0 && (!ci || c.Skipped == 0)
}
