package compose

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"stalix.dev/stalix-build/image/tree"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/store"
)

// RealmLink is where the running system's realm is named; switching
// systems is one atomic rename of this link.
const RealmLink = "/ix/realm/system"

// Root lays a realm out as a root file system, Stalix style: the packages
// and the realm under /ix/store, /ix/realm/system pointing at the realm,
// /bin, /sbin, /lib and /usr as links into it, and /etc as a real
// directory with copies, since users edit /etc in place.
func Root(s *store.Store, r *Realm, epoch int64) (*tree.Tree, error) {
	t := tree.New(epoch)
	bases := []string{r.Base}
	for _, p := range r.Packages {
		bases = append(bases, p.Base())
	}
	for _, b := range bases {
		if err := addDir(t, s.Path(b), plan.StoreDir+"/"+b); err != nil {
			return nil, err
		}
	}
	add := func(e tree.Entry) error {
		if err := t.Add(e); err != nil {
			return fmt.Errorf("root tree: %w", err)
		}
		return nil
	}
	entries := []tree.Entry{
		{Path: RealmLink, Type: tree.Symlink, Target: r.Out()},
		{Path: "/bin", Type: tree.Symlink, Target: "ix/realm/system/bin"},
		{Path: "/sbin", Type: tree.Symlink, Target: "ix/realm/system/sbin"},
		{Path: "/lib", Type: tree.Symlink, Target: "ix/realm/system/lib"},
		{Path: "/usr", Type: tree.Symlink, Target: "ix/realm/system"},
		{Path: "/init", Type: tree.Symlink, Target: "sbin/init"},
		{Path: "/dev", Type: tree.Dir, Mode: 0o755},
		{Path: "/dev/console", Type: tree.CharDev, Mode: 0o600, Major: 5, Minor: 1},
		{Path: "/dev/null", Type: tree.CharDev, Mode: 0o666, Major: 1, Minor: 3},
		{Path: "/proc", Type: tree.Dir, Mode: 0o555},
		{Path: "/sys", Type: tree.Dir, Mode: 0o555},
		{Path: "/run", Type: tree.Dir, Mode: 0o755},
		{Path: "/tmp", Type: tree.Dir, Mode: 0o1777},
		{Path: "/root", Type: tree.Dir, Mode: 0o700},
		{Path: "/home", Type: tree.Dir, Mode: 0o755},
		{Path: "/mnt", Type: tree.Dir, Mode: 0o755},
		{Path: "/var", Type: tree.Dir, Mode: 0o755},
		{Path: "/var/log", Type: tree.Dir, Mode: 0o755},
		{Path: "/etc", Type: tree.Dir, Mode: 0o755},
		{Path: "/etc/service", Type: tree.Dir, Mode: 0o755},
	}
	for _, e := range entries {
		if err := add(e); err != nil {
			return nil, err
		}
	}
	if err := copyEtc(t, s, r); err != nil {
		return nil, err
	}
	return t, t.Check()
}

// addDir puts the host tree dir into t under prefix.
func addDir(t *tree.Tree, dir, prefix string) error {
	sub, err := tree.FromDir(dir, t.Epoch)
	if err != nil {
		return err
	}
	return t.Graft(sub, prefix, 0o555)
}

// copyEtc resolves the realm's etc/ links into real files, keeping links
// that packages ship as links (an enabled service, say).
func copyEtc(t *tree.Tree, s *store.Store, r *Realm) error {
	root := filepath.Join(s.Path(r.Base), "etc")
	if _, err := os.Stat(root); err != nil {
		return nil
	}
	return filepath.WalkDir(root, func(hp string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, hp)
		if rel == "." {
			return nil
		}
		dst := "/etc/" + filepath.ToSlash(rel)
		if d.IsDir() {
			return t.Add(tree.Entry{Path: dst, Type: tree.Dir, Mode: 0o755})
		}
		src := hp
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(hp)
			if err != nil {
				return err
			}
			if !strings.HasPrefix(target, plan.StoreDir+"/") {
				return t.Add(tree.Entry{Path: dst, Type: tree.Symlink, Target: target})
			}
			src = filepath.Join(s.Dir, strings.TrimPrefix(target, plan.StoreDir+"/"))
			if fi, err := os.Lstat(src); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
				link, err := os.Readlink(src)
				if err != nil {
					return err
				}
				return t.Add(tree.Entry{Path: dst, Type: tree.Symlink, Target: link})
			}
		}
		fi, err := os.Stat(src)
		if err != nil {
			return fmt.Errorf("%s: %w", dst, err)
		}
		mode := uint32(fi.Mode().Perm()) | 0o200
		if rel == "shadow" {
			mode = 0o600
		}
		return t.Add(tree.Entry{Path: dst, Type: tree.File, Mode: mode, Size: fi.Size(), Source: src})
	})
}
