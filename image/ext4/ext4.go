// Package ext4 writes a tree as an ext4 file system with mke2fs -d, reproducibly.
//
// go-diskfs v1.9.4's ext4 writer was measured first (2,000 files, 256 MiB): Mknod and Link
// return "not implemented", the hash seed is random and times come from time.Now(), so two
// writes of the same files differed in 48,510 bytes, and e2fsck -fn reported "Resize inode not
// valid". mke2fs -d keeps hard links, device nodes and owners, takes -U and -E hash_seed, and
// reads E2FSPROGS_FAKE_TIME; what it still takes from the clock (ctimes of the staged files) is
// rewritten afterwards by fixTimes. Our e2fsprogs's mke2fs also takes the tree as a manifest
// instead of a staged directory (manifest.go), which makes the same bytes without copying the
// files or needing root. The features come from a fixed mke2fs.conf of ours, not the
// host's, so the bytes depend on the e2fsprogs version (1.47.0 or later) and the tree only.
package ext4

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"stalix.dev/stalix-build/image/tree"
)

// BlockSize is fixed so that the layout does not change with the partition size.
const BlockSize = 4096

// Options for Write. UUID and HashSeed are required: they are what keeps two writes equal.
type Options struct {
	Mke2fs   string // the mke2fs binary; "" looks for mke2fs on PATH
	UUID     string // file system UUID, e.g. derived from the profile hash
	HashSeed string // directory hash seed, a UUID
	Label    string // volume label, at most 16 bytes; "" for none
	WorkDir  string // where the staging directory or the manifest goes; "" for os.TempDir()

	stage bool // stage even when mke2fs takes a manifest, so tests can compare the two ways
}

// The features are spelled out so the host's /etc/mke2fs.conf plays no part. metadata_csum_seed
// and orphan_file are left out for older kernels and e2fsck, as Debian does.
const mke2fsConf = `[defaults]
	base_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr
	default_mntopts = acl,user_xattr
	enable_periodic_fsck = 0
	blocksize = 4096
	inode_size = 256
	inode_ratio = 16384
	reserved_ratio = 0
	hash_alg = half_md4
[fs_types]
	ext4 = {
		features = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize
	}
`

// Config is the mke2fs.conf every image's ext4 root is made with. An installer that makes the
// root on the target machine reads it too, so an installed root has the same features.
func Config() string { return mke2fsConf }

// Write makes an ext4 file system of size bytes holding t at byte offset of the file at path
// (a disk image whose partition starts there, or a file of its own with offset 0). The range
// must read as zeros: a fresh or truncated file. An mke2fs that takes a manifest (ours, see
// manifest.go) is given one; any other is given the tree staged in a directory, which needs
// root (owners, device nodes).
func Write(path string, offset, size int64, t *tree.Tree, opt Options) error {
	if err := t.Check(); err != nil {
		return fmt.Errorf("ext4: %w", err)
	}
	if t.Epoch <= 0 || t.Epoch > 1<<32-1 {
		return fmt.Errorf("ext4: epoch %d out of range: mke2fs takes 1..2^32-1 (0 means \"now\" to it)", t.Epoch)
	}
	if size%BlockSize != 0 || offset%512 != 0 {
		return fmt.Errorf("ext4: size %d must be a multiple of %d and offset %d of 512", size, BlockSize, offset)
	}
	if opt.UUID == "" || opt.HashSeed == "" {
		return errors.New("ext4: UUID and HashSeed must be set, or two writes differ")
	}
	mke2fs, err := opt.mke2fs()
	if err != nil {
		return err
	}
	manifest := !opt.stage && SupportsManifest(mke2fs)
	if !manifest && os.Geteuid() != 0 {
		return errors.New("ext4: staging the root tree for mke2fs -d needs root (to set owners and make device nodes); run as root, or use our e2fsprogs's mke2fs, which needs no staging")
	}

	work, err := os.MkdirTemp(opt.WorkDir, "stalix-ext4-")
	if err != nil {
		return fmt.Errorf("ext4: %w", err)
	}
	defer os.RemoveAll(work)
	conf := filepath.Join(work, "mke2fs.conf")
	if err := os.WriteFile(conf, []byte(mke2fsConf), 0o644); err != nil {
		return fmt.Errorf("ext4: %w", err)
	}
	var from string // the -d argument
	if manifest {
		p, err := writeManifest(t, work)
		if err != nil {
			return fmt.Errorf("ext4: manifest: %w", err)
		}
		from = "@" + p
	} else {
		from = filepath.Join(work, "root")
		if err := os.Mkdir(from, 0o755); err != nil {
			return fmt.Errorf("ext4: %w", err)
		}
		if err := stage(t, from); err != nil {
			return fmt.Errorf("ext4: %w", err)
		}
	}

	args := mke2fsArgs(offset, size, t, opt, from)
	out, err := runMke2fs(mke2fs, conf, t.Epoch, append(args, path, strconv.FormatInt(size/BlockSize, 10)))
	if err != nil {
		if short := shortfall(mke2fs, conf, work, size, t, opt); short != nil {
			return short
		}
		return fmt.Errorf("ext4: %s %s: %w\n%s", mke2fs, strings.Join(args, " "), err, tail(out))
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("ext4: %w", err)
	}
	defer f.Close()
	if err := fixTimes(f, offset, uint32(t.Epoch)); err != nil {
		return fmt.Errorf("ext4: fix times in %s: %w", path, err)
	}
	return f.Close()
}

