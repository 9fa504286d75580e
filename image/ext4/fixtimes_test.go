package ext4

import (
	"os"
	"path/filepath"
	"testing"
)

// fixTimes parses the superblock and group descriptors of whatever file it is given: garbage
// must give an error, never a panic or a huge allocation.
func FuzzFixTimes(f *testing.F) {
	sb := make([]byte, 4096)
	sb[sbOffset+0x38], sb[sbOffset+0x39] = 0x53, 0xEF
	f.Add(sb)
	f.Add([]byte("short"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "img")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fh, err := os.OpenFile(p, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		_ = fixTimes(fh, 0, 1)
	})
}

func TestCrc32cRaw(t *testing.T) {
	// crc32c("123456789") is 0xE3069283 with the usual inversions; ext4's raw form with seed ~0
	// is its complement.
	if got := ^crc32cRaw(^uint32(0), []byte("123456789")); got != 0xE3069283 {
		t.Fatalf("crc32c = %#x, want 0xe3069283", got)
	}
}
