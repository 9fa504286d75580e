// Package testseed makes a stand-in seed for tests that exercise the build
// machinery without the real compiler seed: Debian's static busybox
// (package busybox-static), with links for the applets test scripts use.
package testseed

import (
	"os"
	"path/filepath"

	"stalix.dev/stalix-build/internal/hosttool"
)

// Busybox returns the host's static busybox, or "" when there is none.
func Busybox() string {
	for _, p := range []string{"/bin/busybox", "/usr/bin/busybox"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Make writes a seed root under dir: usr/bin/busybox plus applet links.
func Make(dir string) error {
	bb := Busybox()
	if bb == "" {
		return &hosttool.MissingError{What: "a static busybox in /bin or /usr/bin", Package: "busybox-static"}
	}
	bin := filepath.Join(dir, "usr", "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	data, err := os.ReadFile(bb)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(bin, "busybox"), data, 0o755); err != nil {
		return err
	}
	for _, a := range []string{"sh", "echo", "cat", "sleep", "mkdir", "cp", "date", "head", "od", "tr", "ls", "true", "false", "rm", "chmod", "ln", "find", "xargs"} {
		if err := os.Symlink("busybox", filepath.Join(bin, a)); err != nil {
			return err
		}
	}
	return nil
}
