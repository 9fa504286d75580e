package ext4

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/sys/unix"

	"stalix.dev/stalix-build/image/tree"
)

// stage materialises t under dir, which must exist and be empty, with the owners, permission
// bits, device numbers and hard links the tree says: mke2fs -d copies these from the directory.
// Times are left alone; fixTimes sets them in the file system afterwards. It needs root for
// owners and device nodes.
//
// A file whose host source already has the entry's owner and mode is hard linked rather than
// copied, so staging costs no data copy when the sources live on the same file system (put
// Options.WorkDir there). Nothing is changed on a linked source. Each source inode is linked at
// most once: two entries sharing it would otherwise become one inode in the image.
func stage(t *tree.Tree, dir string) error {
	s := stager{dir: dir, linked: map[devIno]bool{}}
	// Three passes: directories in order, then files, symlinks and devices by a few workers (the
	// syscalls dominate, and most of them wait on the host file system's journal), then hard
	// links, whose targets now exist. The result does not depend on the order within a pass.
	var dirs, leaves, links []*tree.Entry
	for _, e := range t.Entries() {
		switch e.Type {
		case tree.Dir:
			dirs = append(dirs, e)
		case tree.Hardlink:
			links = append(links, e)
		default:
			leaves = append(leaves, e)
		}
	}
	for _, e := range dirs {
		if err := s.entry(t, e); err != nil {
			return fmt.Errorf("stage %s: %w", e.Path, err)
		}
	}
	if err := s.parallel(t, leaves); err != nil {
		return err
	}
	for _, e := range links {
		if err := s.entry(t, e); err != nil {
			return fmt.Errorf("stage %s: %w", e.Path, err)
		}
	}
	return os.Chmod(dir, 0o755)
}

func (s *stager) parallel(t *tree.Tree, entries []*tree.Entry) error {
	const workers = 4
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(entries); i += workers {
				if err := s.entry(t, entries[i]); err != nil {
					errs[w] = fmt.Errorf("stage %s: %w", entries[i].Path, err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	return errors.Join(errs...)
}

type devIno struct{ dev, ino uint64 }

type stager struct {
	dir    string
	mu     sync.Mutex
	linked map[devIno]bool
}

// link hard links e's source into p when that changes nothing the image would see.
func (s *stager) link(e *tree.Entry, p string) bool {
	if e.Source == "" {
		return false
	}
	var st unix.Stat_t
	if err := unix.Stat(e.Source, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG ||
		st.Mode&0o7777 != e.Mode || int(st.Uid) != e.UID || int(st.Gid) != e.GID || st.Size != e.Size {
		return false
	}
	k := devIno{uint64(st.Dev), st.Ino}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.linked[k] {
		return false
	}
	if err := unix.Link(e.Source, p); err != nil {
		return false // another file system, a read-only mount...: copy instead
	}
	s.linked[k] = true
	return true
}

func (s *stager) entry(t *tree.Tree, e *tree.Entry) error {
	p := filepath.Join(s.dir, e.Path)
	switch e.Type {
	case tree.Dir:
		if err := unix.Mkdir(p, 0o700); err != nil {
			return err
		}
	case tree.File:
		if s.link(e, p) {
			return nil
		}
		if err := copyFile(e, p); err != nil {
			return err
		}
	case tree.Symlink:
		if err := unix.Symlink(e.Target, p); err != nil {
			return err
		}
		return os.Lchown(p, e.UID, e.GID) // a symlink's mode is always 0777
	case tree.Hardlink:
		return os.Link(filepath.Join(s.dir, e.Target), p)
	case tree.CharDev, tree.BlockDev:
		if err := checkDev(e); err != nil {
			return err
		}
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
