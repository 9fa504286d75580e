package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// setupFailed is the exit status of the child init when it could not build the sealed root; the
// reason comes back over the status pipe.
const setupFailed = 125

// Run runs s.Argv in a fresh sandbox and waits for it. Cancelling ctx kills the whole process tree:
// the sandbox's init is pid 1 of its own pid namespace, and when it dies the kernel kills every
// process left in that namespace. A script that exits non-zero yields an error wrapping
// *exec.ExitError.
func Run(ctx context.Context, s Spec) error {
	_, err := RunUsage(ctx, s)
	return err
}

// Usage is the CPU time a sandbox's processes spent.
type Usage struct {
	User, Sys time.Duration
}

// RunUsage is Run, and also says how much CPU the sandbox used, failed runs included. The
// sandbox's init reaps every process of its namespace, so the kernel has added them all to its
// own usage by the time it exits.
func RunUsage(ctx context.Context, s Spec) (u Usage, err error) {
	if err := s.validate(); err != nil {
		return u, err
	}
	return u, run(ctx, s, &u)
}

func run(ctx context.Context, s Spec, u *Usage) error {
	uid, gid := os.Getuid(), os.Getgid()
	if err := checkUserns("/proc/sys", uid); err != nil {
		return err
	}
	// The child mounts its tmpfs root on this empty directory inside its own mount namespace, so
	// the host never sees anything on it.
	root, err := os.MkdirTemp("", "stalix-sandbox-")
	if err != nil {
		return fmt.Errorf("sandbox: mount point for the root: %w", err)
	}
	defer os.Remove(root)

	cfgR, cfgW, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	defer cfgR.Close()
	defer cfgW.Close()
	statR, statW, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	defer statR.Close()
	defer statW.Close()

	cfgFD := 3 + len(s.ExtraFiles)
	cmd := exec.CommandContext(ctx, "/proc/self/exe")
	cmd.Args = []string{"stalix-sandbox-init", hiddenArg, strconv.Itoa(cfgFD)}
	cmd.Env = []string{}
	cmd.Dir = "/"
	// nil leaves them on the null device, which needs no copying goroutine.
	cmd.Stdout = s.Stdout
	cmd.Stderr = s.Stderr
	cmd.ExtraFiles = append(append([]*os.File{}, s.ExtraFiles...), cfgR, statW)
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS | syscall.CLONE_NEWPID |
			syscall.CLONE_NEWNET | syscall.CLONE_NEWUTS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWCGROUP,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}},
		// A new session: no controlling terminal, so the host's /dev/tty cannot be reached from
		// inside, and the whole tree is one process group the parent can kill.
		Setsid: true,
		// If this process dies (even by kill -9) the sandbox goes with it.
		Pdeathsig: syscall.SIGKILL,
	}
	cmd.Cancel = func() error {
		if cmd.Process != nil {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
		return cmd.Process.Kill()
	}
	// Output copying ends when every process holding the pipes is gone; the pid namespace makes
	// that prompt, the delay only guards against a stuck writer outside it.
	cmd.WaitDelay = 5 * time.Second

	if err := cmd.Start(); err != nil {
		return explainStart(err, uid)
	}
	cfgR.Close()
	statW.Close()
	enc := json.NewEncoder(cfgW)
	werr := enc.Encode(newConfig(&s, root))
	cfgW.Close()
	status, _ := io.ReadAll(statR)
	err = cmd.Wait()
	if ps := cmd.ProcessState; ps != nil {
		u.User, u.Sys = ps.UserTime(), ps.SystemTime()
	}

	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("sandbox: %s: %w", s.Argv[0], ctx.Err())
	case len(status) > 0:
		return fmt.Errorf("sandbox: %s", strings.TrimSpace(string(status)))
	case werr != nil:
		return fmt.Errorf("sandbox: sending the configuration: %w", werr)
	case err != nil:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("sandbox: %s exited with status %d: %w", s.Argv[0], ee.ExitCode(), err)
		}
		return fmt.Errorf("sandbox: %s: %w", s.Argv[0], err)
	}
	return nil
}
