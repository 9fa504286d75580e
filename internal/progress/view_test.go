package progress

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/sched"
)

const ms = time.Millisecond

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0.0s"},
		{0, "0.0s"},
		{400 * ms, "0.4s"},
		{28100 * ms, "28.1s"},
		{59970 * ms, "1m00s"},
		{123 * time.Second, "2m03s"},
		{59*time.Minute + 59700*ms, "1h00m"},
		{65 * time.Minute, "1h05m"},
	}
	for _, tc := range tests {
		if got := Duration(tc.d); got != tc.want {
			t.Errorf("Duration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// graph: a (10s) then b (20s); c (5s) alone.
func testPlan(t *testing.T) *sched.Plan {
	p, err := sched.NewPlan([]sched.Node{
		{ID: "a", Estimate: 10 * time.Second},
		{ID: "b", Deps: []string{"a"}, Estimate: 20 * time.Second},
		{ID: "c", Estimate: 5 * time.Second},
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestETA(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tests := []struct {
		name     string
		jobs     int
		started  map[string]time.Duration // node: running since t0+this
		finished []string
		at       time.Duration
		want     time.Duration
	}{
		// Chain a+b = 30s beats sum/j = 35/2.
		{"nothing started", 2, nil, nil, 0, 30 * time.Second},
		// One worker: everything in turn.
		{"one job", 1, nil, nil, 0, 35 * time.Second},
		// a ran 4s of its 10: 6+20 = 26 beats (6+20+5)/2.
		{"a running", 2, map[string]time.Duration{"a": 0, "c": 0}, nil, 4 * time.Second, 26 * time.Second},
		// a over its estimate counts as done, b is left.
		{"a overdue", 2, map[string]time.Duration{"a": 0}, []string{"c"}, 15 * time.Second, 20 * time.Second},
		{"all done", 2, nil, []string{"a", "b", "c"}, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newView(&bytes.Buffer{}, testPlan(t), Options{Jobs: tc.jobs}, true)
			v.now = func() time.Time { return t0 }
			for id, at := range tc.started {
				v.now = func() time.Time { return t0.Add(at) }
				v.Start(id)
			}
			for _, id := range tc.finished {
				v.Finish(id, nil, time.Second)
			}
			if got := v.eta(t0.Add(tc.at)); got != tc.want {
				t.Errorf("eta = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLiveFrame(t *testing.T) {
	t0 := time.Unix(1000, 0)
	v := newView(&bytes.Buffer{}, testPlan(t), Options{Jobs: 2, Width: 80, Height: 24}, true)
	v.began = t0
	v.now = func() time.Time { return t0 }
	v.Start("a")
	v.now = func() time.Time { return t0.Add(2 * time.Second) }
	v.Start("c")
	got := v.frame(t0.Add(6 * time.Second))
	want := []string{
		"  a     6.0s",
		"  c     4.0s",
		// a has 4s left, then b: 24s; sum/j = (4+20+1)/2.
		"[0/3] 2 running, elapsed 6.0s, ETA 24.0s",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("frame\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A short terminal keeps the block on screen; a narrow one cuts lines.
	v.o.Height, v.o.Width = 3, 20
	got = v.frame(t0.Add(6 * time.Second))
	if len(got) != 2 || got[0] != "  ... and 2 more" || len([]rune(got[1])) != 19 {
		t.Errorf("3x20 frame = %q, want a summary line and a status line cut to 19 columns", got)
	}
}

// countingWriter counts writes; the live view writes once per frame.
type countingWriter struct {
	mu     sync.Mutex
	writes int
	buf    bytes.Buffer
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	return w.buf.Write(p)
}

func TestLiveRedrawIsThrottled(t *testing.T) {
	nodes := make([]sched.Node, 500)
	for i := range nodes {
		nodes[i] = sched.Node{ID: fmt.Sprintf("n%03d", i)}
	}
	p, err := sched.NewPlan(nodes, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := &countingWriter{}
	const interval = 50 * ms
	v := NewLive(w, p, Options{Jobs: 2, Interval: interval})
	t0 := time.Now()
	// 1000 events spread over about 300ms.
	for _, n := range nodes {
		v.Start(n.ID)
		v.Finish(n.ID, nil, ms)
		time.Sleep(300 * ms / time.Duration(len(nodes)))
	}
	elapsed := time.Since(t0)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	frames := w.writes - 1 // the summary line
	if limit := int(elapsed/interval) + 2; frames > limit || frames < 1 {
		t.Errorf("%d writes for 1000 events in %v, want between 1 and %d (one per %v)", frames, elapsed, limit, interval)
	}
	out := w.buf.String()
	for _, want := range []string{"[1/500] done n000 0.0s\n", "[500/500] 500 built, 0 failed, 0 stopped, 0 skipped in"} {
		if !strings.Contains(out, want) {
			t.Errorf("live output lacks %q", want)
		}
	}
	if strings.Contains(out, " start ") {
		t.Error("the live view printed start lines; running nodes belong in the block")
	}
}

func TestPlainLines(t *testing.T) {
	p := testPlan(t)
	var out bytes.Buffer
	v := NewPlain(&out, p, Options{Jobs: 1})
	_, err := sched.RunPlan(context.Background(), p, sched.Options{Jobs: 1, KeepGoing: true, Observer: v},
		func(_ context.Context, id string) error {
			if id == "a" {
				return errors.New("exit status 2")
			}
			return nil
		})
	if err == nil {
		t.Fatal("run succeeded, want a's failure")
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	// a has the longest chain, so it starts first; its failure skips b.
	want := []string{
		`\[0/3\] start a`,
		`\[1/3\] FAILED a \d+\.\ds: exit status 2`,
		`\[2/3\] skipped b \(needs a, which failed\)`,
		`\[2/3\] start c`,
		`\[3/3\] done c \d+\.\ds`,
		`\[3/3\] 1 built, 1 failed, 0 stopped, 1 skipped in \d+\.\ds`,
	}
	wantLines(t, out.String(), want)
}

// wantLines checks out line by line against anchored regular expressions.
func wantLines(t *testing.T, out string, want []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, re := range want {
		if !regexp.MustCompile("^" + re + "$").MatchString(lines[i]) {
			t.Errorf("line %d = %q, want /%s/", i, lines[i], re)
		}
	}
}

func TestNewIsPlainOffTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v := New(f, testPlan(t), Options{})
	v.Start("a")
	v.Close()
	data, _ := os.ReadFile(f.Name())
	if !strings.HasPrefix(string(data), "[0/3] start a\n") {
		t.Errorf("output to a file = %q, want plain lines", data)
	}
}
