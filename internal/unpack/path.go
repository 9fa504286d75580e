package unpack

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

var errEscape = errors.New("leaves the destination")

// splitName turns an archive member name into clean components. A member
// that is absolute or has a ".." anywhere is refused outright, even when it
// would land inside: no honest archive needs one.
func splitName(name string) ([]string, error) {
	if strings.HasPrefix(name, "/") {
		return nil, fmt.Errorf("absolute path: %w", errEscape)
	}
	var comps []string
	for _, c := range strings.Split(name, "/") {
		switch c {
		case "", ".":
			continue
		case "..":
			return nil, fmt.Errorf("path has a \"..\" component: %w", errEscape)
		}
		comps = append(comps, c)
	}
	return comps, nil
}

// maxLinks bounds symlink chains, as the kernel's ELOOP does.
const maxLinks = 40

// resolve walks target starting in directory start the way the kernel would
// if the destination were the root, following symlinks that already exist
// in the destination. It returns the components of the resolved path, or
// errEscape when a ".." climbs above the destination or an absolute link is
// met and chroot is false. Components that do not exist yet are taken
// lexically.
func resolve(root *os.Root, start []string, target string, chroot bool, depth int) ([]string, error) {
	if depth > maxLinks {
		return nil, errors.New("too many levels of symbolic links")
	}
	cur := append([]string(nil), start...)
	if strings.HasPrefix(target, "/") {
		if !chroot {
			return nil, fmt.Errorf("absolute symlink target %q: %w", target, errEscape)
		}
		cur = cur[:0]
	}
	for _, c := range strings.Split(target, "/") {
		switch c {
		case "", ".":
			continue
		case "..":
			if len(cur) == 0 {
				return nil, fmt.Errorf("%q climbs above it: %w", target, errEscape)
			}
			cur = cur[:len(cur)-1]
			continue
		}
		cur = append(cur, c)
		fi, err := root.Lstat(strings.Join(cur, "/"))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		link, err := root.Readlink(strings.Join(cur, "/"))
		if err != nil {
			return nil, err
		}
		next, err := resolve(root, cur[:len(cur)-1], link, chroot, depth+1)
		if err != nil {
			return nil, fmt.Errorf("through symlink %s -> %s: %w", strings.Join(cur, "/"), link, err)
		}
		cur = next
	}
	return cur, nil
}
