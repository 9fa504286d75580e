// Package hosttool names what a step needs from the host and how to get it,
// so a test can tell "this machine lacks a tool" (skip) from any other
// error (fail).
package hosttool

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// MissingError says a host program or file is not there, and which Debian
// package provides it.
type MissingError struct {
	What    string // a program name or a file path
	Package string
	Err     error
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%s not found (apt-get install %s)", e.What, e.Package)
}

func (e *MissingError) Unwrap() error { return e.Err }

// Look finds program on PATH, or returns a MissingError naming pkg.
func Look(program, pkg string) (string, error) {
	p, err := exec.LookPath(program)
	if err != nil {
		return "", &MissingError{What: program, Package: pkg, Err: err}
	}
	return p, nil
}

// File returns a MissingError naming pkg when path does not exist, and
// other errors (a permission problem, say) as they are.
func File(path, pkg string) error {
	_, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return &MissingError{What: path, Package: pkg, Err: err}
	}
	return err
}

// IsMissing reports whether err, or one it wraps, is a MissingError.
func IsMissing(err error) bool {
	var m *MissingError
	return errors.As(err, &m)
}
