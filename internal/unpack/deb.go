package unpack

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Deb unpacks the data.tar.{xz,zst,gz,bz2} (or plain data.tar) member of a
// Debian binary package into dest with the same rules as Tar, except that
// symlink targets are not checked: packages legitimately ship absolute
// links such as /usr/bin/awk -> /etc/alternatives/awk. Links are written,
// never followed while unpacking; a write through a parent symlink that
// leaves dest is still refused. Maintainer scripts are not run.
func Deb(debPath, dest string) error {
	f, err := os.Open(debPath)
	if err != nil {
		return fmt.Errorf("unpack: %w", err)
	}
	defer f.Close()
	ar, err := newArReader(f)
	if err != nil {
		return fmt.Errorf("unpack %s: %w (is it a .deb?)", debPath, err)
	}
	first := true
	for {
		h, err := ar.Next()
		if err == io.EOF {
			return fmt.Errorf("unpack %s: no data.tar member (is it a .deb?)", debPath)
		}
		if err != nil {
			return fmt.Errorf("unpack %s: %w", debPath, err)
		}
		if first {
			first = false
			if h.Name != "debian-binary" {
				return fmt.Errorf("unpack %s: first member is %q, not debian-binary (is it a .deb?)", debPath, h.Name)
			}
			var v [4]byte
			if _, err := io.ReadFull(ar, v[:]); err != nil || !strings.HasPrefix(string(v[:]), "2.") {
				return fmt.Errorf("unpack %s: unsupported Debian package format (want 2.x)", debPath)
			}
			continue
		}
		if h.Name != "data.tar" && !strings.HasPrefix(h.Name, "data.tar.") {
			continue
		}
		zr, _, err := decompress(ar)
		if err != nil {
			return fmt.Errorf("unpack %s: %s: %w", debPath, h.Name, err)
		}
		err = extract(zr, debPath, dest, options{debian: true})
		zr.Close()
		var ee *EntryError
		if err != nil && !errors.As(err, &ee) {
			return fmt.Errorf("%w (member %s)", err, h.Name)
		}
		return err
	}
}
