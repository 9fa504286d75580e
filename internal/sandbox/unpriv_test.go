package sandbox

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// nobody is the uid and gid the unprivileged run uses.
const nobody = 65534

// TestUnprivileged re-runs every sandbox test of this binary as uid 65534, so the sandbox is
// proven to work (and to hold) for an unprivileged user as well as for root. Run by hand as any
// user with: go test -c -o /tmp/s.test ./internal/sandbox && /tmp/s.test -test.v
func TestUnprivileged(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skipf("already running as uid %d: the other tests cover the unprivileged case", os.Getuid())
	}
	hostBusybox(t)
	// The go test binary sits in a 0700 build directory; nobody needs a copy it can execute.
	dir, err := os.MkdirTemp("", "stalix-unpriv-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "sandbox.test")
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-test.v", "-test.count=1",
		"-test.run=^(TestEscape|TestRun|TestLoopback|TestRootHolds)")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TMPDIR=/tmp", "HOME=/nonexistent"}
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: &syscall.Credential{Uid: nobody, Gid: nobody, NoSetGroups: false},
	}
	out, err := cmd.CombinedOutput()
	t.Logf("as uid %d:\n%s", nobody, out)
	if err != nil {
		t.Fatalf("tests failed as uid %d: %v", nobody, err)
	}
	passed := strings.Count(string(out), "--- PASS: Test")
	if passed < 10 || strings.Contains(string(out), "--- FAIL") || strings.Contains(string(out), "--- SKIP") {
		t.Errorf("as uid %d: %d tests passed, want every sandbox test to pass and none skipped", nobody, passed)
	}
}
