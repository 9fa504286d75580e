package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"stalix.dev/stalix-build/internal/store"
)

// Published counts what Publish did.
type Published struct {
	Copied, Present int
	Bytes           int64 // copied
}

// Publish makes every wanted file present in dir under its sha256, for
// use as a mirror ($STALIX_MIRRORS): it fetches what the cache lacks, then
// copies each file dir does not hold yet. dir is append-only: a file
// already there is never changed or deleted, only checked, and one whose
// bytes do not hash to its name is an error. A file appears in dir whole
// or not at all.
func (f *Fetcher) Publish(ctx context.Context, dir string, wants []Want) (Published, error) {
	var res Published
	if err := f.Fetch(ctx, wants); err != nil {
		return res, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, fmt.Errorf("mirror: %w", err)
	}
	byKey := map[string]Want{}
	for _, w := range wants {
		byKey[w.Key()] = w
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []error
	for _, k := range keys {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		w := byKey[k]
		name, src, check := w.SHA256, f.Path(w.SHA256), sha256Check(w.SHA256)
		if w.Tree != "" {
			name, src, check = TreeFile(w.Tree), f.TreePath(w.Tree), f.treeCheck(w.Tree)
		}
		dst := filepath.Join(dir, name)
		_, err := os.Lstat(dst)
		switch {
		case err == nil:
			if err := check(dst); err != nil {
				errs = append(errs, fmt.Errorf("mirror: %s %w; the mirror is append-only, so it is left alone: check and remove it by hand", dst, err))
				continue
			}
			res.Present++
			continue
		case !errors.Is(err, os.ErrNotExist):
			errs = append(errs, fmt.Errorf("mirror: %w", err))
			continue
		}
		n, err := publishOne(src, dir, name, check)
		if err != nil {
			errs = append(errs, fmt.Errorf("mirror: %s: %w", name, err))
			continue
		}
		res.Copied++
		res.Bytes += n
	}
	return res, errors.Join(errs...)
}

// sha256Check accepts a file whose bytes hash to sha.
func sha256Check(sha string) func(string) error {
	return func(p string) error {
		got, err := store.FileSHA256(p)
		if err == nil && got != sha {
			err = fmt.Errorf("holds bytes whose sha256 is %s, not its name", got)
		}
		return err
	}
}

// treeCheck accepts an archive whose files hash to tree.
func (f *Fetcher) treeCheck(tree string) func(string) error {
	return func(p string) error {
		got, err := f.TreeOf(p)
		if err == nil && got != tree {
			err = fmt.Errorf("holds a tree whose hash is %s, not its name", got)
		}
		return err
	}
}

// publishOne copies src to dir/name through a temporary file, checked,
// synced, then linked into place: link fails rather than replace a file
// another run put there meanwhile.
func publishOne(src, dir, name string, check func(string) error) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(dir, ".part-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, in)
	if err == nil {
		err = tmp.Chmod(0o444)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if err := check(tmp.Name()); err != nil {
		return 0, fmt.Errorf("the source cache's copy %w; remove it from the cache and fetch again", err)
	}
	if err := os.Link(tmp.Name(), filepath.Join(dir, name)); err != nil {
		if errors.Is(err, os.ErrExist) {
			return 0, nil // another run published it first
		}
		return 0, err
	}
	return n, syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
