package sched

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestJobserverTokens(t *testing.T) {
	if _, err := New(0); err == nil {
		t.Error("New(0) succeeded, want an error")
	}
	js, err := New(3)
	if err != nil {
		t.Fatal(err)
	}
	defer js.Close()
	if n, err := js.Available(); err != nil || n != 2 {
		t.Fatalf("Available = %d, %v; want 2 (j-1)", n, err)
	}
	ctx := context.Background()
	for range 2 {
		if err := js.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := js.Acquire(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire on an empty pool = %v, want it to wait and give up with the context", err)
	}
	got := make(chan error, 1)
	go func() { got <- js.Acquire(ctx) }()
	time.Sleep(20 * time.Millisecond)
	if err := js.Release(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a waiting Acquire did not get the released token")
	}
	for range 2 {
		if err := js.Release(); err != nil {
			t.Fatal(err)
		}
	}
	if err := js.Release(); err == nil {
		t.Error("Release without Acquire succeeded")
	}
	if n, _ := js.Available(); n != 2 {
		t.Errorf("Available = %d after releasing everything, want 2", n)
	}
}

func TestJobserverReconcile(t *testing.T) {
	js, err := New(4)
	if err != nil {
		t.Fatal(err)
	}
	defer js.Close()
	// A make killed while holding two tokens never writes them back.
	r, _ := js.Files()[0], js.Files()[1]
	if _, err := r.Read(make([]byte, 2)); err != nil {
		t.Fatal(err)
	}
	if d, err := js.Reconcile(); err != nil || d != 2 {
		t.Fatalf("Reconcile = %d, %v; want 2 tokens restored", d, err)
	}
	// A client returning more than it took would grow the pool.
	if _, err := js.Files()[1].Write([]byte("+")); err != nil {
		t.Fatal(err)
	}
	if d, err := js.Reconcile(); err != nil || d != -1 {
		t.Fatalf("Reconcile = %d, %v; want 1 token drained", d, err)
	}
	if n, _ := js.Available(); n != 3 {
		t.Errorf("Available = %d, want 3", n)
	}
}

// makefile runs jobs of `sleep` and stamps each job's start and end into
// log, so the test can count how many ran at once.
const makefile = `JOBS := $(addprefix job,1 2 3 4 5 6)
all: $(JOBS)
$(JOBS):
	@echo "+ $$(date +%s%N) $(NAME) $@" >> $(LOG); sleep 0.4; echo "- $$(date +%s%N) $(NAME) $@" >> $(LOG)
`

func runMake(ctx context.Context, js *Jobserver, dir, name, log string) error {
	cmd := exec.CommandContext(ctx, "make", "-f", filepath.Join(dir, "Makefile"), "NAME="+name, "LOG="+log)
	cmd.Dir = dir
	cmd.ExtraFiles = js.Files()
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "MAKEFLAGS=") || strings.HasPrefix(kv, "MFLAGS=") || strings.HasPrefix(kv, "MAKELEVEL=")
	})
	cmd.Env = append(env, "MAKEFLAGS="+js.MakeFlags())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	err := cmd.Run()
	if err == nil && stderr.Len() > 0 {
		// "jobserver unavailable: using -j1" and "-jN forced in submake"
		// both mean make left the shared pool.
		err = fmt.Errorf("make %s said: %s", name, stderr.String())
	}
	return err
}

// peakJobs sweeps the stamps in log and returns the most jobs running at
// one instant.
func peakJobs(t *testing.T, log string) (peak, jobs int) {
	t.Helper()
	f, err := os.Open(log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type stamp struct {
		at    int64
		delta int
	}
	var stamps []stamp
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 4 {
			t.Fatalf("bad log line %q", sc.Text())
		}
		at, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		d := 1
		if fields[0] == "-" {
			d = -1
		} else {
			jobs++
		}
		stamps = append(stamps, stamp{at, d})
	}
	// Ends sort before starts at the same instant: touching is not overlap.
	slices.SortFunc(stamps, func(a, b stamp) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return a.delta - b.delta
	})
	cur := 0
	for _, s := range stamps {
		cur += s.delta
		peak = max(peak, cur)
	}
	return peak, jobs
}

