// Command bench compares the image writers with the reference tools on one generated tree, in
// one run: the initramfs writer against `find | sort | cpio -o -H newc | zstd -3`, and the ext4
// root writer against `mke2fs -d DIR`. Each side starts from the directory on disk, so ours
// includes its tree walk (tree.FromDir) as the reference includes find or mke2fs's own. Both
// ext4 sides run the same mke2fs binary (-mke2fs) with the same configuration, options and
// environment (ext4.ReferenceCommand): MKE2FS_CONFIG, -E, -U, -I, -N, the fake time. `make
// bench` runs it.
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"stalix.dev/stalix-build/image/compression"
	"stalix.dev/stalix-build/image/ext4"
	"stalix.dev/stalix-build/image/initramfs"
	"stalix.dev/stalix-build/image/tree"
)

func main() {
	files := flag.Int("files", 3000, "files in the generated tree")
	mb := flag.Int("mb", 100, "total size of the generated tree in MB")
	runs := flag.Int("runs", 3, "runs of each side; the best time counts")
	work := flag.String("dir", "", "work directory (default: a new temporary one)")
	mke2fs := flag.String("mke2fs", os.Getenv("STALIX_MKE2FS"), "the mke2fs both ext4 sides run, e.g. our e2fsprogs's, which takes a manifest (default $STALIX_MKE2FS, else mke2fs on PATH)")
	check := flag.Bool("check", false, "exit 1 when a target is missed")
	flag.Parse()
	met, err := run(*files, *mb, *runs, *work, *mke2fs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if *check && !met {
		fmt.Println("image bench: a target was MISSED")
		os.Exit(1)
	}
}

// Targets: our initramfs at least the reference's throughput, our ext4 root
// in at most 1.2 times its time.
const (
	minInitramfs = 1.0
	maxExt4      = 1.2
)

// run prints both comparisons and reports whether both targets were met;
// a comparison that cannot run here misses its target.
func run(files, mb, runs int, work, mke2fs string) (bool, error) {
	if work == "" {
		d, err := os.MkdirTemp("", "stalix-bench-")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(d)
		work = d
	}
	src := filepath.Join(work, "tree")
	total, err := generate(src, files, int64(mb)*1e6)
	if err != nil {
		return false, err
	}
	t0 := time.Now()
	t, err := tree.FromDir(src, epoch)
	if err != nil {
		return false, err
	}
	fmt.Printf("tree: %d entries, %.1f MB of file data (FromDir %.2f s, counted in each of our runs below)\n", t.Len(), float64(total)/1e6, time.Since(t0).Seconds())
	okInitramfs, err := benchInitramfs(work, src, total, runs)
	if err != nil {
		return false, err
	}
	okExt4, err := benchExt4(work, src, t, total, runs, mke2fs)
	return okInitramfs && okExt4, err
}

const epoch = 1704067200

func benchInitramfs(work, src string, total int64, runs int) (bool, error) {
	out := filepath.Join(work, "out")
	ours, oursCPU, err := best(runs, func() error {
		t, err := tree.FromDir(src, epoch)
		if err != nil {
			return err
		}
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		return initramfs.WriteInitramfs(f, t, compression.Zstd)
	})
	if err != nil {
		return false, err
	}
	oursSize := size(out)
	level := strconv.Itoa(compression.ZstdCLILevel)
	ref, refCPU, err := best(runs, func() error {
		return sh(src, "find . | LC_ALL=C sort | cpio -o -H newc --quiet | zstd -q -T1 -"+level+" > "+out)
	})
	if err != nil {
		return false, fmt.Errorf("reference pipeline (needs cpio and zstd): %w", err)
	}
	mbps := func(d time.Duration) float64 { return float64(total) / 1e6 / d.Seconds() }
	ratio := ref.Seconds() / ours.Seconds()
	fmt.Printf("initramfs: ours (walk+write) %.2f s (%.0f MB/s, %.1f MB) | find|sort|cpio -H newc|zstd -%s %.2f s (%.0f MB/s, %.1f MB) | throughput ours/ref %.2fx (target >= %.1fx): %s\n",
		ours.Seconds(), mbps(ours), float64(oursSize)/1e6, level, ref.Seconds(), mbps(ref), float64(size(out))/1e6, ratio, minInitramfs, verdict(ratio >= minInitramfs))
	fmt.Printf("initramfs CPU (user+sys, this process and its children): ours %.2f s | reference %.2f s | cpu ours/ref %.2fx\n",
		oursCPU.Seconds(), refCPU.Seconds(), oursCPU.Seconds()/refCPU.Seconds())
	return ratio >= minInitramfs, nil
}

func benchExt4(work, src string, t *tree.Tree, total int64, runs int, mke2fs string) (bool, error) {
	if mke2fs == "" {
		var err error
		if mke2fs, err = exec.LookPath("mke2fs"); err != nil {
			fmt.Println("ext4: not measured, needs mke2fs (apt-get install e2fsprogs, or -mke2fs)")
			return false, nil
		}
	}
	how := "staged"
	if ext4.SupportsManifest(mke2fs) {
		how = "manifest"
	} else if os.Geteuid() != 0 {
		fmt.Printf("ext4: not measured, %s takes no manifest and staging owners and device nodes needs root\n", mke2fs)
		return false, nil
	}
	fsSize := (total*2 + 64<<20) &^ (1<<20 - 1)
	img := filepath.Join(work, "root.img")
	fresh := func() error {
		os.Remove(img)
		f, err := os.Create(img)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Truncate(fsSize)
	}
	opts := ext4.Options{Mke2fs: mke2fs, Label: "stalix-root", UUID: "0b3b7f51-9a43-4ef4-8b1e-2f6b5c7d8e90", HashSeed: "5d8f0c1e-2a3b-4c5d-8e6f-708192a3b4c5", WorkDir: work}
	ours, oursCPU, err := best(runs, func() error {
		if err := fresh(); err != nil {
			return err
		}
		t, err := tree.FromDir(src, epoch)
		if err != nil {
			return err
		}
		return ext4.Write(img, 0, fsSize, t, opts)
	})
	if err != nil {
		return false, err
	}
	var refArgs []string
	ref, refCPU, err := best(runs, func() error {
		if err := fresh(); err != nil {
			return err
		}
		cmd, err := ext4.ReferenceCommand(work, img, fsSize, t, opts, src)
		if err != nil {
			return err
		}
		refArgs = cmd.Args
		// Quiet as ours: mke2fs warns that our configuration has no "small" type.
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%w\n%s", err, out)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("mke2fs -d: %w", err)
	}
	ratio := ours.Seconds() / ref.Seconds()
	fmt.Printf("ext4 reference: %s (with MKE2FS_CONFIG and E2FSPROGS_FAKE_TIME as ours)\n", strings.Join(refArgs, " "))
	fmt.Printf("ext4 root (%d MiB, %s): ours (walk+write) %.2f s | mke2fs -d %.2f s | time ours/ref %.2fx (target <= %.1fx): %s\n",
		fsSize>>20, how, ours.Seconds(), ref.Seconds(), ratio, maxExt4, verdict(ratio <= maxExt4))
	fmt.Printf("ext4 root CPU (user+sys, this process and its children): ours %.2f s | mke2fs -d %.2f s | cpu ours/ref %.2fx\n",
		oursCPU.Seconds(), refCPU.Seconds(), oursCPU.Seconds()/refCPU.Seconds())
	return ratio <= maxExt4, nil
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "MISSED"
}

// best runs f runs times and returns the least wall time and, separately, the least CPU time
// (user+sys of this process and its children), which a loaded machine disturbs less.
func best(runs int, f func() error) (wall, cpu time.Duration, err error) {
	for i := 0; i < runs; i++ {
		c0, t0 := cpuTime(), time.Now()
		if err := f(); err != nil {
			return 0, 0, err
		}
		if d := time.Since(t0); i == 0 || d < wall {
			wall = d
		}
		if d := cpuTime() - c0; i == 0 || d < cpu {
			cpu = d
		}
	}
	return wall, cpu, nil
}

func cpuTime() time.Duration {
	var sum time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			sum += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return sum
}

func sh(dir, script string) error {
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

func size(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// generate writes a fixed pseudo-random tree: nested directories, files whose sizes follow a
// rough power law like a distro's (many small, few large), half text-like and half binary-like
// content, plus symlinks and hard links.
func generate(root string, files int, total int64) (int64, error) {
	r := rand.New(rand.NewSource(1))
	weights := make([]float64, files)
	var sum float64
	for i := range weights {
		weights[i] = 1 / (1 + float64(r.Intn(1000)))
		weights[i] *= weights[i]
		sum += weights[i]
	}
	words := []string{"static ", "musl ", "clang ", "return ", "struct ", "int ", "0x0000 ", "\n", "stalix ", "{ ", "} "}
	var written int64
	buf := make([]byte, 0, 1<<20)
	for i := 0; i < files; i++ {
		dir := filepath.Join(root, fmt.Sprintf("d%02d/s%02d", i%17, i%29))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return 0, err
		}
		n := int64(weights[i] / sum * float64(total))
		p := filepath.Join(dir, fmt.Sprintf("f%05d", i))
		f, err := os.Create(p)
		if err != nil {
			return 0, err
		}
		for left := n; left > 0; {
			buf = buf[:0]
			for int64(len(buf)) < min(left, 1<<20) {
				if i%2 == 0 {
					buf = append(buf, words[r.Intn(len(words))]...)
				} else {
					buf = append(buf, byte(r.Intn(256)), byte(r.Intn(16)), 0, 0)
				}
			}
			buf = buf[:min(int64(len(buf)), left)]
			if _, err := f.Write(buf); err != nil {
				return 0, err
			}
			left -= int64(len(buf))
		}
		f.Close()
		written += n
		if i%100 == 1 {
			os.Symlink(fmt.Sprintf("f%05d", i), p+".link")
			os.Link(p, p+".hard")
		}
	}
	return written, nil
}
