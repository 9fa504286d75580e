package qemu

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Expect is what a booted Stalix must answer.
type Expect struct {
	Arch       string // uname -m
	StoreCount int    // entries in /ix/store; 0 skips the check
	User       string // login name; "root"
	Password   string // typed if a password prompt comes
	Timeout    time.Duration
	// RootBus, when set, is the bus the root file system must sit on (a
	// Machine bus: nvme, ahci, usb, virtio), read from sysfs.
	RootBus string
	// DHCP, when set, names an interface that must get a DHCP lease
	// (busybox udhcpc) before the machine powers off.
	DHCP string
	// Commands run after the fixed questions; each must exit 0 (a
	// profile's [check] commands).
	Commands []string
}

var (
	loginRE  = regexp.MustCompile(`(?m)login: *$`)
	passRE   = regexp.MustCompile(`(?m)[Pp]assword: *$`)
	stage2RE = regexp.MustCompile(`runit: stage 2`)
	// kernelLineRE is a printk line on the console: "[    1.668802] tsc: ...".
	kernelLineRE = regexp.MustCompile(`^\[ *[0-9]+\.[0-9]+\] `)
	shellRE      = regexp.MustCompile(`(?m)[#$] *$`)
	eitherRE     = regexp.MustCompile(`(?m)([Pp]assword: *|[#$] *)$`)
	leaseRE      = regexp.MustCompile(`lease of [0-9.]+ obtained`)
)

// Check waits for runit's stage 2 and a login prompt, logs in, asks the
// system what it is, checks the answers, runs want.Commands and powers it
// off. On any failure the error carries the console log.
func Check(ctx context.Context, m Machine, want Expect, log io.Writer) error {
	s, err := Start(ctx, m, log)
	if err != nil {
		return err
	}
	if err := s.Login(want); err != nil {
		return s.Fail(err)
	}
	if err := s.Verify(want); err != nil {
		return s.Fail(err)
	}
	if err := s.PowerOff(); err != nil {
		return s.Fail(err)
	}
	return nil
}

// Fail stops the VM and wraps err with the end of the console log.
func (s *Session) Fail(err error) error {
	s.Kill()
	return fmt.Errorf("%w\n--- console ---\n%s\n--- end of console ---", err, tailLines(s.Output(), 60))
}

// Login waits for runit's stage 2 and a login prompt, and logs in as
// want.User, typing want.Password if asked.
func (s *Session) Login(want Expect) error {
	if want.Timeout == 0 {
		want.Timeout = 5 * time.Minute
	}
	if want.User == "" {
		want.User = "root"
	}
	if _, err := s.Expect(stage2RE, want.Timeout); err != nil {
		return err
	}
	if _, err := s.Expect(loginRE, want.Timeout); err != nil {
		return err
	}
	// getty may print its prompt before the console is quiet; a short wait
	// keeps the name from being eaten by a terminal reset.
	time.Sleep(500 * time.Millisecond)
	if err := s.Send(want.User + "\n"); err != nil {
		return err
	}
	m1, err := s.Expect(eitherRE, time.Minute)
	if err != nil {
		return err
	}
	if passRE.MatchString(m1[0]) {
		if err := s.Send(want.Password + "\n"); err != nil {
			return err
		}
		if _, err := s.Expect(shellRE, time.Minute); err != nil {
			return err
		}
	}
	// The kernel still prints to this console (a late "tsc: Refined TSC" line once landed in an
	// answer); dmesg -n 1 quiets it, and answers drop any kernel line that comes anyway.
	_, _, err = s.Run("dmesg -n 1 2>/dev/null", time.Minute)
	return err
}

// Verify asks a logged-in system what it is (uname -m, os-release, the
// store), where its root sits and, if asked, for a DHCP lease, checks the
// answers against want, and runs want.Commands.
func (s *Session) Verify(want Expect) error {
	out, _, err := s.Run("uname -m; cat /etc/os-release; ls /ix/store | wc -l", time.Minute)
	if err != nil {
		return err
	}
	if err := verify(out, want); err != nil {
		return err
	}
	if want.RootBus != "" {
		// mountpoint -d prints the root's MAJOR:MINOR; its sysfs path names the controller.
		out, _, err := s.Run("readlink -f /sys/dev/block/$(mountpoint -d /)", time.Minute)
		if err != nil {
			return err
		}
		if err := verifyRootBus(out, want.RootBus); err != nil {
			return err
		}
	}
	if want.DHCP != "" {
		// -s /bin/true: the lease alone is the check, so no script configures the interface.
		cmd := "ip link set " + want.DHCP + " up && udhcpc -i " + want.DHCP + " -f -q -n -t 10 -T 3 -s /bin/true 2>&1"
		out, code, err := s.Run(cmd, 2*time.Minute)
		if err != nil {
			return err
		}
		if !leaseRE.MatchString(out) || code != 0 {
			return fmt.Errorf("check: no DHCP lease on %s (exit %d):\n%s", want.DHCP, code, out)
		}
	}
	return runCommands(s, want.Commands, time.Minute)
}

// PowerOff powers the logged-in system off and waits for QEMU to exit.
func (s *Session) PowerOff() error {
	if err := s.Send("poweroff\n"); err != nil {
		return err
	}
	return s.Wait(2 * time.Minute)
}

// Run types cmd at the logged-in shell (commandLine: no input, errors
// with the output) and returns what it printed, kernel lines dropped, and
// its exit status.
func (s *Session) Run(cmd string, timeout time.Duration) (string, int, error) {
	if err := s.Send(commandLine(cmd)); err != nil {
		return "", 0, err
	}
	m, err := s.Expect(commandRE, timeout)
	if err != nil {
		return "", 0, fmt.Errorf("%q gave no answer: %w", cmd, err)
	}
	out, status, ok := commandResult(m[0])
	if !ok {
		return "", 0, fmt.Errorf("%q: unreadable answer %q", cmd, m[0])
	}
	return out, status, nil
}

// rootBusPaths is what the sysfs path of a disk on each bus contains.
var rootBusPaths = map[string]string{"nvme": "/nvme/", "ahci": "/ata", "usb": "/usb", "virtio": "/virtio"}

func verifyRootBus(out, bus string) error {
	part, ok := rootBusPaths[bus]
	if !ok {
		return fmt.Errorf("check: unknown root bus %q", bus)
	}
	path := strings.TrimSpace(out)
	if !strings.Contains(path, part) {
		return fmt.Errorf("check: the root is %s, not on %s", path, bus)
	}
	return nil
}

// verify reads the answers: uname -m, os-release, the store count.
func verify(out string, want Expect) error {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(strings.TrimSpace(out), "\r", ""), "\n") {
		if !kernelLineRE.MatchString(l) {
			lines = append(lines, l)
		}
	}
	if len(lines) < 3 {
		return fmt.Errorf("check: short answer %q", out)
	}
	if got := strings.TrimSpace(lines[0]); got != want.Arch {
		return fmt.Errorf("check: uname -m says %q, want %q", got, want.Arch)
	}
	if !strings.Contains(out, "ID=stalix") {
		return fmt.Errorf("check: /etc/os-release lacks ID=stalix:\n%s", out)
	}
	n, err := strconv.Atoi(strings.TrimSpace(lines[len(lines)-1]))
	if err != nil {
		return fmt.Errorf("check: store count %q is not a number", lines[len(lines)-1])
	}
	if want.StoreCount > 0 && n != want.StoreCount {
		return fmt.Errorf("check: /ix/store holds %d entries, want %d", n, want.StoreCount)
	}
	return nil
}

func tailLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
