package compression

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func sample() []byte {
	r := rand.New(rand.NewSource(1))
	var b bytes.Buffer
	for b.Len() < 5<<20 {
		if r.Intn(3) == 0 {
			io.CopyN(&b, r, 1000)
		} else {
			b.WriteString("the same line again, compressible\n")
		}
	}
	return b.Bytes()
}

func compress(t *testing.T, kind string, data []byte, viaReadFrom bool) []byte {
	t.Helper()
	var out bytes.Buffer
	w, err := NewWriter(&out, kind)
	if err != nil {
		t.Fatal(err)
	}
	if viaReadFrom {
		_, err = io.Copy(w, bytes.NewReader(data))
	} else {
		for p := data; len(p) > 0 && err == nil; {
			n := min(len(p), 777)
			_, err = w.Write(p[:n])
			p = p[n:]
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Each kind is checked by the reference tool's own decoder, and for stability across runs and
// across the two write paths.
func TestRoundTripWithOracle(t *testing.T) {
	data := sample()
	tests := []struct {
		kind string
		tool string
		args []string
		pkg  string
	}{
		{Zstd, "zstd", []string{"-dc"}, "zstd"},
		{Gzip, "gzip", []string{"-dc"}, "gzip"},
		{None, "cat", nil, "coreutils"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			a := compress(t, tt.kind, data, false)
			b := compress(t, tt.kind, data, true)
			if !bytes.Equal(a, b) {
				t.Fatalf("two writes of the same input differ (%d vs %d bytes)", len(a), len(b))
			}
			if tt.kind != None && len(a) >= len(data) {
				t.Errorf("%s did not compress: %d >= %d", tt.kind, len(a), len(data))
			}
			if _, err := exec.LookPath(tt.tool); err != nil {
				t.Skipf("needs %s (apt-get install %s)", tt.tool, tt.pkg)
			}
			f := filepath.Join(t.TempDir(), "in")
			if err := os.WriteFile(f, a, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := exec.Command(tt.tool, append(tt.args, f)...).Output()
			if err != nil {
				t.Fatalf("%s: %v", tt.tool, err)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("%s decoded %d bytes that differ from the %d written", tt.tool, len(got), len(data))
			}
		})
	}
}

func TestUnknownKind(t *testing.T) {
	if _, err := NewWriter(io.Discard, "lz4"); err == nil {
		t.Fatal("lz4 accepted, want an error")
	}
}

// failingWriter takes limit bytes, then fails every write, as a full disk does.
type failingWriter struct{ limit int }

var errFull = errors.New("no space left on device")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		n := w.limit
		w.limit = 0
		return n, errFull
	}
	w.limit -= len(p)
	return len(p), nil
}

// countingReader counts what the writer read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Once the output fails, the writer stops taking input within its few
// buffered chunks and returns the output's error, by both write paths; and
// Close returns it too.
func TestStopsAtFirstWriteError(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	data := make([]byte, 64<<20) // random: compressed, it is as large as the input
	r.Read(data)
	const limit = 1 << 20
	for _, kind := range []string{Zstd, Gzip} {
		for _, viaReadFrom := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/readfrom=%v", kind, viaReadFrom), func(t *testing.T) {
				w, err := NewWriter(&failingWriter{limit: limit}, kind)
				if err != nil {
					t.Fatal(err)
				}
				in := &countingReader{r: bytes.NewReader(data)}
				if viaReadFrom {
					_, err = io.Copy(w, in)
				} else {
					_, err = io.CopyBuffer(struct{ io.Writer }{w}, in, make([]byte, 64<<10))
				}
				if !errors.Is(err, errFull) {
					t.Errorf("copy: %v, want %v", err, errFull)
				}
				// The output failed after 1 MiB; what was buffered or in the
				// encoder then is at most buffers chunks and an encoder's block.
				if max := int64(limit + (buffers+2)*chunkSize); in.n > max {
					t.Errorf("read %d MiB of input after the output failed at 1 MiB, want at most %d MiB", in.n>>20, max>>20)
				}
				if err := w.Close(); !errors.Is(err, errFull) {
					t.Errorf("Close: %v, want %v", err, errFull)
				}
			})
		}
	}
}
