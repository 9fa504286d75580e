// Package disk writes a bootable GPT disk image: an EFI system partition (FAT32, made with
// go-diskfs) holding the kernel's EFI stub as the removable-media boot path, and an ext4 root
// partition (package ext4). Every GUID derives from a caller's seed, so the same inputs give the
// same bytes.
package disk

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	diskfs "github.com/diskfs/go-diskfs"
	"github.com/diskfs/go-diskfs/disk"
	"github.com/diskfs/go-diskfs/filesystem/fat32"
	"github.com/diskfs/go-diskfs/partition/gpt"

	"stalix.dev/stalix-build/image/ext4"
	"stalix.dev/stalix-build/image/tree"
)

const (
	sector = 512
	mib    = 1 << 20
	// MinESPSize: FAT32 ESPs made smaller failed to boot in earlier measurements.
	MinESPSize = 64 * mib
	// DefaultRootLabel is the GPT name of the root partition, for root=PARTLABEL=.
	DefaultRootLabel = "stalix-root"
)

// Spec describes a disk image.
type Spec struct {
	Size      int64      // the whole image in bytes, a multiple of 1 MiB
	ESPSize   int64      // the EFI system partition, a multiple of 1 MiB; 0 means MinESPSize
	Arch      string     // "x86_64" or "aarch64": picks the boot file name and root type GUID
	Kernel    string     // host path of the EFI-stub kernel, copied to EFI/BOOT/BOOT{X64,AA64}.EFI
	Tree      *tree.Tree // the root file system; its Epoch is every timestamp in the image
	Seed      []byte     // e.g. the profile hash: the disk, partition and file system ids derive from it
	RootLabel string     // GPT partition name of the root; "" means DefaultRootLabel
	// RootPartUUID is the root partition's unique GUID, for a kernel whose command line says
	// root=PARTUUID=; "" derives it from Seed like the other GUIDs.
	RootPartUUID string
	Mke2fs       string // the mke2fs binary; "" looks on PATH
	WorkDir      string // for the ext4 staging directory; "" means os.TempDir()
}

// Result holds the identifiers the boot command line or a test may need.
type Result struct {
	DiskGUID     string
	ESPPartUUID  string
	RootPartUUID string // for root=PARTUUID=
	RootFSUUID   string // the ext4 UUID, for root=UUID=
	RootLabel    string // for root=PARTLABEL=
	ESPStart     int64  // byte offsets and sizes of the partitions
	ESPSize      int64
	RootStart    int64
	RootSize     int64
}

type archInfo struct {
	bootFile string
	rootType gpt.Type
}

var arches = map[string]archInfo{
	"x86_64":  {"BOOTX64.EFI", gpt.LinuxRootX86_64},
	"aarch64": {"BOOTAA64.EFI", gpt.LinuxRootArm64},
}

// BootFile is the path in the ESP that UEFI firmware boots on arch with no boot entries.
func BootFile(arch string) (string, error) {
	a, ok := arches[arch]
	if !ok {
		return "", fmt.Errorf("unknown arch %q: use x86_64 or aarch64", arch)
	}
	return "/EFI/BOOT/" + a.bootFile, nil
}

// Layout computes the partitions of spec without writing anything: 1 MiB alignment, the ESP
// first, the root filling the rest up to the backup GPT.
func Layout(spec Spec) (Result, error) {
	var r Result
	if _, ok := arches[spec.Arch]; !ok {
		return r, fmt.Errorf("disk: unknown arch %q: use x86_64 or aarch64", spec.Arch)
	}
	esp := spec.ESPSize
	if esp == 0 {
		esp = MinESPSize
	}
	switch {
	case spec.Size <= 0 || spec.Size%mib != 0:
		return r, fmt.Errorf("disk: size %d is not a positive multiple of 1 MiB", spec.Size)
	case esp%mib != 0 || esp < MinESPSize:
		return r, fmt.Errorf("disk: ESP size %d must be a multiple of 1 MiB and at least %d MiB", esp, MinESPSize/mib)
	case len(spec.Seed) == 0:
		return r, errors.New("disk: Seed is empty; pass the profile hash so the GUIDs are fixed")
	}
	label := spec.RootLabel
	if label == "" {
		label = DefaultRootLabel
	}
	if len([]rune(label)) > 36 {
		return r, fmt.Errorf("disk: root label %q is longer than GPT's 36 characters", label)
	}
	lastUsable := spec.Size/sector - 34 // the backup entries and header take the last 33 sectors
	rootPart := DeriveUUID(spec.Seed, "root-partition")
	if spec.RootPartUUID != "" {
		if !guidRE.MatchString(spec.RootPartUUID) {
			return r, fmt.Errorf("disk: root partition GUID %q: want lower-case xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", spec.RootPartUUID)
		}
		rootPart = spec.RootPartUUID
	}
	r = Result{
		DiskGUID:     DeriveUUID(spec.Seed, "disk"),
		ESPPartUUID:  DeriveUUID(spec.Seed, "esp-partition"),
		RootPartUUID: rootPart,
		RootFSUUID:   DeriveUUID(spec.Seed, "root-ext4"),
		RootLabel:    label,
		ESPStart:     mib,
		ESPSize:      esp,
		RootStart:    mib + esp,
	}
	r.RootSize = (lastUsable+1)*sector/mib*mib - r.RootStart
	if r.RootSize < 8*mib {
		return r, fmt.Errorf("disk: %d MiB leaves %d MiB for the root after the %d MiB ESP and the GPT; make the disk larger",
			spec.Size/mib, r.RootSize/mib, esp/mib)
	}
	return r, nil
}

