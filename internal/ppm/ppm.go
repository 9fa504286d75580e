// Package ppm reads the binary Netpbm pixmaps (P6) that QEMU's screendump
// writes, into an image.RGBA.
package ppm

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"io"
)

// MaxPixels bounds width*height, so a corrupt header cannot make Decode
// allocate gigabytes: 8192x8192 is far above any QEMU display.
const MaxPixels = 8192 * 8192

// Decode reads one P6 image: "P6", width, height and maxval as ASCII
// decimals separated by whitespace (with # comments to the end of a line),
// one whitespace byte, then width*height RGB triples, one byte per sample
// when maxval < 256 and two (big-endian) otherwise. Samples are scaled to
// 0-255. Anything after the pixels is ignored.
func Decode(r io.Reader) (*image.RGBA, error) {
	br := bufio.NewReader(r)
	magic := make([]byte, 2)
	if _, err := io.ReadFull(br, magic); err != nil {
		return nil, fmt.Errorf("ppm: reading the magic number: %w", err)
	}
	if !bytes.Equal(magic, []byte("P6")) {
		return nil, fmt.Errorf("ppm: magic number %q, want \"P6\" (a binary pixmap; QEMU's screendump with format ppm writes one)", magic)
	}
	var hdr [3]int
	names := [3]string{"width", "height", "maxval"}
	for i := range hdr {
		v, err := readNumber(br)
		if err != nil {
			return nil, fmt.Errorf("ppm: header %s: %w", names[i], err)
		}
		hdr[i] = v
	}
	w, h, maxval := hdr[0], hdr[1], hdr[2]
	switch {
	case w <= 0 || h <= 0:
		return nil, fmt.Errorf("ppm: size %dx%d: both must be positive", w, h)
	case w > MaxPixels/h:
		return nil, fmt.Errorf("ppm: size %dx%d is over the limit of %d pixels", w, h, MaxPixels)
	case maxval <= 0 || maxval > 65535:
		return nil, fmt.Errorf("ppm: maxval %d, want 1 to 65535", maxval)
	}
	// readNumber stopped on the single whitespace byte before the raster.
	c, err := br.ReadByte()
	if err != nil {
		return nil, fmt.Errorf("ppm: no raster after the header: %w", err)
	}
	if !isSpace(c) {
		return nil, fmt.Errorf("ppm: byte %q after maxval, want one whitespace byte", c)
	}
	bps := 1
	if maxval > 255 {
		bps = 2
	}
	raster := make([]byte, w*h*3*bps)
	if n, err := io.ReadFull(br, raster); err != nil {
		return nil, fmt.Errorf("ppm: raster of %dx%d needs %d bytes, got %d: %w", w, h, len(raster), n, err)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i, j := 0, 0; i < w*h; i++ {
		for k := 0; k < 3; k++ {
			var s int
			if bps == 1 {
				s = int(raster[j])
			} else {
				s = int(raster[j])<<8 | int(raster[j+1])
			}
			j += bps
			if s > maxval {
				return nil, fmt.Errorf("ppm: sample %d of pixel (%d,%d) is %d, over maxval %d", k, i%w, i/w, s, maxval)
			}
			img.Pix[4*i+k] = uint8((s*255 + maxval/2) / maxval)
		}
		img.Pix[4*i+3] = 0xff
	}
	return img, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// readNumber skips whitespace and comments, then reads a decimal number and
// leaves the byte that ended it unread.
func readNumber(br *bufio.Reader) (int, error) {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, fmt.Errorf("header ends early: %w", err)
		}
		if c == '#' {
			if _, err := br.ReadBytes('\n'); err != nil {
				return 0, fmt.Errorf("comment runs to the end: %w", err)
			}
			continue
		}
		if isSpace(c) {
			continue
		}
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("byte %q, want a decimal digit", c)
		}
		v := int(c - '0')
		for {
			c, err := br.ReadByte()
			if err == io.EOF {
				return 0, fmt.Errorf("header ends inside a number")
			}
			if err != nil {
				return 0, err
			}
			if c < '0' || c > '9' {
				if !isSpace(c) && c != '#' {
					return 0, fmt.Errorf("byte %q after %d, want whitespace", c, v)
				}
				return v, br.UnreadByte()
			}
			v = v*10 + int(c-'0')
			if v > 1<<20 {
				return 0, fmt.Errorf("number %d... is too large", v)
			}
		}
	}
}

// Encode writes img as a P6 pixmap with maxval 255 (for tests and for
// tools that want the same format back).
func Encode(w io.Writer, img image.Image) error {
	b := img.Bounds()
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "P6\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			bw.Write([]byte{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)})
		}
	}
	return bw.Flush()
}
