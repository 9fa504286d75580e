package unpack

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// options say how permissive one extraction is.
type options struct {
	strip int
	// debian allows symlinks to point anywhere (/usr/bin/x ->
	// /etc/alternatives/x): they are written, never followed while
	// unpacking, and resolve against the seed's own root once it is mounted.
	debian bool
	// include, when set, keeps only members (after strip) at or below
	// these paths: a recipe that needs two directories of a 1.3 GB source
	// tree writes only those.
	include []string
}

// wanted reports whether a member path (components after strip) is kept.
func (o *options) wanted(name string) bool {
	if len(o.include) == 0 {
		return true
	}
	for _, inc := range o.include {
		inc = strings.Trim(inc, "/")
		if name == inc || strings.HasPrefix(name, inc+"/") {
			return true
		}
	}
	return false
}

// extractor writes tar members under root. Every file system call goes
// through os.Root, which refuses to follow a symlink out of the
// destination; the checks here come first so that the refusal names the
// entry and says why.
type extractor struct {
	archive string
	root    *os.Root
	opt     options
	// dirs holds paths known to be directories (or symlinks already checked
	// to resolve to one inside), so a deep tree costs one Lstat per
	// directory, not one per component per file.
	dirs map[string]bool
}

func extract(r io.Reader, archive, dest string, opt options) error {
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return fmt.Errorf("unpack %s: %w", archive, err)
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return fmt.Errorf("unpack %s: %w", archive, err)
	}
	defer root.Close()
	x := &extractor{archive: archive, root: root, opt: opt, dirs: map[string]bool{}}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("unpack %s: reading tar: %w (is the file complete?)", archive, err)
		}
		if err := x.entry(hdr, tr); err != nil {
			return &EntryError{Archive: archive, Entry: hdr.Name, Err: err}
		}
	}
}

// Sparse members expand their holes into zeros on a plain write: a few
// bytes of archive could fill the disk. Sources and packages do not use them.
var errSparse = errors.New("sparse file refused (repack the archive without --sparse)")

func (x *extractor) entry(hdr *tar.Header, body io.Reader) error {
	switch hdr.Typeflag {
	case tar.TypeXGlobalHeader:
		// git archive writes one holding the commit id; it names no file.
		return nil
	case tar.TypeChar, tar.TypeBlock:
		return errors.New("device node refused (a source or seed never needs one)")
	case tar.TypeFifo:
		return errors.New("fifo refused")
	case tar.TypeGNUSparse:
		return errSparse
	case tar.TypeReg, tar.TypeRegA, tar.TypeDir, tar.TypeSymlink, tar.TypeLink:
		for k := range hdr.PAXRecords {
			if strings.HasPrefix(k, "GNU.sparse.") {
				return errSparse
			}
		}
	default:
		return fmt.Errorf("unsupported tar entry type %q", hdr.Typeflag)
	}
	comps, err := splitName(hdr.Name)
	if err != nil {
		return err
	}
	if len(comps) <= x.opt.strip {
		if hdr.Typeflag == tar.TypeDir || len(comps) == 0 {
			return nil
		}
		// A file among the stripped leading components would vanish
		// silently; say so instead.
		return fmt.Errorf("non-directory lies within the leading components that strip=%d removes", x.opt.strip)
	}
	comps = comps[x.opt.strip:]
	if !x.opt.wanted(strings.Join(comps, "/")) {
		return nil
	}
	if hdr.Typeflag == tar.TypeLink && len(x.opt.include) > 0 {
		if lc, err := splitName(hdr.Linkname); err == nil && len(lc) > x.opt.strip && !x.opt.wanted(strings.Join(lc[x.opt.strip:], "/")) {
			return fmt.Errorf("hard link to %s, which include leaves out: include it too", hdr.Linkname)
		}
	}
	if hdr.Mode&(0o4000|0o2000) != 0 && hdr.Typeflag != tar.TypeDir {
		return fmt.Errorf("setuid/setgid bit refused (mode %#o)", hdr.Mode)
	}
	if err := x.parents(comps[:len(comps)-1]); err != nil {
		return err
	}
	name := strings.Join(comps, "/")
	switch hdr.Typeflag {
	case tar.TypeDir:
		return x.dir(name, fs.FileMode(hdr.Mode)&0o777)
	case tar.TypeSymlink:
		return x.symlink(comps, hdr.Linkname)
	case tar.TypeLink:
		return x.hardlink(name, hdr.Linkname)
	}
	return x.file(name, fs.FileMode(hdr.Mode)&0o777, body)
}

