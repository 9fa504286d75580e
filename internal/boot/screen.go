package boot

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"time"

	"stalix.dev/stalix-build/internal/atomicfile"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/qemu"
)

// Screen is boot --screen --check: screendumps of m until prof's [screen]
// regions show, the last one saved under out as <profile>-<arch>.png, or
// .fail.png when they never do. timeout, when not 0, wins over the
// profile's, which wins over DefaultTimeout. It returns the result and the PNG's path ("" when no
// screendump was taken).
func Screen(ctx context.Context, m qemu.Machine, prof *profile.Profile, arch, out string, timeout time.Duration) (*qemu.ScreenResult, string, error) {
	if prof.Screen == nil {
		return nil, "", fmt.Errorf("%s: boot --screen --check needs a [screen] table with [[screen.regions]] to look for (profiles/desktop.toml has an example)", prof.File)
	}
	if prof.Screen.Timeout != "" && timeout == 0 {
		// Validated when the profile was loaded.
		timeout, _ = time.ParseDuration(prof.Screen.Timeout)
	}
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	res, err := qemu.ScreenCheck(ctx, m, *prof.Screen, timeout, 3*time.Second, nil)
	ok := filepath.Join(out, fmt.Sprintf("%s-%s.png", prof.Name, arch))
	fail := filepath.Join(out, fmt.Sprintf("%s-%s.fail.png", prof.Name, arch))
	p := ok
	if err != nil {
		p = fail
	}
	if res == nil || res.Image == nil {
		p = ""
	} else if werr := writePNG(p, res.Image); werr != nil {
		return res, "", fmt.Errorf("writing the screendump: %w (the check itself: %v)", werr, err)
	}
	if err != nil {
		return res, p, fmt.Errorf("screen check of %s failed: %w", m, err)
	}
	// A failure's screendump from an earlier run would now mislead.
	os.Remove(fail)
	return res, p, nil
}

// writePNG writes img to path whole or not at all: out/ is summed
// (SHA256SUMS), so a half-written screendump must never stand there.
func writePNG(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error { return png.Encode(w, img) })
}
