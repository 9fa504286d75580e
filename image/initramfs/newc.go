package initramfs

import (
	"fmt"
	"io"
)

// newc header fields in order; each is 8 uppercase hex digits after the 6-byte magic, as
// cavaliergopher/cpio writes them, so hand-written records look like the library's.
type newcHeader struct {
	ino, mode, uid, gid, nlink, mtime, filesize     uint32
	devMajor, devMinor, rdevMajor, rdevMinor, check uint32
	name                                            string
}

// writeNewc writes one header and its padded name. cavaliergopher/cpio has no rdev fields, so
// device nodes are written with this.
func writeNewc(w io.Writer, h newcHeader) error {
	fields := []uint32{h.ino, h.mode, h.uid, h.gid, h.nlink, h.mtime, h.filesize,
		h.devMajor, h.devMinor, h.rdevMajor, h.rdevMinor, uint32(len(h.name) + 1), h.check}
	buf := make([]byte, 0, 110+len(h.name)+4)
	buf = append(buf, "070701"...)
	for _, f := range fields {
		buf = fmt.Appendf(buf, "%08X", f)
	}
	buf = append(buf, h.name...)
	buf = append(buf, 0)
	for len(buf)%4 != 0 {
		buf = append(buf, 0)
	}
	_, err := w.Write(buf)
	return err
}
