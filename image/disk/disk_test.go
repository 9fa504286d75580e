package disk

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"stalix.dev/stalix-build/image/internal/fixture"
)

var update = flag.Bool("update", false, "rewrite the golden hash under testdata/")

const testSize = 80 << 20

func need(t *testing.T, tool, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("needs %s (apt-get install %s)", tool, pkg)
	}
}

func needRoot(t *testing.T) {
	t.Helper()
	need(t, "mke2fs", "e2fsprogs")
	if os.Geteuid() != 0 {
		t.Skip("needs root to stage owners and device nodes for mke2fs -d")
	}
}

// kernel is a stand-in EFI binary: fixed bytes, large enough to span many FAT clusters.
func kernel(t *testing.T) string {
	k := make([]byte, 3<<20+123)
	for i := range k {
		k[i] = byte(i*7/3 + i>>13)
	}
	p := filepath.Join(t.TempDir(), "vmlinuz.efi")
	if err := os.WriteFile(p, k, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func write(t *testing.T, arch string) (string, Result, string) {
	t.Helper()
	k := kernel(t)
	p := filepath.Join(t.TempDir(), "disk.img")
	r, err := WriteDisk(p, Spec{Size: testSize, Arch: arch, Kernel: k, Tree: fixture.Small(t), Seed: []byte("profile-hash")})
	if err != nil {
		t.Fatal(err)
	}
	return p, r, k
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// extract copies one partition out of the image, for the tools that take a file system alone.
func extract(t *testing.T, img string, off, size int64) string {
	t.Helper()
	data, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "part")
	if err := os.WriteFile(p, data[off:off+size], 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDeriveUUID(t *testing.T) {
	a, b := DeriveUUID([]byte("x"), "disk"), DeriveUUID([]byte("x"), "esp")
	if a == b || a != DeriveUUID([]byte("x"), "disk") || a == DeriveUUID([]byte("y"), "disk") {
		t.Fatalf("derived ids not a function of seed and purpose: %s %s", a, b)
	}
	u, err := uuid.Parse(a)
	if err != nil || u.Version() != 5 || u.Variant() != uuid.RFC4122 {
		t.Fatalf("%s: version %d variant %v err %v, want v5 RFC 4122", a, u.Version(), u.Variant(), err)
	}
}

func TestLayout(t *testing.T) {
	seed := []byte("s")
	tests := []struct {
		name    string
		spec    Spec
		wantErr string
	}{
		{"ok", Spec{Size: 100 << 20, Arch: "x86_64", Seed: seed}, ""},
		{"arch", Spec{Size: 100 << 20, Arch: "riscv64", Seed: seed}, "unknown arch"},
		{"unaligned", Spec{Size: 100<<20 + 512, Arch: "x86_64", Seed: seed}, "multiple of 1 MiB"},
		{"small esp", Spec{Size: 100 << 20, ESPSize: 32 << 20, Arch: "x86_64", Seed: seed}, "at least 64 MiB"},
		{"no seed", Spec{Size: 100 << 20, Arch: "x86_64"}, "Seed"},
		{"no room", Spec{Size: 70 << 20, Arch: "aarch64", Seed: seed}, "make the disk larger"},
		{"label", Spec{Size: 100 << 20, Arch: "x86_64", Seed: seed, RootLabel: strings.Repeat("x", 37)}, "36 characters"},
		{"partuuid", Spec{Size: 100 << 20, Arch: "x86_64", Seed: seed, RootPartUUID: "1670c3f2-bdf7-562d-85c7-7cfa3ecb38f6"}, ""},
		{"bad partuuid", Spec{Size: 100 << 20, Arch: "x86_64", Seed: seed, RootPartUUID: "1670C3F2"}, "root partition GUID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Layout(tt.spec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.spec.RootPartUUID != "" && r.RootPartUUID != tt.spec.RootPartUUID {
				t.Errorf("root partition GUID %s, want %s", r.RootPartUUID, tt.spec.RootPartUUID)
			}
			if r.RootStart != r.ESPStart+r.ESPSize || r.RootSize%(1<<20) != 0 || r.RootStart+r.RootSize > tt.spec.Size-33*512 {
				t.Errorf("bad layout %+v", r)
			}
		})
	}
}

func TestFatSize(t *testing.T) {
	for _, mb := range []int64{64, 65, 100, 200, 256} {
		got := fatSize(mb << 20)
		if n := (got/512 - 32) % 130; n == 0 || n == 129 || got > mb<<20 || mb<<20-got > 2*512 {
			t.Errorf("fatSize(%d MiB) = %d", mb, got)
		}
	}
}

func TestOracles(t *testing.T) {
	needRoot(t)
	for _, arch := range []string{"x86_64", "aarch64"} {
		t.Run(arch, func(t *testing.T) {
			img, r, k := write(t, arch)
			t.Run("sgdisk", func(t *testing.T) {
				need(t, "sgdisk", "gdisk")
				if out := run(t, "sgdisk", "-v", img); !strings.Contains(out, "No problems found") {
					t.Errorf("sgdisk -v:\n%s", out)
				}
			})
			t.Run("sfdisk", func(t *testing.T) {
				need(t, "sfdisk", "fdisk")
				run(t, "sfdisk", "--verify", img)
				var d struct {
					PartitionTable struct {
						ID         string
						Partitions []struct {
							Start, Size      int64
							Type, UUID, Name string
						}
					}
				}
				if err := json.Unmarshal([]byte(run(t, "sfdisk", "-J", img)), &d); err != nil {
					t.Fatal(err)
				}
				pt := d.PartitionTable
				rootType := map[string]string{"x86_64": "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "aarch64": "B921B045-1DF0-41C3-AF44-4C6F280D3FAE"}[arch]
				if len(pt.Partitions) != 2 || !strings.EqualFold(pt.ID, r.DiskGUID) ||
					pt.Partitions[0].Type != "C12A7328-F81F-11D2-BA4B-00A0C93EC93B" || !strings.EqualFold(pt.Partitions[0].UUID, r.ESPPartUUID) ||
					pt.Partitions[1].Type != rootType || !strings.EqualFold(pt.Partitions[1].UUID, r.RootPartUUID) ||
					pt.Partitions[1].Name != "stalix-root" || pt.Partitions[1].Start*512 != r.RootStart || pt.Partitions[1].Size*512 != r.RootSize {
					t.Errorf("sfdisk -J: %+v, want %+v", pt, r)
				}
			})
			t.Run("fsck.vfat", func(t *testing.T) {
				need(t, "fsck.vfat", "dosfstools")
				run(t, "fsck.vfat", "-n", extract(t, img, r.ESPStart, r.ESPSize))
			})
			t.Run("mtools", func(t *testing.T) {
				need(t, "mtype", "mtools")
				boot, _ := BootFile(arch)
				got, err := exec.Command("mtype", "-i", extract(t, img, r.ESPStart, r.ESPSize), "::"+boot).Output()
				want, _ := os.ReadFile(k)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("mtype %s: %v, %d bytes, want the kernel's %d", boot, err, len(got), len(want))
				}
			})
			t.Run("e2fsck", func(t *testing.T) {
				need(t, "e2fsck", "e2fsprogs")
				root := extract(t, img, r.RootStart, r.RootSize)
				if out := run(t, "e2fsck", "-fn", root); strings.Contains(out, "?") {
					t.Errorf("e2fsck -fn:\n%s", out)
				}
				out := run(t, "dumpe2fs", "-h", root)
				for _, w := range []string{"Filesystem UUID:          " + r.RootFSUUID, "Filesystem volume name:   stalix-root"} {
					if !strings.Contains(out, w) {
						t.Errorf("dumpe2fs -h lacks %q", w)
					}
				}
			})
		})
	}
}

func TestReproducible(t *testing.T) {
	needRoot(t)
	a, _, _ := write(t, "x86_64")
	time.Sleep(1100 * time.Millisecond)
	b, _, _ := write(t, "x86_64")
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) {
		t.Fatalf("two writes differ: %x vs %x", sha256.Sum256(da), sha256.Sum256(db))
	}
}

// The golden hash depends on the mke2fs that made it, so the file records its version and a
// different version skips rather than fails.
func TestGolden(t *testing.T) {
	needRoot(t)
	v, _ := exec.Command("mke2fs", "-V").CombinedOutput()
	version := regexp.MustCompile(`mke2fs \S+`).FindString(string(v))
	img, _, _ := write(t, "x86_64")
	data, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%x  small.img\n# %s\n", sha256.Sum256(data), version)
	golden := filepath.Join("testdata", "small.img.sha256")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./image/disk -update to create it)", err)
	}
	if !strings.Contains(string(want), "# "+version+"\n") {
		t.Skipf("golden made with another e2fsprogs (%q), this is %s; regenerate with -update", want, version)
	}
	if got != string(want) {
		t.Errorf("sha256 of the fixture's disk image:\n%s\ngolden:\n%s\nif the change is intended run go test ./image/disk -update", got, want)
	}
}

func TestTreeTooLarge(t *testing.T) {
	needRoot(t)
	tr := fixture.Small(t)
	big := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), 20<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	tr.Add(fixture.FileFrom(big, "/big"))
	p := filepath.Join(t.TempDir(), "disk.img")
	_, err := WriteDisk(p, Spec{Size: 80 << 20, Arch: "x86_64", Kernel: kernel(t), Tree: tr, Seed: []byte("s")})
	if err == nil || !regexp.MustCompile(`at least \d+ MiB larger`).MatchString(err.Error()) {
		t.Fatalf("WriteDisk = %v, want an error saying how much larger", err)
	}
	if _, serr := os.Stat(p); serr == nil {
		t.Error("a failed write left the image behind")
	}
}
