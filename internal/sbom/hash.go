package sbom

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Ext ends the name of an image's SBOM: out/<profile>-<arch>.spdx.json.
const Ext = ".spdx.json"

// KindOf tells an image file's kind by how image names it.
func KindOf(name string) (Kind, bool) {
	switch {
	case strings.HasSuffix(name, ".img"):
		return Disk, true
	case strings.HasSuffix(name, ".vmlinuz"):
		return Kernel, true
	case strings.HasSuffix(name, ".tar.zst"):
		return Rootfs, true
	case strings.Contains(name, ".initramfs.cpio."):
		return Initramfs, true
	}
	return "", false
}

// HashFile reads an image file for the SBOM.
func HashFile(path string, kind Kind) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, fmt.Errorf("sbom: %w", err)
	}
	defer f.Close()
	h1, h256 := sha1.New(), sha256.New()
	if _, err := io.Copy(io.MultiWriter(h1, h256), f); err != nil {
		return File{}, fmt.Errorf("sbom: %s: %w", path, err)
	}
	return File{Name: filepath.Base(path), Kind: kind, SHA1: hex.EncodeToString(h1.Sum(nil)), SHA256: hex.EncodeToString(h256.Sum(nil))}, nil
}

func hashes(data []byte) (string, string) {
	s1, s256 := sha1.Sum(data), sha256.Sum256(data)
	return hex.EncodeToString(s1[:]), hex.EncodeToString(s256[:])
}
