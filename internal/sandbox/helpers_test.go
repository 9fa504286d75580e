package sandbox

import (
	"bytes"
	"context"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	Main()
	os.Exit(m.Run())
}

// bbStore is where the busybox "input" sits inside the sandbox, like a real store path.
const bbStore = "/ix/store/0000000000000000000000000000000000000000000000000000-busybox-1.35.0"

// outStore is the output path the tests give the sandbox.
const outStore = "/ix/store/1111111111111111111111111111111111111111111111111111-test-1"

// hostBusybox returns the host's static busybox, or skips: a dynamic one would need the host's
// libc inside the sandbox, which is exactly what the sandbox keeps out.
func hostBusybox(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("busybox")
	if err != nil {
		t.Skip("needs a static busybox (apt-get install busybox-static)")
	}
	f, err := elf.Open(p)
	if err != nil {
		t.Fatalf("%s is not an ELF file: %v", p, err)
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			t.Skip("needs a static busybox (apt-get install busybox-static); " + p + " is dynamic")
		}
	}
	return p
}

// busyboxTree makes a host directory holding bin/busybox and a link per applet, the shape of a
// store path, and returns it.
func busyboxTree(t testing.TB) string {
	t.Helper()
	bb := hostBusybox(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bb)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "busybox"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	list, err := exec.Command(bb, "--list").Output()
	if err != nil {
		t.Fatalf("busybox --list: %v", err)
	}
	for _, applet := range strings.Fields(string(list)) {
		if applet == "busybox" || strings.Contains(applet, "/") {
			continue
		}
		if err := os.Symlink("busybox", filepath.Join(bin, applet)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fixture is a sandbox spec around busybox with a build dir and an output, ready for a script.
type fixture struct {
	bb, build, out string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return &fixture{bb: busyboxTree(t), build: t.TempDir(), out: t.TempDir()}
}

func (f *fixture) env() []string {
	return []string{
		"PATH=" + bbStore + "/bin",
		"HOME=/build/home",
		"TZ=UTC",
		"LC_ALL=C",
		"TERM=dumb",
		"SOURCE_DATE_EPOCH=1",
		"out=" + outStore,
	}
}

func (f *fixture) spec(script string) Spec {
	return Spec{
		Inputs:   []Mount{{Host: f.bb, Path: bbStore}},
		BuildDir: f.build,
		Out:      Mount{Host: f.out, Path: outStore},
		Env:      f.env(),
		Argv:     []string{bbStore + "/bin/sh", "-c", script},
		Dir:      "/build",
	}
}

// run runs script in the fixture's sandbox and returns its stdout and stderr.
func (f *fixture) run(t testing.TB, script string) (string, string, error) {
	t.Helper()
	s := f.spec(script)
	return runSpec(t, s)
}

func runSpec(t testing.TB, s Spec) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	s.Stdout, s.Stderr = &stdout, &stderr
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := Run(ctx, s)
	return stdout.String(), stderr.String(), err
}

// tryScript wraps attempts into a script that prints "ESCAPED: x" for every attempt that worked
// and "blocked: x" otherwise, then "done", so a test can tell a blocked attempt from a script
// that never got that far.
func tryScript(attempts []string) string {
	var b strings.Builder
	b.WriteString("try() { if sh -c \"$1\" >/dev/null 2>&1; then echo \"ESCAPED: $1\"; else echo \"blocked: $1\"; fi; }\n")
	for _, a := range attempts {
		b.WriteString("try '" + strings.ReplaceAll(a, "'", `'\''`) + "'\n")
	}
	b.WriteString("echo done\n")
	return b.String()
}

// checkBlocked fails the test unless every attempt ran and was blocked.
func checkBlocked(t *testing.T, attempts []string, stdout, stderr string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("sandbox: %v\nstderr: %s", err, stderr)
	}
	if !strings.HasSuffix(stdout, "done\n") {
		t.Fatalf("script did not finish; stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	blocked := 0
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "ESCAPED: ") {
			t.Errorf("escape succeeded: %s", strings.TrimPrefix(line, "ESCAPED: "))
		}
		if strings.HasPrefix(line, "blocked: ") {
			blocked++
		}
	}
	if blocked != len(attempts) {
		t.Errorf("%d of %d attempts reported blocked:\n%s", blocked, len(attempts), stdout)
	}
}

// hostRun runs the same shell snippet with the host's busybox, outside any sandbox: the control
// that shows an attempt would work if it were not for the sandbox.
func hostRun(t testing.TB, snippet string) error {
	t.Helper()
	cmd := exec.Command(hostBusybox(t), "sh", "-c", snippet)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	return cmd.Run()
}
