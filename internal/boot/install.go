package boot

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"stalix.dev/stalix-build/internal/install"
	"stalix.dev/stalix-build/internal/qemu"
)

// Install is boot --install-check: media installs onto an empty NVMe disk
// at target ("" is a temporary file, removed afterwards), which then boots
// alone to installed's check (install.Check).
func Install(ctx context.Context, media qemu.Machine, want, installed qemu.Expect, target string, log io.Writer) error {
	if target == "" {
		dir, err := os.MkdirTemp("", "stalix-install-check-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		target = filepath.Join(dir, "installed.img")
	}
	small := target + ".small"
	defer os.Remove(small)
	// Sparse files: an empty disk reads as zeros and costs nothing on the host. 512 MiB holds a
	// small system with room to spare; 32 MiB is below any system's minimum (a 64 MiB ESP).
	if err := emptyDisk(target, 512<<20); err != nil {
		return err
	}
	if err := emptyDisk(small, 32<<20); err != nil {
		return err
	}
	c := install.Check{Media: media, Target: target, Small: small, MediaWant: want, Want: installed, Log: log}
	if err := c.Run(ctx); err != nil {
		return fmt.Errorf("install check of %s failed: %w", media.Disk, err)
	}
	return nil
}

// emptyDisk makes path an all-zero file of size bytes, replacing what was there.
func emptyDisk(path string, size int64) error {
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		return err
	}
	return os.Truncate(path, size)
}