// parents makes the directories leading to an entry, refusing a path that
// passes through a symlink which leaves the destination.
func (x *extractor) parents(comps []string) error {
	for i := 1; i <= len(comps); i++ {
		p := strings.Join(comps[:i], "/")
		if x.dirs[p] {
			continue
		}
		fi, err := x.root.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := x.root.Mkdir(p, 0o755); err != nil {
				return err
			}
		case err != nil:
			return err
		case fi.IsDir():
		case fi.Mode()&fs.ModeSymlink != 0:
			// The kernel would follow it; do the same walk first so an
			// escape is reported as such, with the link's name.
			res, err := resolve(x.root, comps[:i-1], mustReadlink(x.root, p), false, 0)
			if err != nil {
				return fmt.Errorf("parent %s is a symlink: %w", p, err)
			}
			rfi, err := x.root.Stat(strings.Join(res, "/"))
			if err != nil || !rfi.IsDir() {
				return fmt.Errorf("parent %s is a symlink that does not lead to a directory", p)
			}
		default:
			return fmt.Errorf("parent %s exists and is not a directory", p)
		}
		x.dirs[p] = true
	}
	return nil
}

func mustReadlink(root *os.Root, p string) string {
	l, err := root.Readlink(p)
	if err != nil {
		// An unreadable link resolves nowhere; "/" makes resolve refuse it.
		return "/"
	}
	return l
}

// clear removes whatever sits at name so a later member replaces an earlier
// one, as tar does. A non-empty directory is not removed.
func (x *extractor) clear(name string) error {
	fi, err := x.root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := x.root.Remove(name); err != nil {
		if fi.IsDir() {
			return fmt.Errorf("would replace non-empty directory %s", name)
		}
		return err
	}
	for d := range x.dirs {
		if d == name || strings.HasPrefix(d, name+"/") {
			delete(x.dirs, d)
		}
	}
	return nil
}

func (x *extractor) dir(name string, mode fs.FileMode) error {
	// Owner rwx stays set so later members can be written into it.
	mode |= 0o700
	fi, err := x.root.Lstat(name)
	if err == nil && fi.IsDir() {
		x.dirs[name] = true
		return x.root.Chmod(name, mode)
	}
	if err := x.clear(name); err != nil {
		return err
	}
	if err := x.root.Mkdir(name, mode); err != nil {
		return err
	}
	x.dirs[name] = true
	return x.root.Chmod(name, mode)
}

func (x *extractor) file(name string, mode fs.FileMode, body io.Reader) error {
	if err := x.clear(name); err != nil {
		return err
	}
	f, err := x.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (x *extractor) symlink(comps []string, target string) error {
	if target == "" {
		return errors.New("symlink with an empty target")
	}
	if !x.opt.debian {
		dir, err := resolve(x.root, nil, strings.Join(comps[:len(comps)-1], "/"), false, 0)
		if err != nil {
			return err
		}
		if _, err := resolve(x.root, dir, target, false, 0); err != nil {
			return fmt.Errorf("symlink to %q: %w", target, err)
		}
	}
	name := strings.Join(comps, "/")
	if err := x.clear(name); err != nil {
		return err
	}
	return x.root.Symlink(target, name)
}

func (x *extractor) hardlink(name, target string) error {
	tcomps, err := splitName(target)
	if err != nil {
		return fmt.Errorf("hard link to %q: %w", target, err)
	}
	if len(tcomps) <= x.opt.strip {
		return fmt.Errorf("hard link to %q, which strip=%d removes", target, x.opt.strip)
	}
	tcomps = tcomps[x.opt.strip:]
	dir, err := resolve(x.root, nil, strings.Join(tcomps[:len(tcomps)-1], "/"), false, 0)
	if err != nil {
		return fmt.Errorf("hard link to %q: %w", target, err)
	}
	old := strings.Join(append(dir, tcomps[len(tcomps)-1]), "/")
	fi, err := x.root.Lstat(old)
	if err != nil {
		return fmt.Errorf("hard link to %q: target must come earlier in the archive: %w", target, err)
	}
	if fi.IsDir() {
		return fmt.Errorf("hard link to directory %q refused", target)
	}
	if old == name {
		return nil
	}
	if err := x.clear(name); err != nil {
		return err
	}
	return x.root.Link(old, name)
}
