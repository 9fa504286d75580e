package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	shas := map[string]bool{}
	for _, w := range wants {
		shas[w.SHA256] = true
	}
	sorted := make([]string, 0, len(shas))
	for s := range shas {
		sorted = append(sorted, s)
	}
	sort.Strings(sorted)
	var errs []error
	for _, sha := range sorted {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		dst := filepath.Join(dir, sha)
		got, err := store.FileSHA256(dst)
		switch {
		case err == nil && got == sha:
			res.Present++
			continue
		case err == nil:
			errs = append(errs, fmt.Errorf("mirror: %s holds bytes whose sha256 is %s, not its name; the mirror is append-only, so it is left alone: check and remove it by hand", dst, got))
			continue
		case !errors.Is(err, os.ErrNotExist):
			errs = append(errs, fmt.Errorf("mirror: %w", err))
			continue
		}
		n, err := publishOne(f.Path(sha), dir, sha)
		if err != nil {
			errs = append(errs, fmt.Errorf("mirror: %s: %w", sha, err))
			continue
		}
		res.Copied++
		res.Bytes += n
	}
	return res, errors.Join(errs...)
}

// publishOne copies src to dir/sha through a temporary file that is
// hashed as it is written, synced, then linked into place: link fails
// rather than replace a file another run put there meanwhile.
func publishOne(src, dir, sha string) (int64, error) {
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
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), in)
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
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		return 0, fmt.Errorf("the source cache's copy hashes to %s; remove it from the cache and fetch again", got)
	}
	if err := os.Link(tmp.Name(), filepath.Join(dir, sha)); err != nil {
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
