package qemu

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/hosttool"
)

func TestVerify(t *testing.T) {
	good := "x86_64\r\nNAME=Stalix\r\nID=stalix\r\n5\r\n"
	cases := []struct {
		name, out string
		want      Expect
		err       string
	}{
		{"ok", good, Expect{Arch: "x86_64", StoreCount: 5}, ""},
		{"arch", good, Expect{Arch: "aarch64"}, `uname -m says "x86_64"`},
		{"count", good, Expect{Arch: "x86_64", StoreCount: 4}, "holds 5 entries, want 4"},
		{"id", "x86_64\nID=debian\n5\n", Expect{Arch: "x86_64"}, "lacks ID=stalix"},
		{"short", "x86_64\n", Expect{Arch: "x86_64"}, "short answer"},
		// Seen in a make test run: the kernel printed on the console between the commands.
		{"kernel line first", "[    1.668802] tsc: Refined TSC clocksource calibration: 2596.135 MHz\r\n" + good, Expect{Arch: "x86_64", StoreCount: 5}, ""},
		{"kernel line inside", "x86_64\r\nNAME=Stalix\r\n[   12.5] random: crng init done\r\nID=stalix\r\n5\r\n", Expect{Arch: "x86_64", StoreCount: 5}, ""},
		{"kernel line last", good + "[    2.000001] x\r\n", Expect{Arch: "x86_64", StoreCount: 5}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := verify(c.out, c.want)
			if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
				t.Errorf("verify: %v, want %q", err, c.err)
			}
		})
	}
}

func TestArgs(t *testing.T) {
	_, args, err := Machine{Arch: "x86_64", Disk: "/tmp/d.img"}.Args()
	if hosttool.IsMissing(err) {
		t.Skip(err) // names the tool and its package
	}
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(args, " ")
	for _, want := range []string{"-accel tcg", "snapshot=on", "-bios /usr/share/ovmf/OVMF.fd", "-serial stdio"} {
		if !strings.Contains(joined, want) {
			t.Errorf("args lack %q: %s", want, joined)
		}
	}
	if _, _, err := (Machine{Arch: "riscv64", Kernel: "k"}).Args(); err == nil {
		t.Error("unknown arch accepted")
	}
	if _, _, err := (Machine{Arch: "x86_64"}).Args(); err == nil {
		t.Error("nothing to boot accepted")
	}
}

func TestCommandResult(t *testing.T) {
	cases := []struct {
		name, console, out string
		status             int
		ok                 bool
	}{
		{"ok", "STALIX-CMD-BEGIN\r\ncurl 7.88.1 (x86_64-linux-musl)\r\nSTALIX-CMD-END 0\r\n", "curl 7.88.1 (x86_64-linux-musl)", 0, true},
		{"failed", "STALIX-CMD-BEGIN\r\nsh: nope: not found\r\nSTALIX-CMD-END 127\r\n", "sh: nope: not found", 127, true},
		{"no output", "STALIX-CMD-BEGIN\r\nSTALIX-CMD-END 0\r\n", "", 0, true},
		{"kernel line", "STALIX-CMD-BEGIN\r\n[    3.1] random: crng init done\r\nless 590\r\nSTALIX-CMD-END 0\r\n", "less 590", 0, true},
		// The typed line's echo holds the markers broken by quotes and $? unexpanded.
		{"echo only", "# echo STALIX-CMD-B''EGIN; (ls) </dev/null 2>&1; echo STALIX-CMD-E''ND $?\r\n", "", 0, false},
		{"no end yet", "STALIX-CMD-BEGIN\r\npartial", "", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, status, ok := commandResult(c.console)
			if out != c.out || status != c.status || ok != c.ok {
				t.Errorf("commandResult = %q, %d, %v; want %q, %d, %v", out, status, ok, c.out, c.status, c.ok)
			}
		})
	}
}

// The typed line, echoed back by the console, is never read as an answer:
// only a shell that runs it prints the markers whole.
func TestCommandLineEchoDoesNotMatch(t *testing.T) {
	for _, cmd := range []string{"curl --version", "echo STALIX-CMD-END 0", "true"} {
		if commandRE.MatchString(commandLine(cmd) + "\r\n") {
			t.Errorf("the echo of %q matches the answer pattern", cmd)
		}
	}
}

func FuzzCommandResult(f *testing.F) {
	f.Add("STALIX-CMD-BEGIN\r\nx\r\nSTALIX-CMD-END 0\r\n")
	f.Add("STALIX-CMD-BEGIN\nSTALIX-CMD-END 99999999999999999999999\n")
	f.Fuzz(func(t *testing.T, console string) {
		out, status, ok := commandResult(console)
		if !ok && (out != "" || status != 0) {
			t.Fatalf("no answer, yet %q, %d", out, status)
		}
		if ok && (status < 0 || strings.Contains(out, "\r")) {
			t.Fatalf("answer %q, status %d", out, status)
		}
	})
}

// runCommands against a real shell on the console's pipes: the answers are
// read, and the first failing command is named with its status and output.
func TestRunCommands(t *testing.T) {
	sh, err := hosttool.Look("sh", "dash")
	if err != nil {
		t.Skip(err) // names the tool and its package
	}
	s, err := start(exec.Command(sh), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		s.Send("exit\n")
		s.Wait(10 * time.Second)
	}()
	if err := runCommands(s, []string{"echo hello", "true", "cat"}, 10*time.Second); err != nil {
		t.Fatalf("passing commands failed: %v", err)
	}
	err = runCommands(s, []string{"echo fine", "echo broken >&2; exit 3", "echo never"}, 10*time.Second)
	if err == nil {
		t.Fatal("a command exiting 3 passed")
	}
	for _, want := range []string{`"echo broken >&2; exit 3"`, "status 3", "broken"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %s", err, want)
		}
	}
	if strings.Contains(s.Output(), "\nnever") {
		t.Error("a command after the failing one ran")
	}
}
