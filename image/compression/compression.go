// Package compression wraps the stream compressors the image writers use, with options fixed so
// that the same input gives the same bytes on every run and machine (for one pinned
// klauspost/compress version).
package compression

import (
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Kinds of compression.
const (
	None = "none"
	Zstd = "zstd"
	Gzip = "gzip"
)

// ZstdCLILevel is the level of the zstd command line tool that klauspost's SpeedDefault
// corresponds to; the benchmark compares against `zstd -3`.
const ZstdCLILevel = 3

// GzipLevel is fixed: a different level is a different artifact.
const GzipLevel = 6

// Ext is the file name extension of a kind: ".zst", ".gz" or "".
func Ext(kind string) string {
	switch kind {
	case Zstd:
		return ".zst"
	case Gzip:
		return ".gz"
	}
	return ""
}

// NewWriter returns a writer that compresses into w. Close flushes the stream but does not close
// w. The compressor runs in its own goroutine, so the caller's reading and archiving overlap with
// compression the way a shell pipeline's stages do; the bytes do not depend on that.
func NewWriter(w io.Writer, kind string) (io.WriteCloser, error) {
	var enc io.WriteCloser
	switch kind {
	case None, "":
		return nopCloser{w}, nil
	case Zstd:
		// Concurrency 1: the encoder itself stays synchronous and its frame layout fixed.
		z, err := zstd.NewWriter(w,
			zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithEncoderConcurrency(1),
			zstd.WithEncoderCRC(true),
			zstd.WithWindowSize(8<<20), // 8 MiB: what zstd -3..-19 use, and the kernel decodes
		)
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		enc = z
	case Gzip:
		// A zero Header: no name, no mtime, so nothing about the host gets in.
		g, err := gzip.NewWriterLevel(w, GzipLevel)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		enc = g
	default:
		return nil, fmt.Errorf("unknown compression %q: use %s, %s or %s", kind, Zstd, Gzip, None)
	}
	return newAsync(enc), nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
