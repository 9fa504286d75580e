package unpack

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzTar feeds arbitrary bytes to the extractor: it may refuse, but it must
// not panic and nothing may appear beside the destination.
func FuzzTar(f *testing.F) {
	f.Add(tarBytes(f, []member{{Name: "a/b", Type: tar.TypeReg, Body: "x"}}))
	f.Add(tarBytes(f, []member{{Name: "l", Type: tar.TypeSymlink, Body: "../x"}, {Name: "l/y", Type: tar.TypeReg}}))
	f.Add(tarBytes(f, []member{{Name: "d/", Type: tar.TypeDir}, {Name: "d/u", Type: tar.TypeSymlink, Body: ".."}, {Name: "h", Type: tar.TypeLink, Body: "d/u/x"}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		tmp := t.TempDir()
		dest := filepath.Join(tmp, "dest")
		for _, strip := range []int{0, 1} {
			_ = extract(bytes.NewReader(data), "fuzz.tar", dest, options{strip: strip})
			_ = extract(bytes.NewReader(data), "fuzz.deb", dest, options{debian: true})
		}
		ents, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		if len(ents) != 1 || ents[0].Name() != "dest" {
			t.Fatalf("something was written beside dest: %v", ents)
		}
	})
}

// FuzzAr checks the ar reader never panics and never hands out more member
// bytes than the input holds.
func FuzzAr(f *testing.F) {
	f.Add(arBytes([2]string{"debian-binary", "2.0\n"}, [2]string{"data.tar", "abc"}))
	f.Add([]byte(arMagic + "#1/5            0           0     0     644     7         `\nnamexy"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ar, err := newArReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		var total int64
		for {
			h, err := ar.Next()
			if err != nil {
				break
			}
			n, _ := io.Copy(io.Discard, ar)
			if n > h.Size {
				t.Fatalf("member %q gave %d bytes, header says %d", h.Name, n, h.Size)
			}
			total += n
		}
		if total > int64(len(data)) {
			t.Fatalf("read %d member bytes from %d input bytes", total, len(data))
		}
	})
}
