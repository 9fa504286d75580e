package policy

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

type kind int

const (
	kindDir kind = iota
	kindFile
	kindSymlink
	kindOther // fifo, socket, device: nothing a store path may hold
)

// entry is one path of the output, found once and reused by every pass.
type entry struct {
	rel  string // slash-separated, relative to the output; "." for the output itself
	kind kind
	mode fs.FileMode
}

// walk lists dir in lexical order, so every pass and every report comes out in the same order.
func walk(dir string) ([]entry, error) {
	var out []entry
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("policy: %w", err)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("policy: %w", err)
		}
		e := entry{rel: filepath.ToSlash(rel), mode: info.Mode()}
		switch {
		case info.Mode().IsDir():
			e.kind = kindDir
		case info.Mode().IsRegular():
			e.kind = kindFile
		case info.Mode()&fs.ModeSymlink != 0:
			e.kind = kindSymlink
		default:
			e.kind = kindOther
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// magic reads the first n bytes of a file, fewer if it is shorter.
func magic(p string, n int) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	m, err := io.ReadFull(f, b)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return b[:m], err
}
