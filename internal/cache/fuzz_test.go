package cache

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzExtract feeds arbitrary bytes to the archive reader: it may refuse,
// but it must not panic, nothing may appear beside the destination, and an
// archive it accepts must be canonical: archiving what it unpacked gives
// the input back, byte for byte.
func FuzzExtract(f *testing.F) {
	src := filepath.Join(tempDir(f), "src")
	sampleTree(f, src)
	data, _ := archiveOf(f, src)
	f.Add(data)
	root := `d "." 755`
	for _, a := range []string{
		arch(root, "F a 644 x", `h "b" "a"`),
		arch(root, `d "a" 555`, `l "a/l" "../x"`, `l "z" "/run/x"`),
		arch(root, `l "a" "/etc"`, "F a/passwd 644 x"),
		arch(root, `d "a" 755`, `h "a/b" "../../etc/passwd"`),
	} {
		f.Add([]byte(a))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := tempDir(t)
		dest := filepath.Join(parent, "dest")
		if err := os.Mkdir(dest, 0o755); err != nil {
			t.Fatal(err)
		}
		sum, err := Extract(bytes.NewReader(data), dest, Limits{MaxSize: 1 << 20, MaxArchive: 1 << 20})
		onlyDest(t, parent)
		if err != nil {
			return
		}
		again, sum2 := archiveOf(t, dest)
		if !bytes.Equal(again, data) {
			t.Fatalf("accepted a non-canonical archive:\n%q\narchives back as\n%q", data, again)
		}
		if sum != sum2 {
			t.Fatalf("summaries differ: %+v, %+v", sum, sum2)
		}
	})
}
