package ext4

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
)

// mke2fs -d (1.47.0) copies each inode's ctime from the staging file, and the kernel sets that to
// the wall clock when the staging file is made, so no option makes it fixed. fixTimes rewrites
// all four times of every used inode to the tree's one epoch and recomputes the inode checksum;
// nothing else in ext4 covers those bytes. Since every time is rewritten, staging need not set
// any, which lets it hard link source files it must not touch. It reads only the layout fields
// it needs.

const (
	sbOffset            = 1024
	incompat64Bit       = 0x80
	incompatCsumSeed    = 0x2000
	roCompatMetadataCsm = 0x400
	bgInodeUninit       = 0x1

	iAtime, iCtime, iMtime       = 0x08, 0x0C, 0x10
	iLinks, iGeneration          = 0x1A, 0x64
	iChecksumLo, iExtraIsize     = 0x7C, 0x80
	iChecksumHi, iCtimeExtra     = 0x82, 0x84
	iMtimeExtra, iAtimeExtra     = 0x88, 0x8C
	iCrtime, iCrtimeExtra        = 0x90, 0x94
	goodOldInodeSize             = 128
	sbFeatureIncompat, sbROCompa = 0x60, 0x64
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crc32cRaw is ext4's crc32c: no inversion before or after, unlike hash/crc32.
func crc32cRaw(seed uint32, p []byte) uint32 {
	return ^crc32.Update(^seed, castagnoli, p)
}

type layout struct {
	blockSize, inodeSize, inodesPerGroup, groups, descSize int64
	firstDataBlock                                         int64
	csum                                                   bool
	csumSeed                                               uint32
}

func readLayout(r io.ReaderAt, off int64) (*layout, error) {
	sb := make([]byte, 1024)
	if _, err := r.ReadAt(sb, off+sbOffset); err != nil {
		return nil, fmt.Errorf("read superblock: %w", err)
	}
	le := binary.LittleEndian
	if le.Uint16(sb[0x38:]) != 0xEF53 {
		return nil, fmt.Errorf("no ext4 superblock at offset %d", off)
	}
	l := &layout{
		blockSize:      1024 << le.Uint32(sb[0x18:]),
		inodeSize:      int64(le.Uint16(sb[0x58:])),
		inodesPerGroup: int64(le.Uint32(sb[0x28:])),
		firstDataBlock: int64(le.Uint32(sb[0x14:])),
		descSize:       32,
	}
	blocks := int64(le.Uint32(sb[0x04:]))
	incompat := le.Uint32(sb[sbFeatureIncompat:])
	if incompat&incompat64Bit != 0 {
		blocks |= int64(le.Uint32(sb[0x150:])) << 32
		l.descSize = int64(le.Uint16(sb[0xFE:]))
	}
	perGroup := int64(le.Uint32(sb[0x20:]))
	switch {
	case l.blockSize > 65536 || l.blockSize < 1024:
		return nil, fmt.Errorf("implausible block size %d", l.blockSize)
	case l.inodeSize < goodOldInodeSize || l.inodeSize > l.blockSize || l.inodeSize&(l.inodeSize-1) != 0:
		return nil, fmt.Errorf("implausible inode size %d", l.inodeSize)
	case l.descSize < 32 || l.descSize > 1024:
		return nil, fmt.Errorf("implausible group descriptor size %d", l.descSize)
	case perGroup <= 0 || l.inodesPerGroup <= 0 || l.inodesPerGroup > 1<<20:
		return nil, fmt.Errorf("implausible group geometry: %d blocks, %d inodes per group", perGroup, l.inodesPerGroup)
	case blocks <= l.firstDataBlock || blocks/perGroup > 1<<24:
		return nil, fmt.Errorf("implausible block count %d", blocks)
	}
	l.groups = (blocks - l.firstDataBlock + perGroup - 1) / perGroup
	l.csum = le.Uint32(sb[sbROCompa:])&roCompatMetadataCsm != 0
	if incompat&incompatCsumSeed != 0 {
		l.csumSeed = le.Uint32(sb[0x270:])
	} else {
		l.csumSeed = crc32cRaw(^uint32(0), sb[0x68:0x78])
	}
	return l, nil
}

// fixTimes patches the file system that starts at byte off of f.
func fixTimes(f *os.File, off int64, epoch uint32) error {
	l, err := readLayout(f, off)
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	// Lengths come from the image: check them against the file before allocating.
	fits := func(at, n int64) bool { return at >= 0 && n >= 0 && at+n <= fi.Size() }
	if !fits(off+(l.firstDataBlock+1)*l.blockSize, l.groups*l.descSize) {
		return fmt.Errorf("group descriptors lie past the end of %s", f.Name())
	}
	gdt := make([]byte, l.groups*l.descSize)
	if _, err := f.ReadAt(gdt, off+(l.firstDataBlock+1)*l.blockSize); err != nil {
		return fmt.Errorf("read group descriptors: %w", err)
	}
	for g := int64(0); g < l.groups; g++ {
		d := gdt[g*l.descSize : (g+1)*l.descSize]
		if le.Uint16(d[0x12:])&bgInodeUninit != 0 {
			continue
		}
		table := int64(le.Uint32(d[0x08:]))
		unused := int64(le.Uint16(d[0x1C:]))
		if l.descSize >= 64 {
			table |= int64(le.Uint32(d[0x28:])) << 32
			unused |= int64(le.Uint16(d[0x32:])) << 16
		}
		used := l.inodesPerGroup - unused
		if used <= 0 || used > l.inodesPerGroup {
			continue
		}
		at := off + table*l.blockSize
		if table > 1<<40 || !fits(at, used*l.inodeSize) {
			return fmt.Errorf("inode table of group %d lies past the end of %s", g, f.Name())
		}
		buf := make([]byte, used*l.inodeSize)
		if _, err := f.ReadAt(buf, at); err != nil {
			return fmt.Errorf("read inode table of group %d: %w", g, err)
		}
		changed := false
		for i := int64(0); i < used; i++ {
			ino := buf[i*l.inodeSize : (i+1)*l.inodeSize]
			if le.Uint16(ino[iLinks:]) == 0 && le.Uint16(ino[0:]) == 0 {
				continue
			}
			if fixInode(ino, uint32(g*l.inodesPerGroup+i+1), epoch, l) {
				changed = true
			}
		}
		if changed {
			if _, err := f.WriteAt(buf, at); err != nil {
				return fmt.Errorf("write inode table of group %d: %w", g, err)
			}
		}
	}
	return nil
}

func fixInode(ino []byte, num, epoch uint32, l *layout) bool {
	le := binary.LittleEndian
	extra := int64(0)
	if l.inodeSize > goodOldInodeSize {
		extra = int64(le.Uint16(ino[iExtraIsize:]))
	}
	fits := func(end int) bool { return int64(end) <= goodOldInodeSize+extra }
	before := string(ino)
	le.PutUint32(ino[iAtime:], epoch)
	le.PutUint32(ino[iCtime:], epoch)
	le.PutUint32(ino[iMtime:], epoch)
	if fits(iCtimeExtra + 4) {
		le.PutUint32(ino[iCtimeExtra:], 0)
	}
	if fits(iMtimeExtra + 4) {
		le.PutUint32(ino[iMtimeExtra:], 0)
	}
	if fits(iAtimeExtra + 4) {
		le.PutUint32(ino[iAtimeExtra:], 0)
	}
	if fits(iCrtimeExtra + 4) {
		le.PutUint32(ino[iCrtime:], epoch)
		le.PutUint32(ino[iCrtimeExtra:], 0)
	}
	if string(ino) == before {
		return false
	}
	if l.csum {
		hiFits := fits(iChecksumHi + 2)
		le.PutUint16(ino[iChecksumLo:], 0)
		if hiFits {
			le.PutUint16(ino[iChecksumHi:], 0)
		}
		var n [4]byte
		le.PutUint32(n[:], num)
		c := crc32cRaw(l.csumSeed, n[:])
		c = crc32cRaw(c, ino[iGeneration:iGeneration+4])
		c = crc32cRaw(c, ino)
		le.PutUint16(ino[iChecksumLo:], uint16(c))
		if hiFits {
			le.PutUint16(ino[iChecksumHi:], uint16(c>>16))
		}
	}
	return true
}