func writeMakefile(t *testing.T) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Makefile"), []byte(makefile), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestJobserverMake runs three makefiles as scheduled builds sharing one
// jobserver, with -j given only through it, and checks with real GNU make
// that no more than j jobs ever ran at once.
func TestJobserverMake(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("needs make (apt-get install make)")
	}
	const j = 4
	js, err := New(j)
	if err != nil {
		t.Fatal(err)
	}
	defer js.Close()
	dir := writeMakefile(t)
	log := filepath.Join(dir, "jobs.log")
	nodes := []Node{{ID: "m1"}, {ID: "m2"}, {ID: "m3"}}
	_, err = Run(context.Background(), nodes, Options{Jobs: j, Jobserver: js}, func(ctx context.Context, id string) error {
		return runMake(ctx, js, dir, id, log)
	})
	if err != nil {
		t.Fatal(err)
	}
	peak, jobs := peakJobs(t, log)
	t.Logf("%d jobs, at most %d at once, j=%d", jobs, peak, j)
	if jobs != 18 {
		t.Errorf("%d jobs ran, want 18", jobs)
	}
	if peak > j {
		t.Errorf("%d jobs ran at once, more than j=%d", peak, j)
	}
	// Three builds with a shared pool must still overlap their jobs.
	if peak < 3 {
		t.Errorf("at most %d jobs ran at once: the pool was not used", peak)
	}
	if n, _ := js.Available(); n != j-1 {
		t.Errorf("pool holds %d tokens after the run, want %d", n, j-1)
	}
}

// TestJobserverMakeUnscheduled is the control: the same three makes started
// at once without taking a slot each do overrun j (each has an implicit job
// on top of the pool), so the measurement above can see an overrun.
func TestJobserverMakeUnscheduled(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("needs make (apt-get install make)")
	}
	const j = 4
	js, err := New(j)
	if err != nil {
		t.Fatal(err)
	}
	defer js.Close()
	dir := writeMakefile(t)
	log := filepath.Join(dir, "jobs.log")
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() { errs[i] = runMake(context.Background(), js, dir, fmt.Sprint("m", i), log) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	peak, _ := peakJobs(t, log)
	t.Logf("unscheduled: at most %d jobs at once, j=%d", peak, j)
	if peak <= j {
		t.Errorf("unscheduled makes peaked at %d jobs, want more than j=%d (3 implicit + %d tokens)", peak, j, j-1)
	}
}

// TestJobserverMakeKilled stops a run while a real make holds tokens: the
// runner kills the make's process group through ctx, and the pool is whole
// again when Run returns.
func TestJobserverMakeKilled(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("needs make (apt-get install make)")
	}
	const j = 3
	js, err := New(j)
	if err != nil {
		t.Fatal(err)
	}
	defer js.Close()
	dir := t.TempDir()
	mk := "all: a b c\na b c:\n\t@sleep 60\n"
	if err := os.WriteFile(filepath.Join(dir, "Makefile"), []byte(mk), 0o644); err != nil {
		t.Fatal(err)
	}
	var pgid atomic.Int64
	// make starts only once bad runs, that is once the scheduler holds its token. Started
	// sooner, make could take both tokens and leave the scheduler's Acquire waiting for the
	// sleeps to end (seen under load: the run took the full 60s).
	badRuns := make(chan struct{})
	nodes := []Node{{ID: "make", Estimate: time.Hour}, {ID: "bad", Estimate: time.Second}}
	t0 := time.Now()
	res, err := Run(context.Background(), nodes, Options{Jobs: j, Jobserver: js}, func(ctx context.Context, id string) error {
		if id == "bad" {
			close(badRuns)
			// Fail only once make holds the last token: the scheduler has
			// one (for this build), make the other.
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				if n, _ := js.Available(); n == 0 {
					return errors.New("boom")
				}
			}
			t.Error("make never took a token")
			return errors.New("boom")
		}
		select {
		case <-badRuns:
		case <-ctx.Done():
			return ctx.Err()
		}
		cmd := exec.CommandContext(ctx, "make", "-C", dir)
		cmd.ExtraFiles = js.Files()
		cmd.Env = append(os.Environ(), "MAKEFLAGS="+js.MakeFlags())
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		// The whole tree, not just make: its sleeps would otherwise live on.
		cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
		if err := cmd.Start(); err != nil {
			return err
		}
		pgid.Store(int64(cmd.Process.Pid))
		return cmd.Wait()
	})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want bad's failure", err)
	}
	if time.Since(t0) > 30*time.Second || fmt.Sprint(res.Stopped) != "[make]" {
		t.Fatalf("make was not stopped: %+v after %v", res, time.Since(t0))
	}
	// The killed sleeps are reaped by init, not by us: give it a moment.
	gone := false
	for deadline := time.Now().Add(5 * time.Second); !gone && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		gone = errors.Is(syscall.Kill(-int(pgid.Load()), 0), syscall.ESRCH)
	}
	if !gone {
		t.Error("make's process group still exists 5s after the run")
	}
	if n, _ := js.Available(); n != j-1 {
		t.Errorf("pool holds %d tokens after the run, want %d restored", n, j-1)
	}
}

