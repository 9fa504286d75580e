package policy

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// makeReadOnly sets directories to 0555 and drops every write bit of files; symlinks have no
// mode of their own.
func makeReadOnly(dir string, entries []entry) error {
	for _, e := range entries {
		p := filepath.Join(dir, e.rel)
		var mode os.FileMode
		switch e.kind {
		case kindDir:
			mode = 0o555
		case kindFile:
			mode = e.mode & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky) &^ 0o222
		default:
			continue
		}
		if err := os.Chmod(p, mode); err != nil {
			return fmt.Errorf("policy: making %s read-only: %w", e.rel, err)
		}
	}
	return nil
}

// setTimes sets atime and mtime of every entry, symlinks themselves included, to epoch. Changing
// an entry's times leaves its directory's mtime alone, so the order does not matter; it must come
// after every pass that writes.
func setTimes(dir string, entries []entry, epoch int64) error {
	ts := []unix.Timespec{{Sec: epoch}, {Sec: epoch}}
	for _, e := range entries {
		p := filepath.Join(dir, e.rel)
		if err := unix.UtimesNanoAt(unix.AT_FDCWD, p, ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return fmt.Errorf("policy: setting the mtime of %s: %w", e.rel, err)
		}
	}
	return nil
}
