package sandbox

import (
	"crypto/sha256"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Every escape test runs the attempt on the host first where that makes sense (the control: it
// works there) and then inside the sandbox, where it must fail.

func TestEscapeNetwork(t *testing.T) {
	f := newFixture(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	connect := fmt.Sprintf("nc -w 2 127.0.0.1 %d </dev/null", port)
	if err := hostRun(t, connect); err != nil {
		t.Fatalf("control: %q fails on the host too: %v", connect, err)
	}
	waitFor(t, "the host listener saw the control's connection", func() bool { return accepted.Load() == 1 })

	attempts := []string{
		connect,
		// Any interface but lo would be a way out.
		`grep -v -e "^Inter" -e "^ face" -e "^ *lo:" /proc/net/dev | grep .`,
	}
	stdout, stderr, err := f.run(t, tryScript(attempts))
	checkBlocked(t, attempts, stdout, stderr, err)
	if n := accepted.Load(); n != 1 {
		t.Errorf("the host listener saw %d connections, want only the control's", n)
	}
}

// TestLoopback shows the sandbox's own loopback is up, so the network test above fails for the
// right reason and builds whose tests use 127.0.0.1 still work.
func TestLoopback(t *testing.T) {
	f := newFixture(t)
	// The listener reads its reply from a file, not a pipe: busybox nc exits when the peer's EOF
	// arrives, and a pipe's writer may not have written by then (seen in CI, and here under load).
	// A regular file is readable at once, and nc serves stdin before the socket.
	stdout, stderr, err := f.run(t, `
		echo hello-lo >/tmp/reply
		nc -l -p 7777 </tmp/reply &
		for i in 1 2 3 4 5 6 7 8 9 10; do
			if got=$(nc -w 2 127.0.0.1 7777 </dev/null 2>/dev/null) && [ -n "$got" ]; then echo "$got"; exit 0; fi
			sleep 0.2
		done
		exit 1`)
	if err != nil || strings.TrimSpace(stdout) != "hello-lo" {
		t.Fatalf("loopback inside: err=%v stdout=%q stderr=%q", err, stdout, stderr)
	}
}

func TestEscapeReadHostFile(t *testing.T) {
	f := newFixture(t)
	secretDir := t.TempDir()
	secret := filepath.Join(secretDir, "secret")
	if err := os.WriteFile(secret, []byte("s3cr3t\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	paths := []string{secret, secretDir}
	for _, p := range []string{"/etc/hostname", "/etc/passwd", "/etc/shadow"} {
		if hostRun(t, "cat "+p) == nil {
			paths = append(paths, p)
		}
	}
	if home, err := os.UserHomeDir(); err == nil && hostRun(t, "ls "+home) == nil {
		paths = append(paths, home)
	}
	var attempts []string
	for _, p := range paths {
		if p == "/etc/passwd" {
			// The sandbox has its own /etc/passwd; it must not be the host's.
			host, _ := os.ReadFile(p)
			attempts = append(attempts, fmt.Sprintf(`[ "$(sha256sum </etc/passwd | cut -d" " -f1)" = %x ]`, sha256.Sum256(host)))
			continue
		}
		attempts = append(attempts, "ls "+p, "cat "+p)
	}
	// The init's exe and fds are the host's; it is not dumpable, so they are out of reach.
	attempts = append(attempts, "cat /proc/1/exe", "for f in /proc/1/fd/*; do readlink $f && exit 0; done; exit 1", "ls /proc/1/root/", "ls /proc/1/cwd/")
	stdout, stderr, err := f.run(t, tryScript(attempts))
	checkBlocked(t, attempts, stdout, stderr, err)
	if strings.Contains(stdout, "s3cr3t") {
		t.Errorf("the secret leaked into the output:\n%s", stdout)
	}
}

// TestRootHoldsOnlyDeclared lists the sandbox's / and /ix/store: nothing the spec did not ask for.
func TestRootHoldsOnlyDeclared(t *testing.T) {
	f := newFixture(t)
	stdout, stderr, err := f.run(t, `ls -a /; echo --; ls -a /ix/store; echo --; ls -a /etc; echo --; ls -a /dev`)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	parts := strings.Split(stdout, "--\n")
	want := []string{
		". .. build dev etc ix proc tmp",
		". .. " + filepath.Base(bbStore) + " " + filepath.Base(outStore),
		". .. group hosts passwd",
	}
	for i, w := range want {
		if got := strings.Join(strings.Fields(parts[i]), " "); got != w {
			t.Errorf("listing %d: got %q, want %q", i, got, w)
		}
	}
	dev := strings.Fields(parts[3])
	for _, d := range devices {
		if _, err := os.Stat("/dev/" + d); err == nil && !contains(dev, d) {
			t.Errorf("/dev lacks %s: %v", d, dev)
		}
	}
}

func TestEscapeWrite(t *testing.T) {
	f := newFixture(t)
	before := treeDigest(t, f.bb)
	attempts := []string{
		"echo x > " + bbStore + "/new",
		"echo x >> " + bbStore + "/bin/busybox",
		"rm " + bbStore + "/bin/ls",
		"echo x > /new",
		"mkdir /ix/store/2222-other",
		"echo x > /etc/passwd",
		"echo x > /dev/new",
		// Root inside must not be able to lift the read-only flag or peel a mount off.
		"mount -o remount,rw " + bbStore + " && echo x > " + bbStore + "/new",
		"mount -o remount,rw / && echo x > /new",
		"mount -o remount,bind,rw " + bbStore + " && echo x > " + bbStore + "/new",
		"umount -l " + bbStore,
	}
	script := tryScript(attempts) + "echo ok > $out/result\n"
	stdout, stderr, err := f.run(t, script)
	checkBlocked(t, attempts, stdout, stderr, err)
	if after := treeDigest(t, f.bb); after != before {
		t.Errorf("the input changed on the host:\nbefore %s\nafter  %s", before, after)
	}
	if b, err := os.ReadFile(filepath.Join(f.out, "result")); err != nil || string(b) != "ok\n" {
		t.Errorf("the output was not writable: %q, %v", b, err)
	}
}

func TestEscapeHostProcess(t *testing.T) {
	f := newFixture(t)
	// busybox picks its applet by argv[0], so the marker rides as a second, tiny sleep argument.
	marker := fmt.Sprintf("0.000%09d", time.Now().UnixNano()%1e9)
	host := exec.Command(hostBusybox(t), "sleep", "60", marker)
	if err := host.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { host.Process.Kill(); host.Wait() }()
	// Start returns once the child is forked, not once it has exec'd busybox: until then its
	// cmdline is still this test binary's, so wait for the exec.
	waitFor(t, "control: the marker process is visible on the host", func() bool {
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", host.Process.Pid))
		return strings.Contains(string(cmdline), marker)
	})
	grepMarker := "cat /proc/[0-9]*/cmdline | grep -a " + strings.Replace(marker, ".", "[.]", 1)
	if err := hostRun(t, grepMarker); err != nil {
		t.Fatalf("control: %q finds nothing on the host: %v", grepMarker, err)
	}
	attempts := []string{
		fmt.Sprintf("ls /proc/%d", os.Getpid()),
		fmt.Sprintf("ls /proc/%d", host.Process.Pid),
		fmt.Sprintf("kill -0 %d", host.Process.Pid),
		// The bracket keeps the pattern from matching this very command line.
		grepMarker,
		// Pids of a new namespace count up from 1; a script this small never reaches 1000.
		"ls -d /proc/[0-9][0-9][0-9][0-9]*",
	}
	stdout, stderr, err := f.run(t, tryScript(attempts))
	checkBlocked(t, attempts, stdout, stderr, err)
}

func TestEscapeUndeclaredTool(t *testing.T) {
	f := newFixture(t)
	var present []string
	for _, p := range []string{"/usr/bin/python3", "/usr/bin/gcc", "/usr/bin/cc", "/usr/bin/make", "/bin/bash", "/usr/bin/perl"} {
		if _, err := os.Stat(p); err == nil {
			present = append(present, p)
		}
	}
	if len(present) == 0 {
		t.Skip("needs a host tool to hide, e.g. gcc or python3 (apt-get install gcc)")
	}
	var attempts []string
	for _, p := range present {
		attempts = append(attempts, p+" --version", "test -e "+p, "command -v "+filepath.Base(p))
	}
	stdout, stderr, err := f.run(t, tryScript(attempts))
	checkBlocked(t, attempts, stdout, stderr, err)
}

// TestEscapeKernelSettings tries to change settings that belong to the whole host. When the
// caller is root, root inside is kernel uid 0, which plain permission checks let through.
func TestEscapeKernelSettings(t *testing.T) {
	f := newFixture(t)
	attempts := []string{
		// Writing back the current value changes nothing even if it got through.
		"v=$(cat /proc/sys/vm/stat_interval) && echo $v > /proc/sys/vm/stat_interval",
		"v=$(cat /proc/sys/kernel/core_pattern) && echo \"$v\" > /proc/sys/kernel/core_pattern",
		"test -w /proc/sysrq-trigger && : > /proc/sysrq-trigger",
		"umount /proc/sys",
		"mount -t proc proc /tmp",
		"head -c 1 /proc/kcore | grep -q .",
	}
	stdout, stderr, err := f.run(t, tryScript(attempts))
	checkBlocked(t, attempts, stdout, stderr, err)
}

// waitFor polls cond until it holds. The deadline is generous because a loaded machine may take
// seconds to fork and exec; a passing check returns at its first true poll.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	const patience = 15 * time.Second
	for deadline := time.Now().Add(patience); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting until %s", patience, what)
		}
	}
}

// treeDigest hashes names, modes, sizes and contents of a host tree, to see that it did not change.
func treeDigest(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	var names []string
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, p)
		fmt.Fprintf(h, "%s %v %d\n", p, fi.Mode(), fi.Size())
		if fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			h.Write(b)
		}
		return nil
	})
	sort.Strings(names)
	return fmt.Sprintf("%d entries %x", len(names), h.Sum(nil))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
