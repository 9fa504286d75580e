package ext4

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"stalix.dev/stalix-build/image/tree"
)

// stage materialises t under dir, which must exist and be empty, with the owners, permission
// bits, device numbers, hard links and modification time the tree says: mke2fs -d copies all of
// these from the directory. It needs root for owners and device nodes.
func stage(t *tree.Tree, dir string) error {
	entries := t.Entries()
	for _, e := range entries {
		if err := stageEntry(t, dir, e); err != nil {
			return fmt.Errorf("stage %s: %w", e.Path, err)
		}
	}
	// Times last and deepest first: creating a name changes its directory's mtime.
	ts := []unix.Timespec{{Sec: t.Epoch}, {Sec: t.Epoch}}
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.Type == tree.Hardlink {
			continue
		}
		if err := unix.UtimesNanoAt(unix.AT_FDCWD, filepath.Join(dir, e.Path), ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return fmt.Errorf("stage %s: set time: %w", e.Path, err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	return unix.UtimesNanoAt(unix.AT_FDCWD, dir, ts, 0)
}

func stageEntry(t *tree.Tree, dir string, e *tree.Entry) error {
	p := filepath.Join(dir, e.Path)
	switch e.Type {
	case tree.Dir:
		if err := unix.Mkdir(p, 0o700); err != nil {
			return err
		}
	case tree.File:
		if err := copyFile(e, p); err != nil {
			return err
		}
	case tree.Symlink:
		if err := unix.Symlink(e.Target, p); err != nil {
			return err
		}
		return os.Lchown(p, e.UID, e.GID) // a symlink's mode is always 0777
	case tree.Hardlink:
		return os.Link(filepath.Join(dir, e.Target), p)
	case tree.CharDev, tree.BlockDev:
		kind := uint32(unix.S_IFCHR)
		if e.Type == tree.BlockDev {
			kind = unix.S_IFBLK
		}
		if err := unix.Mknod(p, kind|0o600, int(unix.Mkdev(e.Major, e.Minor))); err != nil {
			return err
		}
	default:
		return fmt.Errorf("cannot stage a %s", e.Type)
	}
	// chown before chmod: chown clears setuid and setgid.
	if err := os.Lchown(p, e.UID, e.GID); err != nil {
		return err
	}
	return unix.Chmod(p, e.Mode)
}

func copyFile(e *tree.Entry, dst string) error {
	r, err := e.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	// os.File to os.File: io.Copy uses copy_file_range, so the data need not pass through here.
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != e.Size {
		err = fmt.Errorf("copied %d of %d bytes", n, e.Size)
	}
	return err
}
