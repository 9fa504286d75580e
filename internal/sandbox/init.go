package sandbox

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Main runs the sandbox's init when the binary was re-executed by Run, and never returns in that
// case. Otherwise it returns at once. Call it first in main() and in every TestMain of a package
// whose tests call Run.
func Main() {
	if len(os.Args) < 3 || os.Args[1] != hiddenArg {
		return
	}
	os.Exit(initMain(os.Args[2]))
}

// initMain is pid 1 of the sandbox: it builds the sealed root, starts the script and reaps every
// process until the script exits, then exits with its status, which kills whatever is left.
func initMain(fdArg string) int {
	// prctl(PR_SET_NO_NEW_PRIVS) and the fork below act on one thread; keep them on the same one.
	runtime.LockOSThread()
	cfgFD, err := strconv.Atoi(fdArg)
	if err != nil || cfgFD < 3 {
		fmt.Fprintf(os.Stderr, "stalix-sandbox-init: bad fd %q\n", fdArg)
		return setupFailed
	}
	status := os.NewFile(uintptr(cfgFD+1), "status")
	syscall.CloseOnExec(cfgFD + 1)
	fail := func(err error) int {
		fmt.Fprintf(status, "%v\n", err)
		status.Close()
		return setupFailed
	}

	var c config
	cf := os.NewFile(uintptr(cfgFD), "config")
	err = json.NewDecoder(cf).Decode(&c)
	cf.Close()
	if err != nil {
		return fail(fmt.Errorf("reading the configuration: %w", err))
	}
	if err := buildRoot(&c); err != nil {
		return fail(err)
	}
	if err := seal(&c); err != nil {
		return fail(err)
	}
	argv0, err := lookPath(c.Argv[0], envValue(c.Env, "PATH"))
	if err != nil {
		return fail(err)
	}
	files := []uintptr{0, 1, 2}
	for i := 0; i < c.ExtraFiles; i++ {
		files = append(files, uintptr(3+i))
	}
	pid, err := syscall.ForkExec(argv0, c.Argv, &syscall.ProcAttr{
		Dir:   c.Dir,
		Env:   c.Env,
		Files: files,
		Sys: &syscall.SysProcAttr{
			// A user namespace nested in ours, with a mount namespace it owns: every mount made
			// above is then locked, so root inside cannot remount an input writable or unmount
			// something to see what lies below it.
			Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
			UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: 1}},
			GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: 1}},
			Pdeathsig:   syscall.SIGKILL,
		},
	})
	if err != nil {
		return fail(fmt.Errorf("starting %s: %w", c.Argv[0], err))
	}
	status.Close()
	return reap(pid)
}

// reap waits for every child, since orphans of the script are re-parented to pid 1, and returns
// the exit status of pid in the shell's convention (128+signal when killed).
func reap(pid int) int {
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(-1, &ws, 0, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 127
		}
		if got != pid {
			continue
		}
		if ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ws.ExitStatus()
	}
}

// seal finishes the process state the script inherits: host name, loopback, umask, working
// directory, and no way to gain privileges or be inspected through /proc/1.
func seal(c *config) error {
	if err := unix.Sethostname([]byte(c.Hostname)); err != nil {
		return fmt.Errorf("setting the host name: %w", err)
	}
	if err := unix.Setdomainname([]byte("(none)")); err != nil {
		return fmt.Errorf("setting the domain name: %w", err)
	}
	if err := loopbackUp(); err != nil {
		return err
	}
	syscall.Umask(0o022)
	if err := os.Chdir(c.Dir); err != nil {
		return fmt.Errorf("working directory: %w", err)
	}
	// Not dumpable: the script cannot open /proc/1/exe (the host binary) or /proc/1/fd.
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_DUMPABLE): %w", err)
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", err)
	}
	return nil
}

// lookPath resolves a command name against the sandbox's PATH, not the host's, since the host
// environment is never consulted.
func lookPath(name, pathEnv string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	for _, dir := range strings.Split(pathEnv, ":") {
		if dir == "" {
			continue
		}
		p := path.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found in the sandbox's PATH %q: declare the package that provides it as a dependency", name, pathEnv)
}
