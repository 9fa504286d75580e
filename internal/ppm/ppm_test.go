package ppm

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	cases := []struct {
		name string
		in   string
		w, h int
		px   []color.RGBA // pixels in raster order, when the case decodes
		err  string
	}{
		{name: "one pixel", in: "P6 1 1 255\n\xff\x00\x80", w: 1, h: 1,
			px: []color.RGBA{{0xff, 0x00, 0x80, 0xff}}},
		// QEMU 7.2's screendump header, exactly.
		{name: "qemu header", in: "P6\n2 1\n255\n\x01\x02\x03\x04\x05\x06", w: 2, h: 1,
			px: []color.RGBA{{1, 2, 3, 255}, {4, 5, 6, 255}}},
		{name: "comments", in: "P6 # made by hand\n# a line\n1 # w\n1\n255\n\x10\x20\x30", w: 1, h: 1,
			px: []color.RGBA{{0x10, 0x20, 0x30, 0xff}}},
		{name: "raster starts with whitespace byte", in: "P6 1 1 255\n\n\t ", w: 1, h: 1,
			px: []color.RGBA{{'\n', '\t', ' ', 0xff}}},
		{name: "maxval 15 scales", in: "P6 1 1 15\n\x0f\x00\x08", w: 1, h: 1,
			px: []color.RGBA{{255, 0, 136, 255}}},
		{name: "16-bit", in: "P6 1 1 65535\n\xff\xff\x00\x00\x80\x00", w: 1, h: 1,
			px: []color.RGBA{{255, 0, 128, 255}}},
		{name: "trailing bytes ignored", in: "P6 1 1 255\n\x01\x02\x03junk", w: 1, h: 1,
			px: []color.RGBA{{1, 2, 3, 255}}},
		{name: "ascii pixmap", in: "P3 1 1 255\n1 2 3\n", err: `magic number "P3"`},
		{name: "empty", in: "", err: "reading the magic number"},
		{name: "short raster", in: "P6 2 2 255\n\x00\x00\x00", err: "needs 12 bytes, got 3"},
		{name: "zero width", in: "P6 0 2 255\n", err: "both must be positive"},
		{name: "huge", in: "P6 100000 100000 255\n", err: "over the limit"},
		{name: "too large number", in: "P6 99999999999 1 255\n", err: "too large"},
		{name: "maxval 0", in: "P6 1 1 0\n\x00\x00\x00", err: "maxval 0"},
		{name: "maxval too big", in: "P6 1 1 70000\n", err: "maxval 70000"},
		{name: "sample over maxval", in: "P6 1 1 10\n\x0b\x00\x00", err: "over maxval 10"},
		{name: "letter in header", in: "P6 1x 1 255\n", err: `byte 'x' after 1`},
		{name: "no space after maxval", in: "P6 1 1 255", err: "header ends inside a number"},
		{name: "header cut", in: "P6 1 ", err: "header height"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, err := Decode(strings.NewReader(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("Decode: %v, want an error containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
				t.Fatalf("size %v, want %dx%d", b, c.w, c.h)
			}
			for i, want := range c.px {
				if got := img.RGBAAt(i%c.w, i/c.w); got != want {
					t.Errorf("pixel %d: %v, want %v", i, got, want)
				}
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 7, 3))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 37)
		if i%4 == 3 {
			img.Pix[i] = 0xff
		}
	}
	var buf bytes.Buffer
	if err := Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Pix, img.Pix) {
		t.Errorf("round trip changed the pixels:\n got %v\nwant %v", got.Pix, img.Pix)
	}
}

// FuzzDecode: any input either decodes to an image whose size the header
// gave, and which encodes and decodes back to itself, or fails with an
// error; it never panics or allocates past MaxPixels.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("P6\n2 1\n255\n\x01\x02\x03\x04\x05\x06"))
	f.Add([]byte("P6 # c\n1 1 65535\n\xff\xff\x00\x00\x80\x00"))
	f.Add([]byte("P6 1 1 15\n\x0f\x00\x08"))
	f.Add([]byte("P3 1 1 255\n1 2 3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		b := img.Bounds()
		if b.Dx()*b.Dy() > MaxPixels || len(img.Pix) != 4*b.Dx()*b.Dy() {
			t.Fatalf("image %v with %d bytes", b, len(img.Pix))
		}
		var buf bytes.Buffer
		if err := Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		again, err := Decode(&buf)
		if err != nil {
			t.Fatalf("re-decoding our own encoding: %v", err)
		}
		if !bytes.Equal(again.Pix, img.Pix) {
			t.Fatal("encode/decode changed the pixels")
		}
	})
}
