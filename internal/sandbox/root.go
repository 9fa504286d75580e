package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// devices are bound from the host's /dev; a user namespace may not create device nodes.
var devices = []string{"null", "zero", "full", "random", "urandom", "tty"}

// seedLinks are made at / pointing into the seed's usr, when the seed has them.
var seedLinks = []string{"bin", "sbin", "lib", "lib64"}

// buildRoot mounts a fresh tmpfs on c.Root, fills it with exactly what the build may see, makes it
// the root and drops the host's. It runs in the child's new mount namespace, so the host is
// unaffected.
func buildRoot(c *config) error {
	// Nothing mounted below may propagate back to the host's mount namespace.
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making / private: %w", err)
	}
	r := c.Root
	if err := unix.Mount("tmpfs", r, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755"); err != nil {
		return fmt.Errorf("mounting the root tmpfs: %w", err)
	}
	for _, b := range c.Binds {
		if err := bindMount(b.Host, filepath.Join(r, b.Path), b.Writable); err != nil {
			return fmt.Errorf("mounting %s at %s: %w", b.Host, b.Path, err)
		}
	}
	if c.Seed != "" {
		if err := mountSeed(c.Seed, r); err != nil {
			return err
		}
	} else if c.Bin != "" {
		if err := linkBin(c.Bin, r); err != nil {
			return err
		}
	}
	if err := makeDev(filepath.Join(r, "dev")); err != nil {
		return err
	}
	if err := mountFS("proc", filepath.Join(r, "proc"), "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		return err
	}
	if err := maskProc(filepath.Join(r, "proc")); err != nil {
		return err
	}
	if err := mountFS("tmpfs", filepath.Join(r, "tmp"), "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=1777"); err != nil {
		return err
	}
	if err := writeEtc(filepath.Join(r, "etc"), envValue(c.Env, "HOME")); err != nil {
		return err
	}
	if err := pivot(r); err != nil {
		return err
	}
	// Read-only from here: the script may write only to /build, its output, /tmp and /dev/shm.
	ro := []struct {
		path  string
		flags uintptr
	}{{"/dev", unix.MS_NOSUID | unix.MS_NOEXEC}, {"/", unix.MS_NOSUID | unix.MS_NODEV}}
	for _, m := range ro {
		if err := unix.Mount("", m.path, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY|m.flags, ""); err != nil {
			return fmt.Errorf("making %s read-only: %w", m.path, err)
		}
	}
	return nil
}

// bindMount binds host onto target (created as a file or directory to match), read-only unless
// writable. Devices and set-uid bits are never honoured.
func bindMount(host, target string, writable bool) error {
	fi, err := os.Stat(host)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		err = os.MkdirAll(target, 0o755)
	} else {
		err = touch(target)
	}
	if err != nil {
		return err
	}
	if err := unix.Mount(host, target, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return err
	}
	attr := unix.MountAttr{Attr_set: unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_NODEV}
	if !writable {
		attr.Attr_set |= unix.MOUNT_ATTR_RDONLY
	}
	// mount_setattr changes only the bits named and covers submounts too; the older remount
	// would have to restate flags the host locked (nosuid, noexec, ...) or fail with EPERM.
	err = unix.MountSetattr(-1, target, unix.AT_RECURSIVE, &attr)
	if errors.Is(err, unix.ENOSYS) {
		err = remountFlags(host, target, writable)
	}
	return err
}

// remountFlags is the fallback for kernels before 5.12: remount the bind keeping the locked flags
// of the host's mount.
func remountFlags(host, target string, writable bool) error {
	var st unix.Statfs_t
	if err := unix.Statfs(host, &st); err != nil {
		return err
	}
	flags := uintptr(unix.MS_REMOUNT | unix.MS_BIND | unix.MS_NOSUID | unix.MS_NODEV)
	if !writable {
		flags |= unix.MS_RDONLY
	}
	for _, f := range []uintptr{unix.ST_NOEXEC, unix.ST_NOATIME, unix.ST_NODIRATIME, unix.ST_RELATIME} {
		if uintptr(st.Flags)&f != 0 {
			flags |= f // ST_* and MS_* share their values for these
		}
	}
	return unix.Mount("", target, "", flags, "")
}

func mountSeed(seed, r string) error {
	usr := filepath.Join(seed, "usr")
	if err := bindMount(usr, filepath.Join(r, "usr"), false); err != nil {
		return fmt.Errorf("mounting the seed %s at /usr: %w", usr, err)
	}
	for _, l := range seedLinks {
		if _, err := os.Lstat(filepath.Join(usr, l)); err != nil {
			continue
		}
		if err := os.Symlink("usr/"+l, filepath.Join(r, l)); err != nil {
			return fmt.Errorf("seed link /%s: %w", l, err)
		}
	}
	return nil
}

