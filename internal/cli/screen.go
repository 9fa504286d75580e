package cli

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"time"

	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/qemu"
)

// screenCheck runs boot --screen --check: screendumps until the profile's
// [screen] regions show, the last one saved as a PNG under out either way.
func screenCheck(e *Env, ctx context.Context, m qemu.Machine, prof *profile.Profile, arch, out string, timeout time.Duration, timeoutSet bool, start time.Time) error {
	if prof.Screen == nil {
		return fmt.Errorf("%s: boot --screen --check needs a [screen] table with [[screen.regions]] to look for (profiles/desktop.toml has an example)", prof.File)
	}
	if prof.Screen.Timeout != "" && !timeoutSet {
		// Validated when the profile was loaded; --timeout wins.
		timeout, _ = time.ParseDuration(prof.Screen.Timeout)
	}
	res, err := qemu.ScreenCheck(ctx, m, *prof.Screen, timeout, 3*time.Second, nil)
	name := fmt.Sprintf("%s-%s.png", prof.Name, arch)
	if err != nil {
		name = fmt.Sprintf("%s-%s.fail.png", prof.Name, arch)
	}
	if res != nil && res.Image != nil {
		p := filepath.Join(out, name)
		if werr := writePNG(p, res.Image); werr != nil {
			return fmt.Errorf("writing the screendump: %w (the check itself: %v)", werr, err)
		}
		fmt.Fprintf(e.Stdout, "screen: %s (%dx%d, screendump %d)\n", p, res.Image.Bounds().Dx(), res.Image.Bounds().Dy(), res.Dumps)
	}
	if err != nil {
		return fmt.Errorf("screen check of %s failed: %w", m, err)
	}
	// A failure's screendump from an earlier run would now mislead.
	os.Remove(filepath.Join(out, fmt.Sprintf("%s-%s.fail.png", prof.Name, arch)))
	if res.Typed {
		fmt.Fprintf(e.Stdout, "screen: typed %q (%d times) after the first regions showed\n", prof.Screen.Keys, res.Typings)
	}
	for _, f := range res.Found {
		fmt.Fprintf(e.Stdout, "screen: %s\n", f)
	}
	fmt.Fprintf(e.Stdout, "screen check passed: %s, %s, %.1fs\n", m, arch, time.Since(start).Seconds())
	return nil
}

// writePNG writes img to path through a temporary file and a rename.
func writePNG(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".screen-*.png")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := png.Encode(tmp, img); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
