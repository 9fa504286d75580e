// Package install is what an install media carries for stalix-install (recipes/core/stalix-install):
// the installed system's root tree, its kernel, and install.conf, the sizes and identifiers the
// installer gives the target disk. The media's image writers see it as part of the media's tree.
package install

import (
	"fmt"
	"os"
	"strings"

	"stalix.dev/stalix-build/image/disk"
	"stalix.dev/stalix-build/image/ext4"
	"stalix.dev/stalix-build/image/tree"
)

// Dir is where the payload sits in the media's root; stalix-install reads it from there.
const Dir = "/ix/install"

const mib = 1 << 20

// System is one installed system, for one architecture.
type System struct {
	Name    string     // the system profile's name
	Arch    string     // x86_64 or aarch64
	Tree    *tree.Tree // its root file system
	Kernel  string     // host path of its EFI-stub kernel
	Root    disk.Root  // what the kernel's built-in root= names
	ESPSize int64      // bytes, a multiple of 1 MiB, at least disk.MinESPSize
	// Seed is what the installed disk's GUIDs derive from, as an image's do (the system's realm
	// name): the same system installed twice gets the same identifiers, and the root partition
	// gets the PARTUUID its kernel asks for.
	Seed []byte
	// StoreCount is the number of entries under /ix/store in Tree, for the login check.
	StoreCount int
}

// Add puts sys under Dir in the media's tree: root/ (the system's tree), the kernel under the
// name it takes on the ESP, install.conf and mke2fs.conf.
func Add(media *tree.Tree, sys System) error {
	conf, err := Conf(sys)
	if err != nil {
		return err
	}
	boot, err := disk.BootFile(sys.Arch)
	if err != nil {
		return err
	}
	fi, err := os.Stat(sys.Kernel)
	if err != nil {
		return fmt.Errorf("install: kernel: %w", err)
	}
	if err := media.Graft(sys.Tree, Dir+"/root", 0o755); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	for _, e := range []tree.Entry{
		// 0700: the payload holds the system's /etc/shadow; only root on the media reads it.
		{Path: Dir, Type: tree.Dir, Mode: 0o700},
		{Path: Dir + "/" + boot[strings.LastIndex(boot, "/")+1:], Type: tree.File, Mode: 0o644, Size: fi.Size(), Source: sys.Kernel},
		{Path: Dir + "/install.conf", Type: tree.File, Mode: 0o644, Data: conf},
		{Path: Dir + "/mke2fs.conf", Type: tree.File, Mode: 0o644, Data: []byte(ext4.Config())},
	} {
		if err := media.Add(e); err != nil {
			return fmt.Errorf("install: %w", err)
		}
	}
	return nil
}

// rootTypes are the GPT partition types of a Linux root (the Discoverable Partitions
// Specification), by architecture.
var rootTypes = map[string]string{
	"x86_64":  "4f68bce3-e8cd-4db1-96e7-fbcaf984b709",
	"aarch64": "b921b045-1df0-41c3-af44-4c6f280d3fae",
}

// Conf is install.conf: shell assignments stalix-install sources. Every value is a name, a
// number or a GUID, so none needs quoting beyond the single quotes it gets.
func Conf(sys System) ([]byte, error) {
	rootType, ok := rootTypes[sys.Arch]
	if !ok {
		return nil, fmt.Errorf("install: unknown arch %q: use x86_64 or aarch64", sys.Arch)
	}
	if sys.ESPSize%mib != 0 || sys.ESPSize < disk.MinESPSize {
		return nil, fmt.Errorf("install: ESP size %d must be a multiple of 1 MiB and at least %d MiB", sys.ESPSize, disk.MinESPSize/mib)
	}
	if len(sys.Seed) == 0 {
		return nil, fmt.Errorf("install: no seed for the installed disk's identifiers")
	}
	boot, _ := disk.BootFile(sys.Arch)
	label := sys.Root.Label
	if label == "" {
		label = disk.DefaultRootLabel
	}
	partUUID := sys.Root.PartUUID
	if partUUID == "" {
		partUUID = disk.DeriveUUID(sys.Seed, "root-partition")
	}
	for _, v := range []string{sys.Name, label} {
		if strings.ContainsAny(v, "'\"\\$`\n,=") {
			return nil, fmt.Errorf("install: %q cannot go into install.conf or an sfdisk script", v)
		}
	}
	espID := strings.ReplaceAll(disk.DeriveUUID(sys.Seed, "esp-volume-id"), "-", "")[:8]
	var b strings.Builder
	b.WriteString("# stalix-install's settings for this media, written by stalix-build (internal/install).\n")
	line := func(k, v string) { fmt.Fprintf(&b, "%s='%s'\n", k, v) }
	line("SYSTEM", sys.Name)
	line("ARCH", sys.Arch)
	line("BOOT_FILE", boot[strings.LastIndex(boot, "/")+1:])
	fmt.Fprintf(&b, "ESP_MIB=%d\n", sys.ESPSize/mib)
	fmt.Fprintf(&b, "ROOT_MIN_MIB=%d\n", MinRootSize(sys.Tree)/mib)
	line("ROOT_TYPE", rootType)
	line("ROOT_LABEL", label)
	line("ROOT_PARTUUID", partUUID)
	line("DISK_GUID", disk.DeriveUUID(sys.Seed, "disk"))
	line("ESP_PARTUUID", disk.DeriveUUID(sys.Seed, "esp-partition"))
	line("ESP_VOLUME_ID", espID)
	line("ROOT_FS_UUID", disk.DeriveUUID(sys.Seed, "root-ext4"))
	line("ROOT_HASH_SEED", disk.DeriveUUID(sys.Seed, "root-ext4-hash-seed"))
	return []byte(b.String()), nil
}

// MinRootSize is the smallest root partition stalix-install accepts for t, in bytes, a multiple
// of 1 MiB: the tree's blocks and inodes (ext4.Need) with a quarter more for metadata, the
// journal mke2fs gives a partition of that size (16 MiB up to 1 GiB), and 16 MiB to boot with;
// at least 64 MiB.
func MinRootSize(t *tree.Tree) int64 {
	blocks, inodes := ext4.Need(t)
	need := (blocks*ext4.BlockSize+inodes*256)*5/4 + 32*mib
	need = (need + mib - 1) / mib * mib
	if need < 64*mib {
		need = 64 * mib
	}
	return need
}