// linkBin makes /bin and /usr/bin links to bin, a directory of one of the inputs. The links are
// absolute, so they resolve inside the new root once it is pivoted to.
func linkBin(bin, r string) error {
	if err := os.MkdirAll(filepath.Join(r, "usr"), 0o755); err != nil {
		return err
	}
	for _, l := range []string{"bin", "usr/bin"} {
		if err := os.Symlink(bin, filepath.Join(r, l)); err != nil {
			return fmt.Errorf("linking /%s to %s: %w", l, bin, err)
		}
	}
	return nil
}

// makeDev builds a minimal /dev on its own tmpfs from the host's device nodes.
func makeDev(dev string) error {
	if err := mountFS("tmpfs", dev, "tmpfs", unix.MS_NOSUID|unix.MS_NOEXEC, "mode=0755"); err != nil {
		return err
	}
	for _, d := range devices {
		host := "/dev/" + d
		if _, err := os.Stat(host); err != nil {
			continue // e.g. no /dev/tty in some containers; the build must not rely on it
		}
		target := filepath.Join(dev, d)
		if err := touch(target); err != nil {
			return err
		}
		if err := unix.Mount(host, target, "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("binding %s: %w", host, err)
		}
	}
	links := [][2]string{{"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"},
		{"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"}}
	for _, l := range links {
		if err := os.Symlink(l[1], filepath.Join(dev, l[0])); err != nil {
			return fmt.Errorf("/dev/%s: %w", l[0], err)
		}
	}
	return mountFS("tmpfs", filepath.Join(dev, "shm"), "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=1777")
}

// writeEtc writes the only files of /etc: enough for tools that look up user and host names.
func writeEtc(etc, home string) error {
	if home == "" {
		home = "/"
	}
	files := []struct{ name, body string }{
		{"passwd", "root:x:0:0:root:" + home + ":/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"},
		{"group", "root:x:0:\nnogroup:x:65534:\n"},
		{"hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost\n"},
	}
	if err := os.Mkdir(etc, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if strings.ContainsAny(home, ":\n") {
			return fmt.Errorf("HOME %q cannot go into /etc/passwd", home)
		}
		if err := os.WriteFile(filepath.Join(etc, f.name), []byte(f.body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// pivot makes r the root and detaches the host's root, so no path leads back to it.
func pivot(r string) error {
	if err := os.Chdir(r); err != nil {
		return err
	}
	// pivot_root(".", ".") stacks the old root on top of the new one; unmounting "." then drops
	// it without needing a directory to park it in.
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detaching the host root: %w", err)
	}
	return os.Chdir("/")
}

func mountFS(source, target, fstype string, flags uintptr, data string) error {
	if err := os.MkdirAll(target, 0o755); err != nil {
		return err
	}
	if err := unix.Mount(source, target, fstype, flags, data); err != nil {
		return fmt.Errorf("mounting %s on %s: %w", fstype, filepath.Base(target), err)
	}
	return nil
}

func touch(p string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	return f.Close()
}

// procReadOnly are the /proc entries that reach the whole kernel, not just this namespace: made
// read-only. When the caller is host root, root inside is kernel uid 0, which passes the plain
// permission checks of sysctls and sysrq-trigger, so without this a build could set
// kernel.core_pattern and run code on the host.
var procReadOnly = []string{"sys", "sysrq-trigger", "irq", "bus", "fs"}

// procHidden are /proc entries a build has no business reading: bound over with /dev/null (files)
// or an empty read-only tmpfs (directories).
var procHidden = []string{"kcore", "keys", "kmsg", "timer_list", "sched_debug", "latency_stats", "acpi", "scsi", "asound"}

func maskProc(proc string) error {
	for _, name := range procReadOnly {
		p := filepath.Join(proc, name)
		if _, err := os.Lstat(p); err != nil {
			continue
		}
		if err := unix.Mount(p, p, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return fmt.Errorf("masking /proc/%s: %w", name, err)
		}
		attr := unix.MountAttr{Attr_set: unix.MOUNT_ATTR_RDONLY | unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_NODEV | unix.MOUNT_ATTR_NOEXEC}
		err := unix.MountSetattr(-1, p, unix.AT_RECURSIVE, &attr)
		if errors.Is(err, unix.ENOSYS) {
			err = unix.Mount("", p, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
		}
		if err != nil {
			return fmt.Errorf("making /proc/%s read-only: %w", name, err)
		}
	}
	for _, name := range procHidden {
		p := filepath.Join(proc, name)
		fi, err := os.Lstat(p)
		if err != nil {
			continue
		}
		if fi.IsDir() {
			err = unix.Mount("tmpfs", p, "tmpfs", unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "mode=0555")
		} else {
			err = unix.Mount("/dev/null", p, "", unix.MS_BIND, "")
		}
		if err != nil {
			return fmt.Errorf("hiding /proc/%s: %w", name, err)
		}
	}
	return nil
}
