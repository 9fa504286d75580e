package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// dirBackend is a cache in a directory: DIR/ac/<key> and DIR/cas/<key>,
// the layout bazel-remote and the nginx test server keep on disk too.
type dirBackend struct {
	url, dir string
}

func (d *dirBackend) String() string { return d.url }

func (d *dirBackend) path(kind, key string) (string, error) {
	if err := checkKey(kind, key); err != nil {
		return "", err
	}
	return filepath.Join(d.dir, kind, key), nil
}

// reachable is the directory itself: a missing cache directory (an
// unmounted share, say) is not a miss per entry but a cache to give up on.
func (d *dirBackend) reachable() error {
	st, err := os.Stat(d.dir)
	if err == nil && !st.IsDir() {
		err = fmt.Errorf("%s is not a directory", d.dir)
	}
	if err != nil {
		return &UnreachableError{Cache: d.url, Err: err}
	}
	return nil
}

func (d *dirBackend) Get(_ context.Context, kind, key string) (io.ReadCloser, error) {
	p, err := d.path(kind, key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		if err := d.reachable(); err != nil {
			return nil, err
		}
		return nil, ErrNotFound
	}
	return f, err
}

func (d *dirBackend) Has(_ context.Context, kind, key string) (bool, error) {
	p, err := d.path(kind, key)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, d.reachable()
	}
	return err == nil, err
}

// Put writes beside the final name and renames, so a reader never sees
// part of a value.
func (d *dirBackend) Put(_ context.Context, kind, key string, f *os.File, size int64) error {
	p, err := d.path(kind, key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return err
	}
	n, err := io.Copy(tmp, f)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != size {
		err = fmt.Errorf("wrote %d bytes, want %d", n, size)
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cache %s: put %s/%s: %w", d.url, kind, key, err)
	}
	return nil
}
