package report

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestTimelineInChromium renders report.html in Debian's headless Chromium
// and reads the screenshot: the critical path (a > d) must fill the first
// lane across the whole plot, b and c the second lane below it, each as
// wide as its share of the wall time.
func TestTimelineInChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("needs chromium: apt-get install chromium (bootstrap/host-setup.sh installs it)")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := twoSlots().WriteHTML(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// --no-sandbox: Chromium's own sandbox refuses to run as root, as CI does.
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--force-device-scale-factor=1", "--window-size=1200,700", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--screenshot="+shot, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	img := readPNG(t, shot)
	crit, blue, green := bars(img, colourCritical), bars(img, colourBuilt), bars(img, colourSubstituted)
	for name, b := range map[string]box{"critical path": crit, "built": blue, "substituted": green} {
		if b.empty() {
			t.Fatalf("no %s bar in the screenshot (saved as %s)", name, keep(t, shot))
		}
		if h := b.y1 - b.y0 + 1; math.Abs(float64(h)-laneHeight) > 2 {
			t.Errorf("%s bar is %d px high, want a lane's %v", name, h, laneHeight)
		}
	}
	near := func(what string, got int, want float64) {
		if math.Abs(float64(got)-want) > 3 {
			t.Errorf("%s: %d px, want %.0f (screenshot kept as %s)", what, got, want, keep(t, shot))
		}
	}
	near("critical path width", crit.x1-crit.x0+1, plotWidth)
	near("b's width (20 of 100 s)", blue.x1-blue.x0+1, 0.2*plotWidth)
	near("c's start (at 20 s)", green.x0-crit.x0, 0.2*plotWidth)
	near("c's width (30 s)", green.x1-green.x0+1, 0.3*plotWidth)
	near("b's start (at 0 s)", blue.x0, float64(crit.x0))
	if blue.y0 <= crit.y1 || green.y0 != blue.y0 {
		t.Errorf("lanes: critical path rows %d-%d, b %d-%d, c %d-%d; want b and c together in the lane below",
			crit.y0, crit.y1, blue.y0, blue.y1, green.y0, green.y1)
	}
}

type box struct{ x0, y0, x1, y1 int }

func (b box) empty() bool { return b.x1 < b.x0 }

// bars bounds the pixels of colour hex in rows where it runs for at
// least 50 pixels: timeline bars, not the 12-pixel legend swatches.
func bars(img image.Image, hex string) box {
	var want [3]uint32
	fmt.Sscanf(hex, "#%02x%02x%02x", &want[0], &want[1], &want[2])
	b := box{x0: math.MaxInt, y0: math.MaxInt, x1: -1, y1: -1}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		x0, x1, n := math.MaxInt, -1, 0
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if close8(cr, want[0]) && close8(cg, want[1]) && close8(cb, want[2]) {
				n++
				x0, x1 = min(x0, x), max(x1, x)
			}
		}
		if n >= 50 {
			b.x0, b.x1 = min(b.x0, x0), max(b.x1, x1)
			b.y0, b.y1 = min(b.y0, y), max(b.y1, y)
		}
	}
	return b
}

func close8(c16, want uint32) bool {
	d := int(c16>>8) - int(want)
	return d >= -6 && d <= 6
}

func readPNG(t *testing.T, path string) image.Image {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// keep copies a failing screenshot where it outlives the test.
func keep(t *testing.T, shot string) string {
	data, err := os.ReadFile(shot)
	if err != nil {
		return shot
	}
	p := filepath.Join(os.TempDir(), "stalix-report-"+t.Name()+".png")
	os.WriteFile(p, data, 0o644)
	return p
}
