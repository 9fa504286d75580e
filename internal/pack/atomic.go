package pack

import (
	"io"
	"os"
)

// atomicWrite writes path through a temporary file, so out/ never holds a
// half-written image.
func atomicWrite(path string, fill func(w io.Writer) error) error {
	return atomicFile(path, func(tmp string) error {
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

// atomicFile lets write make a temporary file, by name, for writers that
// open and seek in it themselves, and renames it to path when it succeeds.
func atomicFile(path string, write func(tmp string) error) error {
	tmp := path + ".tmp"
	os.Remove(tmp)
	if err := write(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

func copyInto(w io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
