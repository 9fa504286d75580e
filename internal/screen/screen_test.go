package screen

import (
	"image"
	"image/color"
	"strings"
	"testing"
)

// scene draws what stalix-screen-test shows: a dark terminal, a magenta
// block and a line of yellow "glyphs" (every other column of a strip).
func scene(w, h int, block, text image.Rectangle) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0x24, 0x24, 0x24, 0xff}
			p := image.Pt(x, y)
			if p.In(block) {
				// Within tolerance of #ff00ff, as a scaled or dithered display might give.
				c = color.RGBA{0xfa, 0x04, 0xfc, 0xff}
			}
			if p.In(text) && x%3 != 0 && y%4 != 0 {
				c = color.RGBA{0xff, 0xff, 0x00, 0xff}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

var spec = Spec{Tolerance: 24, Regions: []Region{
	{Name: "block", Color: "#ff00ff", MinWidth: 200, MinHeight: 60, MinFill: 0.97},
	{Name: "text", Color: "#ffff00", MinWidth: 150, MinHeight: 5, MaxHeight: 40, MinPixels: 200, MaxFill: 0.8},
}}

func TestMatch(t *testing.T) {
	block := image.Rect(0, 0, 384, 136)
	text := image.Rect(0, 153, 392, 166)
	cases := []struct {
		name string
		img  *image.RGBA
		ok   bool
		err  []string // substrings of the failing regions' errors, in order
	}{
		{"terminal", scene(1280, 800, block, text), true, nil},
		{"blank", scene(1280, 800, image.Rectangle{}, image.Rectangle{}), false,
			[]string{"block (#ff00ff): no pixel", "text (#ffff00): no pixel"}},
		{"block too small", scene(1280, 800, image.Rect(0, 0, 100, 136), text), false,
			[]string{"width 100 < min_width 200"}},
		{"text solid", scene(1280, 800, block, image.Rect(0, 153, 392, 166)), true, nil},
		{"text too tall", scene(1280, 800, block, image.Rect(0, 153, 392, 300)), false,
			[]string{"height 147 > max_height 40"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			found, ok := Match(c.img, spec)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v: %v", ok, c.ok, found)
			}
			var errs []string
			for _, f := range found {
				if f.Err != nil {
					errs = append(errs, f.Err.Error())
				}
			}
			if len(errs) != len(c.err) {
				t.Fatalf("errors %q, want %d containing %q", errs, len(c.err), c.err)
			}
			for i := range errs {
				if !strings.Contains(errs[i], c.err[i]) {
					t.Errorf("error %q, want it to contain %q", errs[i], c.err[i])
				}
			}
		})
	}
	// The measured box is the block's own.
	found, _ := Match(scene(640, 480, image.Rect(10, 20, 250, 100), text), spec)
	if got := found[0].Box; got != image.Rect(10, 20, 250, 100) || found[0].Fill != 1 {
		t.Errorf("block measured as %v fill %.2f, want (10,20)-(250,100) fill 1", got, found[0].Fill)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		s    Spec
		err  string
	}{
		{"ok", spec, ""},
		{"no regions", Spec{}, "has no [[screen.regions]]"},
		{"bad colour", Spec{Regions: []Region{{Name: "a", Color: "magenta", MinPixels: 1}}}, `colour "magenta"`},
		{"no name", Spec{Regions: []Region{{Color: "#000000", MinPixels: 1}}}, "name is missing"},
		{"no limit", Spec{Regions: []Region{{Name: "a", Color: "#000000"}}}, "a blank screen passes"},
		{"fill", Spec{Regions: []Region{{Name: "a", Color: "#000000", MinPixels: 1, MinFill: 2}}}, "fractions"},
		{"tolerance", Spec{Tolerance: 300, Regions: spec.Regions}, "tolerance = 300"},
		{"keys and typed", Spec{Regions: spec.Regions, Keys: []string{"a", "ret"}, Typed: spec.Regions}, ""},
		{"keys alone", Spec{Regions: spec.Regions, Keys: []string{"a"}}, "go together"},
		{"typed alone", Spec{Regions: spec.Regions, Typed: spec.Regions}, "go together"},
		{"bad key", Spec{Regions: spec.Regions, Keys: []string{"a b"}, Typed: spec.Regions}, "keys[0]"},
		{"bad typed region", Spec{Regions: spec.Regions, Keys: []string{"a"}, Typed: []Region{{Name: "t", Color: "#00ffff"}}}, "[[screen.typed]] 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.s.Validate("profiles/x.toml")
			if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
				t.Errorf("Validate: %v, want %q", err, c.err)
			}
		})
	}
}
