package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// TreeHash hashes a directory tree over a canonical encoding: entries in
// sorted path order, each with its type, permission bits, and the sha256 of
// its content or its link target. Times and owners are left out, since the
// output policy fixes them.
func TreeHash(dir string) (string, int64, error) {
	h := sha256.New()
	var size int64
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := de.Info()
		if err != nil {
			return err
		}
		mode := info.Mode()
		switch {
		case mode.IsDir():
			fmt.Fprintf(h, "d %q %o\n", rel, mode.Perm())
		case mode&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "l %q %q\n", rel, target)
		case mode.IsRegular():
			sum, err := FileSHA256(p)
			if err != nil {
				return err
			}
			size += info.Size()
			fmt.Fprintf(h, "f %q %o %d %s\n", rel, mode.Perm(), info.Size(), sum)
		default:
			fmt.Fprintf(h, "o %q %v\n", rel, mode)
		}
		return nil
	})
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

// FileSHA256 is the hex sha256 of a file's content.
func FileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
