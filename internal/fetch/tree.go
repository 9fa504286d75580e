package fetch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"stalix.dev/stalix-build/internal/srctree"
)

// TreeFile is the name a source tree has in the cache and in mirrors: its
// canonical archive (srctree.WriteArchive), named by the tree hash, never
// by the archive's own sha256, which no one pins.
func TreeFile(tree string) string { return tree + ".tree.tar.zst" }

// TreePath is where the tree lives in the cache.
func (f *Fetcher) TreePath(tree string) string { return filepath.Join(f.Cache, TreeFile(tree)) }

// Imported is what ImportTree found.
type Imported struct {
	Tree string
	// Top is the single top directory a tarball's files were under, which
	// is not part of the tree; empty when there was none or strip was set.
	Top string
}

// ImportTree adds the tree in src (a directory, or a tar archive whose
// first strip components are dropped, or with srctree.Auto a single top
// directory) to the cache under its tree hash, which it returns.
func (f *Fetcher) ImportTree(src string, strip int) (Imported, error) {
	if err := os.MkdirAll(f.Cache, 0o755); err != nil {
		return Imported{}, fmt.Errorf("source cache: %w", err)
	}
	fi, err := os.Stat(src)
	if err != nil {
		return Imported{}, fmt.Errorf("import: %w", err)
	}
	if fi.IsDir() {
		// Through a tar of its own, so a directory meets the same unpacker
		// (and its refusals: links out of the tree, devices) as a download.
		tmp, err := os.CreateTemp(f.Cache, ".part-*")
		if err != nil {
			return Imported{}, err
		}
		defer os.Remove(tmp.Name())
		err = srctree.WriteTar(tmp, src)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return Imported{}, fmt.Errorf("import %s: %w", src, err)
		}
		src, strip = tmp.Name(), 0
	}
	return f.addTree(src, strip, nil)
}

// addTree unpacks archive, hashes the tree, and puts its canonical archive
// in the cache, unless check refuses the hash first.
func (f *Fetcher) addTree(archive string, strip int, check func(tree string) error) (Imported, error) {
	dir, err := os.MkdirTemp(f.Cache, ".tree-*")
	if err != nil {
		return Imported{}, err
	}
	defer os.RemoveAll(dir)
	root, top, err := srctree.Extract(archive, filepath.Join(dir, "t"), strip)
	if err != nil {
		return Imported{}, err
	}
	tree, err := srctree.Hash(root)
	if err != nil {
		return Imported{}, err
	}
	if check != nil {
		if err := check(tree); err != nil {
			return Imported{}, err
		}
	}
	if f.haveTree(tree) {
		return Imported{Tree: tree, Top: top}, nil
	}
	tmp, err := os.CreateTemp(f.Cache, ".part-*")
	if err != nil {
		return Imported{}, err
	}
	err = srctree.WriteArchive(tmp, root)
	if err == nil {
		err = tmp.Chmod(0o444)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.TreePath(tree))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return Imported{}, err
	}
	return Imported{Tree: tree, Top: top}, nil
}

func (f *Fetcher) haveTree(tree string) bool {
	fi, err := os.Stat(f.TreePath(tree))
	return err == nil && fi.Mode().IsRegular()
}

// TreeOf is the tree hash of an archive as stored in the cache or a
// mirror (no top directory).
func (f *Fetcher) TreeOf(archive string) (string, error) {
	if err := os.MkdirAll(f.Cache, 0o755); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(f.Cache, ".tree-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	root, _, err := srctree.Extract(archive, filepath.Join(dir, "t"), 0)
	if err != nil {
		return "", err
	}
	return srctree.Hash(root)
}

// treeRoutes are the places a tree may come from, in order: the mirrors
// by tree hash, the archive at the recipe's url (a forge's tarball, its
// top directory left out), and a clone of the repository at ref.
func (f *Fetcher) treeRoutes(w Want) []func(context.Context, Want) error {
	var out []func(context.Context, Want) error
	for _, m := range f.Mirrors {
		loc := strings.TrimRight(m, "/") + "/" + TreeFile(w.Tree)
		if !isURL(m) {
			loc = filepath.Join(m, TreeFile(w.Tree))
		}
		out = append(out, func(ctx context.Context, w Want) error {
			return f.downloadTree(ctx, w, loc, 0)
		})
	}
	if w.URL != "" {
		out = append(out, func(ctx context.Context, w Want) error {
			return f.downloadTree(ctx, w, w.URL, srctree.Auto)
		})
	}
	if w.Git != "" && w.Ref != "" {
		out = append(out, f.clone)
	}
	return out
}

// downloadTree fetches the archive at loc and keeps its tree if it is the
// one wanted.
func (f *Fetcher) downloadTree(ctx context.Context, w Want, loc string, strip int) error {
	r, err := openRoute(ctx, loc)
	if err != nil {
		return err
	}
	defer r.Close()
	_, tmp, err := f.writeTemp(r)
	if err != nil {
		return fmt.Errorf("  %s: %w", loc, err)
	}
	defer os.Remove(tmp)
	return f.storeTree(w, loc, tmp, strip)
}

// storeTree adds the tree in archive to the cache, or refuses it when its
// hash is not the pinned one.
func (f *Fetcher) storeTree(w Want, from, archive string, strip int) error {
	_, err := f.addTree(archive, strip, func(got string) error {
		if got != w.Tree {
			return &TreeError{Recipe: w.Recipe, File: w.File, From: from, Want: w.Tree, Got: got}
		}
		return nil
	})
	var te *TreeError
	if err != nil && !errors.As(err, &te) {
		return fmt.Errorf("  %s: %w", from, err)
	}
	return err
}

// clone fetches ref from the repository with the host's git and archives
// it, as a forge's tarball is made.
func (f *Fetcher) clone(ctx context.Context, w Want) error {
	from := "git " + w.Git + " " + w.Ref
	dir, err := f.scratch(from, "git", "git on the host")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	git := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", append([]string{"--git-dir", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
		return cmd.CombinedOutput()
	}
	if out, err := git("init", "-q", "--bare"); err != nil {
		return fmt.Errorf("  %s: git init: %v\n%s", from, err, indent(lastLines(string(out), 5)))
	}
	// A shallow fetch of the ref alone; servers that refuse one (a commit
	// id not at a ref's tip, say) get a full one.
	rev := "FETCH_HEAD"
	if _, err := git("fetch", "-q", "--depth", "1", w.Git, w.Ref); err != nil {
		out, err := git("fetch", "-q", w.Git, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")
		if err != nil {
			return fmt.Errorf("  %s: git fetch: %v\n%s", from, err, indent(lastLines(string(out), 5)))
		}
		rev = w.Ref
	}
	tar := filepath.Join(dir, "tree.tar")
	if out, err := git("archive", "--format=tar", "-o", tar, rev); err != nil {
		return fmt.Errorf("  %s: git archive: %v\n%s", from, err, indent(lastLines(string(out), 5)))
	}
	return f.storeTree(w, from, tar, 0)
}
