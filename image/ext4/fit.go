package ext4

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"stalix.dev/stalix-build/image/tree"
)

// Need estimates the blocks and inodes the tree takes in ext4: data blocks of files (holes
// ignored), directory blocks, long symlinks, and one extent block per 340 extents of 32 MiB.
func Need(t *tree.Tree) (blocks, inodes int64) {
	dirBytes := map[string]int64{"/": 24}
	for _, e := range t.Entries() {
		parent := filepath.Dir(e.Path)
		dirBytes[parent] += (8 + int64(len(filepath.Base(e.Path))) + 3) &^ 3
		switch e.Type {
		case tree.Dir:
			dirBytes[e.Path] += 24
			inodes++
		case tree.File:
			n := (e.Size + BlockSize - 1) / BlockSize
			blocks += n + n/(340*8192)
			inodes++
		case tree.Symlink:
			if len(e.Target) >= 60 {
				blocks++
			}
			inodes++
		case tree.CharDev, tree.BlockDev:
			inodes++
		}
	}
	for _, b := range dirBytes {
		n := (b + BlockSize - 13) / (BlockSize - 12) // 12 bytes of checksum tail per block
		if n > 1 {
			n++ // the htree root
		}
		blocks += n
	}
	return blocks, inodes
}

// shortfall explains a failed mke2fs when the tree does not fit: it makes the same file system
// empty, reads its free blocks and inodes, and says how much more is needed. It returns nil when
// the tree should fit, so the caller reports mke2fs's own error.
func shortfall(mke2fs, conf, work string, size int64, t *tree.Tree, opt Options) error {
	probe := filepath.Join(work, "probe.img")
	f, err := os.Create(probe)
	if err != nil {
		return nil
	}
	f.Close()
	empty := filepath.Join(work, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		return nil
	}
	o := opt
	args := mke2fsArgs(0, size, t, o, empty)
	if _, err := runMke2fs(mke2fs, conf, t.Epoch, append(args, probe, strconv.FormatInt(size/BlockSize, 10))); err != nil {
		return nil
	}
	defer os.Remove(probe)
	f, err = os.Open(probe)
	if err != nil {
		return nil
	}
	defer f.Close()
	sb := make([]byte, 1024)
	if _, err := f.ReadAt(sb, sbOffset); err != nil {
		return nil
	}
	le := binary.LittleEndian
	freeBlocks := int64(le.Uint32(sb[0x0C:])) | int64(le.Uint32(sb[0x158:]))<<32
	freeInodes := int64(le.Uint32(sb[0x10:]))
	blocks, inodes := Need(t)
	const mib = 1 << 20
	switch {
	case blocks > freeBlocks:
		more := (blocks - freeBlocks) * BlockSize
		return fmt.Errorf("ext4: the tree needs about %d MiB but the %d MiB root file system has %d MiB free for it: make the root partition at least %d MiB larger",
			blocks*BlockSize/mib, size/mib, freeBlocks*BlockSize/mib, (more+mib-1)/mib)
	case inodes > freeInodes:
		return fmt.Errorf("ext4: the tree has %d entries but the root file system has %d free inodes: %d short", inodes, freeInodes, inodes-freeInodes)
	}
	return nil
}
