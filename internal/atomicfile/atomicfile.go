// Package atomicfile writes a file whole or not at all: through PATH.tmp
// beside it, renamed over PATH only once the write succeeded, so a reader
// or a later run never sees half an image, report or screendump. A run
// killed mid-write leaves only PATH.tmp, which the next write of PATH
// replaces and which pack's SHA256SUMS leaves out.
package atomicfile

import (
	"io"
	"os"
)

// Write makes path from what fill writes.
func Write(path string, fill func(w io.Writer) error) error {
	return WriteNamed(path, func(tmp string) error {
		f, err := os.Create(tmp)
		if err != nil {
			return err
		}
		if err := fill(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}

// WriteNamed lets write make the temporary file by its name, for writers
// that open and seek in it themselves (a disk image), and renames it to
// path when write succeeds.
func WriteNamed(path string, write func(tmp string) error) error {
	tmp := path + ".tmp"
	os.Remove(tmp)
	if err := write(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
