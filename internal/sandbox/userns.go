package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// UsernsError says that user namespaces are unavailable and which setting turns them on.
type UsernsError struct {
	Setting string // the sysctl (or other knob) to change
	Fix     string // the command that changes it
	Err     error  // the underlying error, if any
}

func (e *UsernsError) Error() string {
	msg := "sandbox: user namespaces are disabled on this host; " + e.Setting + " blocks them: run `" + e.Fix + "` as root"
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *UsernsError) Unwrap() error { return e.Err }

// usernsSettings are the knobs known to switch user namespaces off, checked in order. Each
// names its file under /proc/sys, the value that blocks, whether it binds root too, and the fix.
var usernsSettings = []struct {
	file, blocked string
	root          bool
	setting, fix  string
}{
	{"user/max_user_namespaces", "0", true,
		"user.max_user_namespaces=0", "sysctl -w user.max_user_namespaces=15000"},
	{"kernel/unprivileged_userns_clone", "0", false,
		"kernel.unprivileged_userns_clone=0", "sysctl -w kernel.unprivileged_userns_clone=1"},
	{"kernel/apparmor_restrict_unprivileged_userns", "1", false,
		"kernel.apparmor_restrict_unprivileged_userns=1", "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"},
}

// checkUserns reads the sysctls under procSys (normally /proc/sys) and returns a *UsernsError
// naming the first one that keeps uid from creating a user namespace. Missing files are fine:
// the knob does not exist on this kernel.
func checkUserns(procSys string, uid int) error {
	for _, s := range usernsSettings {
		if uid == 0 && !s.root {
			continue
		}
		b, err := os.ReadFile(filepath.Join(procSys, s.file))
		if err != nil {
			continue
		}
		if strings.TrimSpace(string(b)) == s.blocked {
			return &UsernsError{Setting: s.setting, Fix: s.fix}
		}
	}
	return nil
}

// explainStart turns a failure to start the namespaced child into an error that says what to
// change, since a bare EPERM from clone tells the user nothing.
func explainStart(err error, uid int) error {
	if !errors.Is(err, syscall.EPERM) && !errors.Is(err, syscall.EINVAL) &&
		!errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EUSERS) {
		return fmt.Errorf("sandbox: start: %w", err)
	}
	if e := checkUserns("/proc/sys", uid); e != nil {
		e.(*UsernsError).Err = err
		return e
	}
	return &UsernsError{
		Setting: "a seccomp filter or security module (e.g. a container runtime's default profile, or user.max_user_namespaces)",
		Fix:     "sysctl -w user.max_user_namespaces=15000, or run the container with --security-opt seccomp=unconfined",
		Err:     err,
	}
}
