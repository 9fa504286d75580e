package boot

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// writePNG leaves one PNG with the screendump's exact pixels and no
// temporary file beside it.
func TestWritePNG(t *testing.T) {
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.SetRGBA(0, 0, color.RGBA{0xff, 0x00, 0xff, 0xff})
	img.SetRGBA(2, 1, color.RGBA{0xff, 0xff, 0x00, 0xff})
	p := filepath.Join(dir, "out", "desktop-x86_64.png")
	if err := writePNG(p, img); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range []image.Point{{0, 0}, {1, 0}, {2, 1}} {
		r1, g1, b1, _ := got.At(pt.X, pt.Y).RGBA()
		r2, g2, b2, _ := img.At(pt.X, pt.Y).RGBA()
		if r1 != r2 || g1 != g2 || b1 != b2 {
			t.Errorf("pixel %v: %v, want %v", pt, got.At(pt.X, pt.Y), img.At(pt.X, pt.Y))
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 1 {
		t.Errorf("%d files in the output directory, want only the PNG", len(ents))
	}
}