// WriteDisk writes the image described by spec to path, replacing what is there.
func WriteDisk(path string, spec Spec) (Result, error) {
	r, err := Layout(spec)
	if err != nil {
		return r, err
	}
	if spec.Tree == nil {
		return r, errors.New("disk: no root tree")
	}
	kernel, err := os.Open(spec.Kernel)
	if err != nil {
		return r, fmt.Errorf("disk: kernel: %w", err)
	}
	defer kernel.Close()
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return r, fmt.Errorf("disk: %w", err)
	}
	if err := writeGPTAndESP(path, spec, r, kernel); err != nil {
		os.Remove(path)
		return r, err
	}
	err = ext4.Write(path, r.RootStart, r.RootSize, spec.Tree, ext4.Options{
		Mke2fs:   spec.Mke2fs,
		UUID:     r.RootFSUUID,
		HashSeed: DeriveUUID(spec.Seed, "root-ext4-hash-seed"),
		Label:    truncate(r.RootLabel, 16),
		WorkDir:  spec.WorkDir,
	})
	if err != nil {
		os.Remove(path)
		return r, fmt.Errorf("disk: root partition: %w", err)
	}
	return r, nil
}

func writeGPTAndESP(path string, spec Spec, r Result, kernel io.Reader) error {
	d, err := diskfs.Create(path, spec.Size, diskfs.SectorSize512)
	if err != nil {
		return fmt.Errorf("disk: create %s: %w", path, err)
	}
	defer d.Close()
	table := &gpt.Table{
		LogicalSectorSize:  sector,
		PhysicalSectorSize: sector,
		ProtectiveMBR:      true,
		GUID:               r.DiskGUID,
		Partitions: []*gpt.Partition{
			{Index: 1, Start: uint64(r.ESPStart / sector), End: uint64((r.ESPStart+r.ESPSize)/sector - 1),
				Type: gpt.EFISystemPartition, Name: "EFI System Partition", GUID: r.ESPPartUUID},
			{Index: 2, Start: uint64(r.RootStart / sector), End: uint64((r.RootStart+r.RootSize)/sector - 1),
				Type: arches[spec.Arch].rootType, Name: r.RootLabel, GUID: r.RootPartUUID},
		},
	}
	if err := d.Partition(table); err != nil {
		return fmt.Errorf("disk: partition table: %w", err)
	}
	return writeESP(d, spec, r, kernel)
}

// go-diskfs's FAT code stamps entries with SOURCE_DATE_EPOCH from the environment when it is
// set; the environment is the process's, so writers take turns.
var envMu sync.Mutex

func writeESP(d *disk.Disk, spec Spec, r Result, kernel io.Reader) error {
	envMu.Lock()
	defer envMu.Unlock()
	old, had := os.LookupEnv("SOURCE_DATE_EPOCH")
	os.Setenv("SOURCE_DATE_EPOCH", strconv.FormatInt(spec.Tree.Epoch, 10))
	defer func() {
		if had {
			os.Setenv("SOURCE_DATE_EPOCH", old)
		} else {
			os.Unsetenv("SOURCE_DATE_EPOCH")
		}
	}()

	fs, err := fat32.Create(d.Backend, fatSize(r.ESPSize), r.ESPStart, sector, "ESP", true)
	if err != nil {
		return fmt.Errorf("disk: ESP: %w", err)
	}
	boot, _ := BootFile(spec.Arch)
	if err := fs.Mkdir("/EFI/BOOT"); err != nil {
		return fmt.Errorf("disk: ESP: mkdir /EFI/BOOT: %w", err)
	}
	f, err := fs.OpenFile(boot, os.O_CREATE|os.O_RDWR)
	if err != nil {
		return fmt.Errorf("disk: ESP: %s: %w", boot, err)
	}
	if _, err := io.Copy(f, kernel); err != nil {
		f.Close()
		return fmt.Errorf("disk: ESP: copy kernel %s to %s (is the ESP large enough?): %w", spec.Kernel, boot, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("disk: ESP: %s: %w", boot, err)
	}
	w, err := d.Backend.Writable()
	if err != nil {
		return fmt.Errorf("disk: ESP: %w", err)
	}
	if err := fixFAT(w, r.ESPStart, r.ESPSize); err != nil {
		return fmt.Errorf("disk: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