// ninjaRule is makefile's job for ninja; runNinja adds the six builds.
const ninjaRule = `rule job
  command = echo "+ $$(date +%s%N) $name $out" >> $log; sleep 0.4; echo "- $$(date +%s%N) $name $out" >> $log
`

// ninja13 is a ninja with a jobserver client: STALIX_NINJA, as `stalix-build path ninja` gives it.
func ninja13(t *testing.T) string {
	n := os.Getenv("STALIX_NINJA")
	if n == "" {
		t.Skip("needs ninja 1.13 or later: STALIX_NINJA=$(stalix-build path ninja)/bin/ninja (after stalix-build build ninja)")
	}
	return n
}

// runNinja runs the six jobs under ninja, on the pool through its fifo unless jobs overrides it.
func runNinja(ctx context.Context, ninja string, js *Jobserver, dir, name, log, jobs string) error {
	sub := filepath.Join(dir, name)
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(ninjaRule)
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "build job%d: job\n  name = %s\n  log = %s\n", i, name, log)
	}
	if err := os.WriteFile(filepath.Join(sub, "build.ninja"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	args := []string{"-C", sub}
	if jobs != "" {
		args = append(args, "-j", jobs)
	}
	cmd := exec.CommandContext(ctx, ninja, args...)
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "MAKEFLAGS=") })
	cmd.Env = append(env, "MAKEFLAGS="+js.FifoMakeFlags(js.Path()))
	out, err := cmd.CombinedOutput()
	if err == nil && jobs == "" && !strings.Contains(string(out), "Jobserver mode detected") {
		err = fmt.Errorf("ninja %s did not join the jobserver:\n%s", name, out)
	}
	return err
}

// TestJobserverNinjaAndMake runs two ninjas and a make as scheduled builds on one pool, ninja
// through the fifo's path and make through the fds, and checks that no more than j jobs ever
// ran at once; the control runs the ninjas with -j of their own and must see the overrun.
func TestJobserverNinjaAndMake(t *testing.T) {
	ninja := ninja13(t)
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("needs make (apt-get install make)")
	}
	const j = 3
	for _, control := range []bool{false, true} {
		js, err := New(j)
		if err != nil {
			t.Fatal(err)
		}
		dir := writeMakefile(t)
		log := filepath.Join(dir, "jobs.log")
		jobs := ""
		if control {
			jobs = "6"
		}
		nodes := []Node{{ID: "n1"}, {ID: "n2"}, {ID: "m1"}}
		_, err = Run(context.Background(), nodes, Options{Jobs: j, Jobserver: js}, func(ctx context.Context, id string) error {
			if id == "m1" {
				return runMake(ctx, js, dir, id, log)
			}
			return runNinja(ctx, ninja, js, dir, id, log, jobs)
		})
		js.Close()
		if err != nil {
			t.Fatal(err)
		}
		peak, n := peakJobs(t, log)
		t.Logf("control=%v: %d jobs, at most %d at once, j=%d", control, n, peak, j)
		switch {
		case n != 18:
			t.Errorf("%d jobs ran, want 18", n)
		case !control && peak > j:
			t.Errorf("%d jobs ran at once, more than j=%d", peak, j)
		case !control && peak < j:
			t.Errorf("at most %d jobs ran at once: the pool was not used", peak)
		case control && peak <= j:
			t.Errorf("ninjas with -j 6 of their own peaked at %d jobs, want more than j=%d", peak, j)
		}
	}
}

// TestJobserverFifoGone: the fifo exists while the jobserver does, and nothing is left after.
func TestJobserverFifoGone(t *testing.T) {
	js, err := New(2)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(js.Path())
	if err != nil || fi.Mode().Type() != os.ModeNamedPipe {
		t.Fatalf("%s: %v, %v; want a fifo", js.Path(), fi, err)
	}
	if got, want := js.FifoMakeFlags("/run/jobserver"), "-j2 --jobserver-auth=fifo:/run/jobserver"; got != want {
		t.Errorf("FifoMakeFlags = %q, want %q", got, want)
	}
	if err := js.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(js.Path())); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after Close, %s: %v; want it gone", filepath.Dir(js.Path()), err)
	}
}
