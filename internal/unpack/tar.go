// Package unpack extracts source tarballs and Debian packages without
// letting any member land outside the destination.
package unpack

import (
	"archive/tar"
	"fmt"
	"os"
)

// Tar unpacks archive (a tar, plain or compressed with gzip, xz, bzip2 or
// zstd, told apart by magic bytes) into dest, dropping the first strip path
// components of every member. Members that would leave dest (absolute, "..",
// links resolving outside, writes through such links), device nodes, fifos
// and setuid/setgid files are refused with an *EntryError. Regular files keep
// mode&0777; owners and times are not restored (the build resets them).
func Tar(archive, dest string, strip int) error {
	return TarOnly(archive, dest, strip, nil)
}

// TarOnly is Tar keeping only the members at or below the include paths
// (counted after strip); none means all.
func TarOnly(archive, dest string, strip int, include []string) error {
	if strip < 0 {
		return fmt.Errorf("unpack %s: negative strip %d", archive, strip)
	}
	f, err := os.Open(archive)
	if err != nil {
		return fmt.Errorf("unpack: %w", err)
	}
	defer f.Close()
	zr, _, err := decompress(f)
	if err != nil {
		return fmt.Errorf("unpack %s: %w", archive, err)
	}
	defer zr.Close()
	return extract(zr, archive, dest, options{strip: strip, include: include})
}

// IsTar reports whether path holds a tar archive, plain or compressed.
func IsTar(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	zr, _, err := decompress(f)
	if err != nil {
		return false
	}
	defer zr.Close()
	_, err = tar.NewReader(zr).Next()
	return err == nil
}
