package fetch

import (
	"fmt"
	"io"
	"os"

	"stalix.dev/stalix-build/internal/unpack"
)

// ImportAny imports path as `sources import` does: a file under its
// sha256 and, when it is a tarball, its tree too (strip as ImportTree
// takes it); a directory as a tree only. sha is "" for a directory, tree
// nil for a file that is not a tarball. Errors name the path.
func (f *Fetcher) ImportAny(path string, strip int) (sha string, tree *Imported, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", nil, fmt.Errorf("import: %w", err)
	}
	if !fi.IsDir() {
		shas, err := f.Import(path)
		if err != nil {
			return "", nil, err
		}
		if sha = shas[0]; !unpack.IsTar(path) {
			return sha, nil, nil
		}
	}
	im, err := f.ImportTree(path, strip)
	if err != nil {
		return sha, nil, err
	}
	return sha, &im, nil
}

// ImportReader is ImportAny of what r holds, copied first to a temporary
// file in the cache.
func (f *Fetcher) ImportReader(r io.Reader, strip int) (string, *Imported, error) {
	if err := os.MkdirAll(f.Cache, 0o755); err != nil {
		return "", nil, err
	}
	t, err := os.CreateTemp(f.Cache, ".stdin-*")
	if err != nil {
		return "", nil, fmt.Errorf("import -: %w", err)
	}
	defer os.Remove(t.Name())
	_, err = io.Copy(t, r)
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", nil, fmt.Errorf("import -: %w", err)
	}
	return f.ImportAny(t.Name(), strip)
}
