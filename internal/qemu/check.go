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
	// The typed command echoes back first; the answer starts on a line of its own.
	resultRE = regexp.MustCompile(`(?s)\nSTALIX-CHECK-BEGIN\r?\n(.*?)STALIX-CHECK-END`)
)

// Check waits for runit's stage 2 and a login prompt, logs in, asks the
// system what it is, checks the answers, runs want.Commands and powers it
// off. On any failure
// the error carries the console log.
func Check(ctx context.Context, m Machine, want Expect, log io.Writer) error {
	if want.Timeout == 0 {
		want.Timeout = 5 * time.Minute
	}
	if want.User == "" {
		want.User = "root"
	}
	s, err := Start(ctx, m, log)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		s.Kill()
		return fmt.Errorf("%w\n--- console ---\n%s\n--- end of console ---", err, tailLines(s.Output(), 60))
	}
	if _, err := s.Expect(stage2RE, want.Timeout); err != nil {
		return fail(err)
	}
	if _, err := s.Expect(loginRE, want.Timeout); err != nil {
		return fail(err)
	}
	// getty may print its prompt before the console is quiet; a short wait
	// keeps the name from being eaten by a terminal reset.
	time.Sleep(500 * time.Millisecond)
	if err := s.Send(want.User + "\n"); err != nil {
		return fail(err)
	}
	shellRE := regexp.MustCompile(`(?m)[#$] *$`)
	either := regexp.MustCompile(`(?m)([Pp]assword: *|[#$] *)$`)
	m1, err := s.Expect(either, time.Minute)
	if err != nil {
		return fail(err)
	}
	if passRE.MatchString(m1[0]) {
		if err := s.Send(want.Password + "\n"); err != nil {
			return fail(err)
		}
		if _, err := s.Expect(shellRE, time.Minute); err != nil {
			return fail(err)
		}
	}
	// The kernel still prints to this console (a late "tsc: Refined TSC" line once landed in the
	// answer); dmesg -n 1 quiets it, and verify drops any kernel line that came before.
	cmd := "dmesg -n 1 2>/dev/null; echo STALIX-CHECK-BEGIN; uname -m; cat /etc/os-release; ls /ix/store | wc -l; echo STALIX-CHECK-END\n"
	if err := s.Send(cmd); err != nil {
		return fail(err)
	}
	res, err := s.Expect(resultRE, time.Minute)
	if err != nil {
		return fail(err)
	}
	if err := verify(res[1], want); err != nil {
		return fail(err)
	}
	if err := runCommands(s, want.Commands, time.Minute); err != nil {
		return fail(err)
	}
	if err := s.Send("poweroff\n"); err != nil {
		return fail(err)
	}
	if err := s.Wait(2 * time.Minute); err != nil {
		return fail(err)
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
