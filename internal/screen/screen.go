// Package screen checks a screendump against a profile's [screen] regions:
// for each, the pixels within a tolerance of its colour, their bounding box
// and how much of that box they fill.
package screen

import (
	"fmt"
	"image"
	"image/color"
	"strconv"
	"strings"
)

// Region is one [[screen.regions]] entry: what pixels of Color, within
// the tolerance, must look like. Zero limits are not checked.
type Region struct {
	Name      string  `toml:"name"`
	Color     string  `toml:"color"` // "#rrggbb"
	MinWidth  int     `toml:"min_width"`
	MinHeight int     `toml:"min_height"`
	MaxWidth  int     `toml:"max_width"`
	MaxHeight int     `toml:"max_height"`
	MinPixels int     `toml:"min_pixels"`
	MinFill   float64 `toml:"min_fill"` // matching pixels / bounding box area
	MaxFill   float64 `toml:"max_fill"`
}

// Spec is a profile's [screen] table.
type Spec struct {
	Timeout   string   `toml:"timeout"`   // a Go duration; how long to wait for the regions
	Tolerance int      `toml:"tolerance"` // per channel, 0-255
	Regions   []Region `toml:"regions"`
	// Keys are typed (QEMU qcodes, such as "s" or "ret") once Regions show;
	// then Typed must show, which checks the input path end to end.
	Keys  []string `toml:"keys"`
	Typed []Region `toml:"typed"`
}

// AfterKeys is the spec that must hold once Keys are typed.
func (s Spec) AfterKeys() Spec {
	return Spec{Tolerance: s.Tolerance, Regions: s.Typed}
}

// ParseColor reads "#rrggbb".
func ParseColor(s string) (color.RGBA, error) {
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{}, fmt.Errorf("colour %q: want #rrggbb", s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.RGBA{}, fmt.Errorf("colour %q: want #rrggbb (hex digits)", s)
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}, nil
}

// Validate checks a spec as a profile holds it; file names the profile.
func (s *Spec) Validate(file string) error {
	if s.Tolerance < 0 || s.Tolerance > 255 {
		return fmt.Errorf("%s: [screen] tolerance = %d: want 0 to 255", file, s.Tolerance)
	}
	if len(s.Regions) == 0 {
		return fmt.Errorf("%s: [screen] has no [[screen.regions]]: add one, or remove [screen]", file)
	}
	if (len(s.Keys) == 0) != (len(s.Typed) == 0) {
		return fmt.Errorf("%s: [screen] keys and [[screen.typed]] go together: the typed regions are what the keys make appear", file)
	}
	for i, k := range s.Keys {
		if k == "" || strings.ContainsAny(k, " \t\n\"") {
			return fmt.Errorf("%s: [screen] keys[%d] = %q: want a QEMU qcode such as \"a\", \"shift\" or \"ret\"", file, i, k)
		}
	}
	if err := validRegions(file, "screen.regions", s.Regions); err != nil {
		return err
	}
	return validRegions(file, "screen.typed", s.Typed)
}

func validRegions(file, table string, regions []Region) error {
	for i, r := range regions {
		where := fmt.Sprintf("%s: [[%s]] %d (%q)", file, table, i+1, r.Name)
		if r.Name == "" {
			return fmt.Errorf("%s: name is missing: add name = \"...\"", where)
		}
		if _, err := ParseColor(r.Color); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if r.MinWidth < 0 || r.MinHeight < 0 || r.MaxWidth < 0 || r.MaxHeight < 0 || r.MinPixels < 0 {
			return fmt.Errorf("%s: sizes and counts must not be negative", where)
		}
		if r.MinFill < 0 || r.MinFill > 1 || r.MaxFill < 0 || r.MaxFill > 1 {
			return fmt.Errorf("%s: min_fill and max_fill are fractions from 0 to 1", where)
		}
		if r.MinWidth == 0 && r.MinHeight == 0 && r.MinPixels == 0 {
			return fmt.Errorf("%s: set min_pixels, min_width or min_height, or a blank screen passes", where)
		}
	}
	return nil
}

// Found is what one region's colour covers in an image.
type Found struct {
	Region Region
	Pixels int
	Box    image.Rectangle // bounding box of the matching pixels; empty when none
	Fill   float64
	Err    error // nil when the region's limits hold
}

func (f Found) String() string {
	if f.Pixels == 0 {
		return fmt.Sprintf("%s (%s): no pixel of that colour", f.Region.Name, f.Region.Color)
	}
	return fmt.Sprintf("%s (%s): %d pixels in %dx%d at (%d,%d), fill %.2f",
		f.Region.Name, f.Region.Color, f.Pixels, f.Box.Dx(), f.Box.Dy(), f.Box.Min.X, f.Box.Min.Y, f.Fill)
}

// Match measures every region of spec in img. ok is true when all hold.
func Match(img *image.RGBA, spec Spec) (found []Found, ok bool) {
	ok = true
	for _, r := range spec.Regions {
		f := measure(img, r, spec.Tolerance)
		if f.Err != nil {
			ok = false
		}
		found = append(found, f)
	}
	return found, ok
}

func measure(img *image.RGBA, r Region, tol int) Found {
	f := Found{Region: r}
	want, err := ParseColor(r.Color)
	if err != nil {
		f.Err = err
		return f
	}
	b := img.Bounds()
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, b.Min.X-1, b.Min.Y-1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[(y-b.Min.Y)*img.Stride:]
		for x := 0; x < b.Dx(); x++ {
			p := row[4*x : 4*x+3]
			if near(p[0], want.R, tol) && near(p[1], want.G, tol) && near(p[2], want.B, tol) {
				f.Pixels++
				minX, maxX = min(minX, x+b.Min.X), max(maxX, x+b.Min.X)
				minY, maxY = min(minY, y), max(maxY, y)
			}
		}
	}
	if f.Pixels == 0 {
		f.Err = fmt.Errorf("%s", f)
		return f
	}
	f.Box = image.Rect(minX, minY, maxX+1, maxY+1)
	f.Fill = float64(f.Pixels) / float64(f.Box.Dx()*f.Box.Dy())
	var bad []string
	check := func(cond bool, format string, args ...any) {
		if cond {
			bad = append(bad, fmt.Sprintf(format, args...))
		}
	}
	check(f.Box.Dx() < r.MinWidth, "width %d < min_width %d", f.Box.Dx(), r.MinWidth)
	check(f.Box.Dy() < r.MinHeight, "height %d < min_height %d", f.Box.Dy(), r.MinHeight)
	check(r.MaxWidth > 0 && f.Box.Dx() > r.MaxWidth, "width %d > max_width %d", f.Box.Dx(), r.MaxWidth)
	check(r.MaxHeight > 0 && f.Box.Dy() > r.MaxHeight, "height %d > max_height %d", f.Box.Dy(), r.MaxHeight)
	check(f.Pixels < r.MinPixels, "%d pixels < min_pixels %d", f.Pixels, r.MinPixels)
	check(r.MinFill > 0 && f.Fill < r.MinFill, "fill %.2f < min_fill %.2f", f.Fill, r.MinFill)
	check(r.MaxFill > 0 && f.Fill > r.MaxFill, "fill %.2f > max_fill %.2f", f.Fill, r.MaxFill)
	if len(bad) > 0 {
		f.Err = fmt.Errorf("%s: %s", f, strings.Join(bad, ", "))
	}
	return f
}

func near(a, b uint8, tol int) bool {
	d := int(a) - int(b)
	return d <= tol && -d <= tol
}
