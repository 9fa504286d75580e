package qemu

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The markers around one command's output. The typed line breaks each
// marker word with an empty quoted string, so its echo never matches,
// however the console wraps it; only what the shell prints does.
var commandRE = regexp.MustCompile(`(?s)STALIX-CMD-BEGIN\r?\n(.*?)STALIX-CMD-END ([0-9]+)\r?\n`)

// commandLine is what is typed for cmd: its output and errors between the
// markers, no input (a command that reads stdin gets EOF, not the console),
// and its exit status after the end marker.
func commandLine(cmd string) string {
	return "echo STALIX-CMD-B''EGIN; (" + cmd + ") </dev/null 2>&1; echo STALIX-CMD-E''ND $?\n"
}

// commandResult reads one marked answer from console text: the command's
// output without carriage returns and kernel lines, and its exit status.
func commandResult(console string) (out string, status int, ok bool) {
	m := commandRE.FindStringSubmatch(console)
	if m == nil {
		return "", 0, false
	}
	status, err := strconv.Atoi(m[2])
	if err != nil {
		return "", 0, false
	}
	return cleanLines(m[1]), status, true
}

// cleanLines drops carriage returns and the kernel's printk lines.
func cleanLines(s string) string {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		if !kernelLineRE.MatchString(l) {
			lines = append(lines, l)
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// runCommands types each command in turn on a logged-in shell and wants
// exit status 0 from each; the first that fails is named with its status
// and output.
func runCommands(s *Session, cmds []string, timeout time.Duration) error {
	for _, c := range cmds {
		out, status, err := s.Run(c, timeout)
		if err != nil {
			return fmt.Errorf("check: %w", err)
		}
		if status != 0 {
			return fmt.Errorf("check: %q exited with status %d:\n%s", c, status, out)
		}
	}
	return nil
}
