package tree

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"

	"golang.org/x/sys/unix"
)

type hostFile struct {
	path string // in the tree
	host string
	fi   fs.FileInfo
	st   *syscall.Stat_t
}

// FromDir reads hostDir into a new tree with modification time epoch. Permission bits come from
// the host; owners are 0:0 whatever the host says (set them afterwards where they matter). Regular
// files that share a device and inode become one file, at the first of their paths in sorted
// order, and hard links to it. Content is read later, by the writers, from the host path.
// FIFOs and sockets are refused: no image format here needs them.
func FromDir(hostDir string, epoch int64) (*Tree, error) {
	root, err := filepath.Abs(hostDir)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", hostDir, err)
	}
	var files []hostFile
	err = filepath.WalkDir(root, func(host string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if host == root {
			return nil
		}
		fi, err := os.Lstat(host)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return fmt.Errorf("%s: no stat data on this platform", host)
		}
		rel, err := filepath.Rel(root, host)
		if err != nil {
			return err
		}
		files = append(files, hostFile{path: "/" + filepath.ToSlash(rel), host: host, fi: fi, st: st})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", hostDir, err)
	}
	// Byte order of whole paths, not WalkDir's per-directory order, decides which name of a hard
	// linked file is the file: "/a-b" sorts before "/a/x".
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })

	type devIno struct{ dev, ino uint64 }
	first := map[devIno]string{}
	t := New(epoch)
	for _, f := range files {
		e, err := entryOf(f)
		if err != nil {
			return nil, fmt.Errorf("read tree %s: %w", hostDir, err)
		}
		if e.Type == File && f.st.Nlink > 1 {
			k := devIno{uint64(f.st.Dev), uint64(f.st.Ino)}
			if p, ok := first[k]; ok {
				e = Entry{Path: f.path, Type: Hardlink, Target: p}
			} else {
				first[k] = f.path
			}
		}
		if err := t.Add(e); err != nil {
			return nil, fmt.Errorf("read tree %s: %w", hostDir, err)
		}
	}
	return t, nil
}

func entryOf(f hostFile) (Entry, error) {
	m := f.fi.Mode()
	e := Entry{Path: f.path, Mode: uint32(m.Perm())}
	if m&fs.ModeSetuid != 0 {
		e.Mode |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		e.Mode |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		e.Mode |= 0o1000
	}
	switch {
	case m.IsDir():
		e.Type = Dir
	case m.IsRegular():
		e.Type, e.Source, e.Size = File, f.host, f.fi.Size()
	case m&fs.ModeSymlink != 0:
		target, err := os.Readlink(f.host)
		if err != nil {
			return e, err
		}
		e.Type, e.Target = Symlink, target
	case m&fs.ModeDevice != 0:
		e.Type = BlockDev
		if m&fs.ModeCharDevice != 0 {
			e.Type = CharDev
		}
		e.Major, e.Minor = unix.Major(uint64(f.st.Rdev)), unix.Minor(uint64(f.st.Rdev))
	default:
		return e, fmt.Errorf("%s: %v is not a file, directory, symlink or device; remove it from the tree", f.host, m.Type())
	}
	return e, nil
}
