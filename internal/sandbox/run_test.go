package sandbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestRunWritesOutputAndReadsInput(t *testing.T) {
	f := newFixture(t)
	if err := os.MkdirAll(filepath.Join(f.bb, "share"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.bb, "share", "msg"), []byte("from-input\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.build, "build.sh"), []byte(`
		set -e
		mkdir -p $out/share $HOME
		cat `+bbStore+`/share/msg > $out/share/copied
		echo scratch > /tmp/x && cat /tmp/x
		echo in-build > /build/file
		tr '\0' '\n' < /proc/$$/environ > $out/env
		{ hostname; umask; id -u; whoami; pwd; cat /proc/sys/kernel/domainname; } > $out/facts
		`), 0o644); err != nil {
		t.Fatal(err)
	}
	s := f.spec("")
	s.Argv = []string{"sh", "-e", "/build/build.sh"} // found through the sandbox's PATH
	stdout, stderr, err := runSpec(t, s)
	if err != nil {
		t.Fatalf("%v\nstderr: %s", err, stderr)
	}
	if stdout != "scratch\n" {
		t.Errorf("stdout = %q", stdout)
	}
	readEq(t, filepath.Join(f.out, "share", "copied"), "from-input\n")
	readEq(t, filepath.Join(f.build, "file"), "in-build\n")
	readEq(t, filepath.Join(f.out, "facts"), "stalix\n0022\n0\nroot\n/build\n(none)\n")

	got := strings.Fields(readFile(t, filepath.Join(f.out, "env")))
	want := append([]string{}, f.env()...)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("environment:\ngot  %q\nwant %q", got, want)
	}
}

func TestRunExitStatus(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		script string
		code   int
	}{
		{"exit 0", 0},
		{"exit 3", 3},
		{"kill -9 $$", 128 + 9},
	} {
		_, _, err := f.run(t, tc.script)
		var ee *exec.ExitError
		switch {
		case tc.code == 0 && err != nil:
			t.Errorf("%q: %v", tc.script, err)
		case tc.code != 0 && (!errors.As(err, &ee) || ee.ExitCode() != tc.code):
			t.Errorf("%q: got %v, want exit status %d", tc.script, err, tc.code)
		}
	}
}

func TestRunExtraFiles(t *testing.T) {
	f := newFixture(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := f.spec("echo via-fd3 >&3; echo via-fd4 >&4")
	r2, w2, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	s.ExtraFiles = []*os.File{w, w2}
	if _, stderr, err := runSpec(t, s); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	w.Close()
	w2.Close()
	for i, p := range []*os.File{r, r2} {
		b, _ := io.ReadAll(p)
		if want := fmt.Sprintf("via-fd%d\n", 3+i); string(b) != want {
			t.Errorf("fd %d: got %q, want %q", 3+i, b, want)
		}
	}
}

// TestRunJobserver binds a fifo in: the build opens it by path, takes a token and writes one
// back, as ninja does with the jobserver's pool.
func TestRunJobserver(t *testing.T) {
	f := newFixture(t)
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// Read-write: a reader and a writer at once, so neither side's open blocks.
	pool, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.WriteString("+"); err != nil {
		t.Fatal(err)
	}
	s := f.spec("test -p " + JobserverPath + " && dd if=" + JobserverPath + " bs=1 count=1 2>/dev/null && echo -n x > " + JobserverPath)
	s.Jobserver = fifo
	stdout, stderr, err := runSpec(t, s)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if stdout != "+" {
		t.Errorf("the build read %q from the pool, want the token +", stdout)
	}
	b := make([]byte, 8)
	n, err := pool.Read(b)
	if err != nil || string(b[:n]) != "x" {
		t.Errorf("the pool holds %q, %v after the build; want the x it wrote", b[:n], err)
	}
}

// TestRunCancelKillsTree starts background sleepers and cancels: Run must return at once and no
// sleeper may survive on the host.
func TestRunCancelKillsTree(t *testing.T) {
	f := newFixture(t)
	marker := fmt.Sprintf("0.000%09d", time.Now().UnixNano()%1e9)
	s := f.spec("sleep 300 " + marker + " & (sleep 300 " + marker + " &) ; echo started; wait")
	pr, pw := io.Pipe()
	s.Stdout = pw
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // a failure below must not leave the sandbox running
	done := make(chan error, 1)
	go func() { done <- Run(ctx, s); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || line != "started\n" {
		t.Fatalf("script did not start: %q %v", line, err)
	}
	go io.Copy(io.Discard, pr)
	// The script's own command line holds the marker too; count only the sleepers themselves.
	marker = "sleep\x00300\x00" + marker
	// "started" can come before a sleeper's fork has exec'd (seen under load), so wait for both.
	waitFor(t, "both sleepers run before cancel", func() bool { return countHost(t, marker) == 2 })
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	t.Logf("Run returned %v after cancel", time.Since(start))
	waitFor(t, "no sleeper is left on the host", func() bool { return countHost(t, marker) == 0 })
}

// countHost counts host processes whose command line holds marker.
func countHost(t *testing.T, marker string) int {
	t.Helper()
	n := 0
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		b, err := os.ReadFile(d + "/cmdline")
		if err == nil && strings.Contains(string(b), marker) {
			n++
		}
	}
	return n
}

func TestRunSeed(t *testing.T) {
	bb := busyboxTree(t)
	seed := t.TempDir()
	if err := os.MkdirAll(filepath.Join(seed, "usr", "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The seed's usr/bin is the busybox tree's bin, so /bin/sh resolves through the /bin link.
	if err := os.Rename(filepath.Join(bb, "bin"), filepath.Join(seed, "usr", "bin")); err != nil {
		t.Fatal(err)
	}
	s := Spec{
		Seed:     seed,
		BuildDir: t.TempDir(),
		Env:      []string{"PATH=/usr/bin:/bin"},
		Argv:     []string{"/bin/sh", "-c", "readlink /bin; readlink /lib; ls /; touch /usr/x 2>/dev/null && echo WROTE; true"},
	}
	stdout, stderr, err := runSpec(t, s)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	want := "usr/bin\nusr/lib\nbin build dev etc lib proc tmp usr"
	if got := strings.Join(strings.Fields(stdout), " "); got != strings.Join(strings.Fields(want), " ") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestRunBin is the seedless sandbox: /bin and /usr/bin are the input's bin/, so a script's
// #!/bin/sh and #!/usr/bin/env resolve, and nothing else of a /usr exists.
func TestRunBin(t *testing.T) {
	f := newFixture(t)
	s := f.spec(`printf '#!/usr/bin/env sh\necho env-ok\n' > /build/a; printf '#!/bin/sh\necho sh-ok\n' > /build/b
chmod +x /build/a /build/b; /build/a; /build/b; readlink /bin; readlink /usr/bin; ls /usr; ls /`)
	s.Bin = bbStore + "/bin"
	stdout, stderr, err := runSpec(t, s)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	want := "env-ok sh-ok " + bbStore + "/bin " + bbStore + "/bin bin bin build dev etc ix proc tmp usr"
	if got := strings.Join(strings.Fields(stdout), " "); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRunSetupErrors(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name string
		edit func(*Spec)
		want string
	}{
		{"unknown command", func(s *Spec) { s.Argv = []string{"no-such-tool"} }, "not found in the sandbox's PATH"},
		{"missing input", func(s *Spec) { s.Inputs = append(s.Inputs, Mount{Host: "/no/such", Path: "/ix/store/x"}) }, "/no/such"},
		{"relative path", func(s *Spec) { s.Inputs[0].Path = "ix/store/x" }, "must be absolute"},
		{"reserved path", func(s *Spec) { s.Out.Path = "/proc/x" }, "inside /proc"},
		{"empty argv", func(s *Spec) { s.Argv = nil }, "empty Argv"},
		{"seed without usr", func(s *Spec) { s.Seed = t.TempDir() }, "has no usr"},
		{"bad dir", func(s *Spec) { s.Dir = "/nonexistent" }, "working directory"},
		{"bin and seed", func(s *Spec) { s.Bin = bbStore + "/bin"; s.Seed = t.TempDir() }, "both want /bin"},
		{"bin outside inputs", func(s *Spec) { s.Bin = "/ix/store/elsewhere/bin" }, "in none of the inputs"},
		{"bin relative", func(s *Spec) { s.Bin = "bin" }, "must be absolute"},
		{"jobserver missing", func(s *Spec) { s.Jobserver = "/no/such/fifo" }, "/no/such/fifo"},
		{"jobserver not a fifo", func(s *Spec) { s.Jobserver = s.Inputs[0].Host }, "is not a fifo"},
		{"input under usr", func(s *Spec) {
			s.Bin = bbStore + "/bin"
			s.Inputs = append(s.Inputs, Mount{Host: t.TempDir(), Path: "/usr/lib"})
		}, "inside /usr, which the Bin link provides"},
		{"input under bin with the seed", func(s *Spec) {
			s.Seed = t.TempDir()
			s.Inputs = append(s.Inputs, Mount{Host: t.TempDir(), Path: "/bin/x"})
		}, "inside /bin, which the seed provides"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := f.spec("true")
			tc.edit(&s)
			_, _, err := runSpec(t, s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestCheckUserns(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		uid   int
		want  string // the setting named, "" for no error
	}{
		{"defaults", map[string]string{"user/max_user_namespaces": "63000\n"}, 1000, ""},
		{"max zero root", map[string]string{"user/max_user_namespaces": "0\n"}, 0, "user.max_user_namespaces"},
		{"max zero user", map[string]string{"user/max_user_namespaces": "0\n"}, 1000, "user.max_user_namespaces"},
		{"debian knob off", map[string]string{"kernel/unprivileged_userns_clone": "0\n"}, 1000, "kernel.unprivileged_userns_clone"},
		{"debian knob off root", map[string]string{"kernel/unprivileged_userns_clone": "0\n"}, 0, ""},
		{"debian knob on", map[string]string{"kernel/unprivileged_userns_clone": "1\n"}, 1000, ""},
		{"apparmor", map[string]string{"kernel/apparmor_restrict_unprivileged_userns": "1\n"}, 1000, "kernel.apparmor_restrict_unprivileged_userns"},
		{"no files", nil, 1000, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tc.files {
				p := filepath.Join(dir, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := checkUserns(dir, tc.uid)
			var ue *UsernsError
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tc.want != "" && (!errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "sysctl -w")):
				t.Errorf("got %v, want an error naming %s and the sysctl fix", err, tc.want)
			}
		})
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readEq(t *testing.T, p, want string) {
	t.Helper()
	if got := readFile(t, p); got != want {
		t.Errorf("%s = %q, want %q", p, got, want)
	}
}

// BenchmarkRunTrue measures the cost of one sandbox around a command that does nothing.
func BenchmarkRunTrue(b *testing.B) {
	f := newFixture(b)
	s := f.spec("true")
	for b.Loop() {
		if err := Run(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRunParallel runs several sandboxes at once, as the scheduler does, each with its own output.
func TestRunParallel(t *testing.T) {
	f := newFixture(t)
	const n = 6
	errs := make(chan error, n)
	outs := make([]string, n)
	for i := range n {
		outs[i] = t.TempDir()
		s := f.spec(fmt.Sprintf("echo %d > $out/i; hostname >> $out/i", i))
		s.Out.Host = outs[i]
		go func() { errs <- Run(context.Background(), s) }()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	for i, dir := range outs {
		readEq(t, filepath.Join(dir, "i"), fmt.Sprintf("%d\nstalix\n", i))
	}
}

// TestParentKilled kills -9 a process that runs a sandbox: nothing of the sandbox may survive it.
// The process is this test binary running this test again, with STALIX_SANDBOX_HELPER set: in
// it, the test plays the victim and runs a sandbox that sleeps.
func TestParentKilled(t *testing.T) {
	if marker := os.Getenv("STALIX_SANDBOX_HELPER"); marker != "" {
		f := newFixture(t)
		s := f.spec("sleep 300 " + marker + " & echo started; wait")
		s.Stdout = os.Stdout
		Run(context.Background(), s)
		return
	}
	hostBusybox(t)
	marker := fmt.Sprintf("0.000%09d", time.Now().UnixNano()%1e9)
	cmd := exec.Command("/proc/self/exe", "-test.run=^TestParentKilled$", "-test.v")
	// The helper dies by kill -9 and cannot remove its temporary directories, so they go under
	// ours, which this test's cleanup removes.
	cmd.Env = append(os.Environ(), "STALIX_SANDBOX_HELPER="+marker, "TMPDIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }() // when a check below fails first
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "started" {
	}
	waitFor(t, "the helper's sleeper runs", func() bool { return countHost(t, "sleep\x00300\x00"+marker) == 1 })
	cmd.Process.Kill()
	cmd.Wait()
	waitFor(t, "the helper's sleeper is gone", func() bool { return countHost(t, "sleep\x00300\x00"+marker) == 0 })
}

// TestRunUsage: the CPU of every process in the sandbox is counted, a
// grandchild's included, and a busy script costs more than an idle one.
func TestRunUsage(t *testing.T) {
	f := newFixture(t)
	usage := func(script string) Usage {
		s := f.spec(script)
		u, err := RunUsage(context.Background(), s)
		if err != nil {
			t.Fatalf("%q: %v", script, err)
		}
		return u
	}
	idle := usage("true")
	busy := usage(`sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done' & wait`)
	if busy.User+busy.Sys < 10*time.Millisecond || busy.User+busy.Sys <= idle.User+idle.Sys {
		t.Errorf("busy script used %v+%v, idle one %v+%v", busy.User, busy.Sys, idle.User, idle.Sys)
	}
	t.Logf("busy %v user %v sys, idle %v user %v sys", busy.User, busy.Sys, idle.User, idle.Sys)
	failed, err := RunUsage(context.Background(), f.spec(`i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; exit 1`))
	if err == nil || failed.User+failed.Sys == 0 {
		t.Errorf("a failed run: err %v, usage %v", err, failed)
	}
}
