package qemu

import (
	"context"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"stalix.dev/stalix-build/internal/ppm"
	"stalix.dev/stalix-build/internal/screen"
)

// ScreenResult is what a screen check saw: the last screendump and what
// each region measured in it.
type ScreenResult struct {
	Image   *image.RGBA
	Found   []screen.Found
	Dumps   int
	Typed   bool // the spec's keys were typed (the first regions had shown)
	Typings int  // how many times
}

// ScreenCheck boots m with a display, waits for runit's stage 2 on the
// console, then takes a screendump through QMP every interval until every
// region of spec holds or timeout passes. When spec has keys, it then types
// them and waits the same way for spec's typed regions. The result carries
// the last screendump either way; an error carries the regions'
// measurements and the console log.
func ScreenCheck(ctx context.Context, m Machine, spec screen.Spec, timeout, interval time.Duration, log io.Writer) (*ScreenResult, error) {
	dir, err := os.MkdirTemp("", "stalix-screen-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	m.Display, m.QMP = true, filepath.Join(dir, "qmp.sock")
	if m.Memory == 0 {
		m.Memory = 1024
	}
	start := time.Now()
	s, err := Start(ctx, m, log)
	if err != nil {
		return nil, err
	}
	defer s.Kill()
	res := &ScreenResult{}
	fail := func(err error) (*ScreenResult, error) {
		var b strings.Builder
		fmt.Fprintf(&b, "%v", err)
		for _, f := range res.Found {
			if f.Err != nil {
				fmt.Fprintf(&b, "\n  FAIL %v", f.Err)
			} else {
				fmt.Fprintf(&b, "\n  ok   %s", f)
			}
		}
		return res, fmt.Errorf("%s\n--- console ---\n%s\n--- end of console ---", b.String(), tailLines(s.Output(), 80))
	}
	q, err := DialQMP(m.QMP, 30*time.Second)
	if err != nil {
		return fail(err)
	}
	defer q.Close()
	if _, err := s.Expect(stage2RE, timeout); err != nil {
		return fail(err)
	}
	shot := filepath.Join(dir, "screen.ppm")
	want := spec
	var typedAt time.Time
	const retype = 10 * time.Second
	for {
		if err := q.Screendump(shot); err != nil {
			return fail(err)
		}
		f, err := os.Open(shot)
		if err != nil {
			return fail(fmt.Errorf("screendump: %w", err))
		}
		img, err := ppm.Decode(f)
		f.Close()
		if err != nil {
			return fail(fmt.Errorf("screendump %d: %w", res.Dumps+1, err))
		}
		res.Dumps++
		found, ok := screen.Match(img, want)
		res.Image, res.Found = img, found
		if ok && (res.Typed || len(spec.Keys) == 0) {
			return res, nil
		}
		// Type the keys once the first regions show, and again every retype while the typed
		// regions do not. Before the first typing, one Shift press and a pause: without it the
		// desktop lost the first keys of the word on both targets (foot read "lix", "alix"),
		// with or without the USB keyboard, and even 5 s after the screen showed. cage makes
		// the seat's keyboard its keyboard group on the first key (seat.c, wlr_seat_set_keyboard),
		// which sends foot a new keymap; keys in that burst went missing.
		if (ok && !res.Typed) || (res.Typed && time.Since(typedAt) > retype) {
			if !res.Typed {
				if err := q.SendKey("shift"); err != nil {
					return fail(err)
				}
				time.Sleep(2 * time.Second)
			}
			for _, k := range spec.Keys {
				if err := q.SendKey(k); err != nil {
					return fail(err)
				}
				// send-key holds a key 100 ms; the next one waits for its release.
				time.Sleep(150 * time.Millisecond)
			}
			res.Typed, want, typedAt = true, spec.AfterKeys(), time.Now()
			res.Typings++
			continue
		}
		if time.Since(start) > timeout {
			what := "every region"
			if res.Typed {
				what = fmt.Sprintf("every typed region after the keys %q (typed %d times)", spec.Keys, res.Typings)
			}
			return fail(fmt.Errorf("the screen did not show %s within %s (%d screendumps, the last %dx%d)",
				what, timeout, res.Dumps, img.Bounds().Dx(), img.Bounds().Dy()))
		}
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-s.done:
			return fail(fmt.Errorf("qemu exited (%v) before the screen showed every region", s.err))
		case <-time.After(interval):
		}
	}
}