// mke2fs is the binary to run: Options.Mke2fs, else mke2fs on PATH.
func (opt Options) mke2fs() (string, error) {
	if opt.Mke2fs != "" {
		return opt.Mke2fs, nil
	}
	p, err := exec.LookPath("mke2fs")
	if err != nil {
		return "", fmt.Errorf("ext4: mke2fs not on PATH (apt-get install e2fsprogs, or set Options.Mke2fs): %w", err)
	}
	return p, nil
}

func mke2fsArgs(offset, size int64, t *tree.Tree, opt Options, from string) []string {
	ext := []string{
		"offset=" + strconv.FormatInt(offset, 10),
		"hash_seed=" + opt.HashSeed,
		"root_owner=0:0",
		"nodiscard",
		// The range is zero (a fresh file), so nothing needs wiping and the groups can say so.
		"assume_storage_prezeroed=1",
		"no_copy_xattrs",
	}
	args := []string{"-q", "-F", "-t", "ext4", "-b", strconv.Itoa(BlockSize), "-I", "256",
		"-U", opt.UUID, "-E", strings.Join(ext, ","), "-d", from}
	if opt.Label != "" {
		args = append(args, "-L", opt.Label)
	}
	// The default of one inode per 16 KiB runs out for trees of many small files.
	if need := int64(t.Len())*5/4 + 64; need > size/16384 {
		args = append(args, "-N", strconv.FormatInt(need, 10))
	}
	return args
}

func runMke2fs(mke2fs, conf string, epoch int64, args []string) ([]byte, error) {
	cmd := mke2fsCmd(mke2fs, conf, epoch, args)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

func mke2fsCmd(mke2fs, conf string, epoch int64, args []string) *exec.Cmd {
	cmd := exec.Command(mke2fs, args...)
	e := strconv.FormatInt(epoch, 10)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C", "TZ=UTC", "MKE2FS_CONFIG=" + conf,
		"E2FSPROGS_FAKE_TIME=" + e, "SOURCE_DATE_EPOCH=" + e}
	return cmd
}

// ReferenceCommand is the mke2fs run Write makes for t (the same configuration, written into
// work, the same options and environment), given dir, a directory that holds the tree, as -d.
// It is what image/bench times as plain `mke2fs -d`, so the two sides differ only in how the
// tree reaches mke2fs and in Write's own work around it.
func ReferenceCommand(work, path string, size int64, t *tree.Tree, opt Options, dir string) (*exec.Cmd, error) {
	mke2fs, err := opt.mke2fs()
	if err != nil {
		return nil, err
	}
	conf := filepath.Join(work, "mke2fs.conf")
	if err := os.WriteFile(conf, []byte(mke2fsConf), 0o644); err != nil {
		return nil, fmt.Errorf("ext4: %w", err)
	}
	args := mke2fsArgs(0, size, t, opt, dir)
	return mke2fsCmd(mke2fs, conf, t.Epoch, append(args, path, strconv.FormatInt(size/BlockSize, 10))), nil
}

func tail(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 10 {
		lines = lines[len(lines)-10:]
	}
	return strings.Join(lines, "\n")
}
