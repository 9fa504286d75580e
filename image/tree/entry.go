// Package tree is the in-memory model of a root file system that every image writer consumes:
// a sorted set of entries with fixed owners and one fixed modification time, where symlinks,
// hard links and device nodes are data rather than host state.
package tree

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// Type is the kind of an entry.
type Type uint8

const (
	Dir Type = iota + 1
	File
	Symlink
	// Hardlink is a further name of a regular file; Target holds the first name.
	Hardlink
	CharDev
	BlockDev
)

func (t Type) String() string {
	switch t {
	case Dir:
		return "dir"
	case File:
		return "file"
	case Symlink:
		return "symlink"
	case Hardlink:
		return "hardlink"
	case CharDev:
		return "chardev"
	case BlockDev:
		return "blockdev"
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// Entry is one name in the tree. Path is absolute and clean ("/etc/passwd"). Mode holds only the
// permission bits, setuid, setgid and sticky (07777); the kind is in Type.
type Entry struct {
	Path string
	Type Type
	Mode uint32
	UID  int
	GID  int
	Size int64 // regular files only; for symlinks the writers use len(Target)
	// Source is the host file that holds a regular file's content; Data is used when Source is
	// empty.
	Source string
	Data   []byte
	// Target is a symlink's target, or for a hard link the absolute path of the file it names.
	Target string
	Major  uint32
	Minor  uint32
}

// Open returns the content of a regular file, checking that a host source still has the size
// the tree recorded so that an archive never holds a header that lies about its body.
func (e *Entry) Open() (io.ReadCloser, error) {
	if e.Type != File {
		return nil, fmt.Errorf("%s: is a %s, not a file", e.Path, e.Type)
	}
	if e.Source == "" {
		return io.NopCloser(bytes.NewReader(e.Data)), nil
	}
	f, err := os.Open(e.Source)
	if err != nil {
		return nil, fmt.Errorf("%s: open source: %w", e.Path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: stat source: %w", e.Path, err)
	}
	if fi.Size() != e.Size {
		f.Close()
		return nil, fmt.Errorf("%s: source %s changed size from %d to %d since the tree was made; rebuild the tree", e.Path, e.Source, e.Size, fi.Size())
	}
	return f, nil
}

// Name is the path without its leading slash, the form archive formats store.
func (e *Entry) Name() string { return e.Path[1:] }
