package disk

import (
	"bytes"
	"errors"
	"testing"
)

type memDisk struct{ b []byte }

func (m *memDisk) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(m.b)) {
		return 0, errors.New("out of range")
	}
	return copy(p, m.b[off:]), nil
}

func (m *memDisk) WriteAt(p []byte, off int64) (int, error) { return m.ReadAt(p, off) }

// fixFAT reads geometry from the boot sector: garbage must give an error, not a panic or a
// giant allocation.
func FuzzFixFAT(f *testing.F) {
	bs := make([]byte, 512)
	copy(bs[0x52:], "FAT32   ")
	bs[0x0B], bs[0x0C], bs[0x0D], bs[0x0E], bs[0x10] = 0, 2, 1, 32, 2
	f.Add(bs)
	f.Add(bytes.Repeat([]byte{0xff}, 600))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := &memDisk{append([]byte(nil), data...)}
		_ = fixFAT(m, 0, int64(len(data)))
	})
}
