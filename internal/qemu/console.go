package qemu

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"sync"
	"time"
)

// Session is a running VM whose serial console is read into a buffer and
// written from the caller.
type Session struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	mu    sync.Mutex
	buf   bytes.Buffer
	mark  int // Expect searches from here
	grow  chan struct{}
	done  chan struct{}
	err   error
}

// Start boots m; log, when set, receives everything the console prints.
func Start(ctx context.Context, m Machine, log io.Writer) (*Session, error) {
	bin, args, err := m.Args()
	if err != nil {
		return nil, err
	}
	return start(exec.CommandContext(ctx, bin, args...), log)
}

// start runs cmd with its stdin and output as the console.
func start(cmd *exec.Cmd, log io.Writer) (*Session, error) {
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	s := &Session{cmd: cmd, stdin: stdin, grow: make(chan struct{}, 1), done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("qemu: %w", err)
	}
	go func() {
		chunk := make([]byte, 4096)
		for {
			n, err := stdout.Read(chunk)
			if n > 0 {
				s.mu.Lock()
				s.buf.Write(chunk[:n])
				s.mu.Unlock()
				if log != nil {
					log.Write(chunk[:n])
				}
				select {
				case s.grow <- struct{}{}:
				default:
				}
			}
			if err != nil {
				break
			}
		}
		s.err = cmd.Wait()
		close(s.done)
	}()
	return s, nil
}

// Expect waits until re matches the console output after the last match
// and returns the submatches.
func (s *Session) Expect(re *regexp.Regexp, timeout time.Duration) ([]string, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		out := s.buf.Bytes()[s.mark:]
		if loc := re.FindSubmatchIndex(out); loc != nil {
			res := make([]string, len(loc)/2)
			for i := range res {
				if loc[2*i] >= 0 {
					res[i] = string(out[loc[2*i]:loc[2*i+1]])
				}
			}
			s.mark += loc[1]
			s.mu.Unlock()
			return res, nil
		}
		s.mu.Unlock()
		select {
		case <-s.grow:
		case <-s.done:
			// One last look: the final output may hold the match.
			s.mu.Lock()
			found := re.Match(s.buf.Bytes()[s.mark:])
			s.mu.Unlock()
			if found {
				continue
			}
			return nil, fmt.Errorf("qemu exited (%v) before the console showed %q", s.err, re)
		case <-deadline.C:
			return nil, fmt.Errorf("timed out after %s waiting for %q on the console", timeout, re)
		}
	}
}

// Send types text on the console.
func (s *Session) Send(text string) error {
	_, err := io.WriteString(s.stdin, text)
	return err
}

// Output is everything the console printed so far.
func (s *Session) Output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// Wait waits for QEMU to exit, killing it after timeout.
func (s *Session) Wait(timeout time.Duration) error {
	select {
	case <-s.done:
		return nil
	case <-time.After(timeout):
		s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("qemu did not power off within %s", timeout)
	}
}

// Kill stops the VM at once.
func (s *Session) Kill() {
	if s.cmd.Process != nil {
		s.cmd.Process.Kill()
	}
	<-s.done
}
