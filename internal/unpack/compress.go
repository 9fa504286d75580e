package unpack

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Compression names a compression format found by its magic bytes.
type Compression string

const (
	None  Compression = "none"
	Gzip  Compression = "gzip"
	Xz    Compression = "xz"
	Bzip2 Compression = "bzip2"
	Zstd  Compression = "zstd"
)

// Magic bytes rather than file names decide the format: Debian's orig
// tarballs and mirrors laid out by sha256 carry no useful extension.
var magics = []struct {
	c     Compression
	magic []byte
}{
	{Gzip, []byte{0x1f, 0x8b}},
	{Xz, []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}},
	{Bzip2, []byte("BZh")},
	{Zstd, []byte{0x28, 0xb5, 0x2f, 0xfd}},
}

// Detect reports the compression of the stream behind br without consuming it.
func Detect(br *bufio.Reader) Compression {
	head, _ := br.Peek(6)
	for _, m := range magics {
		if bytes.HasPrefix(head, m.magic) {
			return m.c
		}
	}
	return None
}

// decompress wraps r in the decompressor its magic bytes ask for.
func decompress(r io.Reader) (io.ReadCloser, Compression, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	c := Detect(br)
	switch c {
	case Gzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, c, fmt.Errorf("gzip: %w", err)
		}
		return zr, c, nil
	case Xz:
		zr, err := xz.NewReader(br)
		if err != nil {
			return nil, c, fmt.Errorf("xz: %w", err)
		}
		return io.NopCloser(zr), c, nil
	case Bzip2:
		return io.NopCloser(bzip2.NewReader(br)), c, nil
	case Zstd:
		// One decoder goroutine: the machine is shared and tar reading is
		// sequential anyway.
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, c, fmt.Errorf("zstd: %w", err)
		}
		return zstdCloser{zr}, c, nil
	}
	return io.NopCloser(br), None, nil
}

type zstdCloser struct{ *zstd.Decoder }

func (z zstdCloser) Close() error { z.Decoder.Close(); return nil }
