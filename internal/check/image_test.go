package check

import (
	"archive/tar"
	"bytes"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cavaliergopher/cpio"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// archive writes members small, big and last as a tar or cpio stream,
// compressed as ext says.
func archive(t *testing.T, kind, ext string, big []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	var z io.WriteCloser
	var err error
	switch ext {
	case ".zst":
		z, err = zstd.NewWriter(&out)
	case ".gz":
		z = gzip.NewWriter(&out)
	}
	if err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name string
		data []byte
	}{{"small", []byte("small\n")}, {"big", big}, {"last", []byte("last\n")}}
	switch kind {
	case "tar":
		w := tar.NewWriter(z)
		for _, f := range files {
			w.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), Typeflag: tar.TypeReg})
			w.Write(f.data)
		}
		err = w.Close()
	case "cpio":
		w := cpio.NewWriter(z)
		for _, f := range files {
			w.WriteHeader(&cpio.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data))})
			w.Write(f.data)
		}
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A member whose content cannot be read whole is an error naming it, never
// a shorter member compared as if it were the image's.
func TestMembersReadErrors(t *testing.T) {
	big := make([]byte, 512<<10)
	rand.New(rand.NewSource(1)).Read(big)
	for _, kind := range []string{"tar", "cpio"} {
		for _, ext := range []string{".zst", ".gz"} {
			t.Run(kind+ext, func(t *testing.T) {
				whole := archive(t, kind, ext, big)
				dir := t.TempDir()
				p := filepath.Join(dir, "image."+kind+ext)
				if err := os.WriteFile(p, whole, 0o644); err != nil {
					t.Fatal(err)
				}
				m, err := members(p)
				if err != nil || !bytes.Equal(m["big"].data, big) || string(m["last"].data) != "last\n" {
					t.Fatalf("whole archive: %d members, %v", len(m), err)
				}
				// Cut inside big's content.
				if err := os.WriteFile(p, whole[:len(whole)/2], 0o644); err != nil {
					t.Fatal(err)
				}
				m, err = members(p)
				if err == nil || !strings.Contains(err.Error(), "big") {
					t.Errorf("cut archive: %v (big has %d of %d bytes), want an error naming big", err, len(m["big"].data), len(big))
				}
			})
		}
	}
}
