package compression

import (
	"bytes"
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
