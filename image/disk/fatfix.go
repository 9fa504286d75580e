package disk

import (
	"encoding/binary"
	"fmt"
	"io"
)

// go-diskfs v1.9.4's FAT32 writer has three faults that fsck.vfat reports; these work around
// them so the ESP passes `fsck.vfat -n`.

// fatSize returns the largest file system size, at most size, for which go-diskfs's
// sectors-per-FAT formula leaves room for every cluster. It computes ceil((T-32)/130) sectors
// per FAT (512-byte sectors and clusters, as it uses up to 260 MiB), but needs (T-32+2)/130,
// so (T-32) mod 130 of 0 or 129 loses two FAT entries.
func fatSize(size int64) int64 {
	for t := size / sector; ; t-- {
		if n := (t - 32) % 130; n != 0 && n != 129 {
			return t * sector
		}
	}
}

type rwAt interface {
	io.ReaderAt
	io.WriterAt
}

// fixFAT sets the ".." entry of each subdirectory of the root to cluster 0, as FAT32 requires
// (go-diskfs writes the root's cluster number), and fills in the FSInfo free-cluster count and
// next-free hint, which it leaves "unknown".
func fixFAT(f rwAt, start, size int64) error {
	le := binary.LittleEndian
	bs := make([]byte, sector)
	if _, err := f.ReadAt(bs, start); err != nil {
		return err
	}
	bps := int64(le.Uint16(bs[0x0B:]))
	spc := int64(bs[0x0D])
	reserved := int64(le.Uint16(bs[0x0E:]))
	nfats := int64(bs[0x10])
	total := int64(le.Uint32(bs[0x20:]))
	spf := int64(le.Uint32(bs[0x24:]))
	root := le.Uint32(bs[0x2C:])
	fsinfo := int64(le.Uint16(bs[0x30:]))
	backup := int64(le.Uint16(bs[0x32:]))
	if bps != sector || spc == 0 || string(bs[0x52:0x5A]) != "FAT32   " {
		return fmt.Errorf("ESP: not the FAT32 layout expected (%d bytes/sector, %d sectors/cluster)", bps, spc)
	}
	dataStart := reserved + nfats*spf
	if total*bps > size || dataStart >= total || reserved == 0 || fsinfo == 0 || fsinfo >= reserved || backup+fsinfo >= reserved {
		return fmt.Errorf("ESP: implausible FAT32 geometry (%d sectors, data at %d)", total, dataStart)
	}
	clusters := (total - dataStart) / spc
	if spf*bps < (clusters+2)*4 {
		return fmt.Errorf("ESP: FAT of %d sectors cannot map %d clusters", spf, clusters)
	}
	valid := func(c uint32) bool { return c >= 2 && int64(c) < clusters+2 }
	clusterAt := func(c uint32) int64 { return start + (dataStart+int64(c-2)*spc)*bps }
	if !valid(root) {
		return fmt.Errorf("ESP: root cluster %d out of range", root)
	}

	dir := make([]byte, spc*bps)
	if _, err := f.ReadAt(dir, clusterAt(root)); err != nil {
		return err
	}
	for i := 0; i+32 <= len(dir); i += 32 {
		e := dir[i : i+32]
		if e[0] == 0 {
			break
		}
		if e[0] == 0xE5 || e[11] == 0x0F || e[11]&0x10 == 0 || e[0] == '.' {
			continue
		}
		sub := uint32(le.Uint16(e[0x14:]))<<16 | uint32(le.Uint16(e[0x1A:]))
		if !valid(sub) {
			return fmt.Errorf("ESP: directory %q at cluster %d, out of range", e[:11], sub)
		}
		dotdot := make([]byte, 32)
		at := clusterAt(sub) + 32
		if _, err := f.ReadAt(dotdot, at); err != nil {
			return err
		}
		if string(dotdot[:11]) != "..         " {
			return fmt.Errorf("ESP: second entry of a directory is %q, not ..", dotdot[:11])
		}
		le.PutUint16(dotdot[0x14:], 0)
		le.PutUint16(dotdot[0x1A:], 0)
		if _, err := f.WriteAt(dotdot, at); err != nil {
			return err
		}
	}

	fat := make([]byte, (clusters+2)*4)
	if _, err := f.ReadAt(fat, start+reserved*bps); err != nil {
		return err
	}
	free, next := uint32(0), uint32(0xFFFFFFFF)
	for c := uint32(2); c < uint32(clusters+2); c++ {
		if le.Uint32(fat[c*4:])&0x0FFFFFFF == 0 {
			free++
			if next == 0xFFFFFFFF {
				next = c
			}
		}
	}
	var v [8]byte
	le.PutUint32(v[0:], free)
	le.PutUint32(v[4:], next)
	for _, s := range []int64{fsinfo, backup + fsinfo} {
		if _, err := f.WriteAt(v[:], start+s*bps+0x1E8); err != nil {
			return err
		}
	}
	return nil
}
