package fetch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Fetcher fills and reads the source cache, laid out as <Cache>/<sha256>.
type Fetcher struct {
	Cache string
	// Mirrors are URL prefixes (http://, https://, file://) or local
	// directories holding files named by sha256 or by file name; see
	// MirrorsFromEnv.
	Mirrors []string
	// Offline makes Fetch fail at once, listing what the cache lacks.
	Offline bool
	// Jobs is how many files are fetched at once; 4 when unset.
	Jobs int
	// Progress, when set, is called after each file is done or failed.
	// Calls are serialized.
	Progress func(done, total int, name string)
}

// Path is where the file with this sha256 lives in the cache.
func (f *Fetcher) Path(sha string) string { return filepath.Join(f.Cache, sha) }

// Have reports whether the cache holds w. Only verified files ever enter
// the cache, so presence is enough.
func (f *Fetcher) Have(w Want) bool {
	if !shaRE.MatchString(w.SHA256) {
		return false
	}
	fi, err := os.Stat(f.Path(w.SHA256))
	return err == nil && fi.Mode().IsRegular()
}

// Fetch makes every wanted file present in the cache, trying in turn the
// mirrors, the upstream URL and the Debian source package. Wants sharing a
// sha256 are fetched once. The error joins one error per file that could
// not be had; a hash mismatch among them is a *HashError.
func (f *Fetcher) Fetch(ctx context.Context, wants []Want) error {
	var errs []error
	bySHA := map[string]Want{}
	var missing []Want
	for _, w := range wants {
		if err := w.check(); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := bySHA[w.SHA256]; dup || f.Have(w) {
			continue
		}
		bySHA[w.SHA256] = w
		missing = append(missing, w)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	sort.Slice(missing, func(i, j int) bool {
		if missing[i].Recipe != missing[j].Recipe {
			return missing[i].Recipe < missing[j].Recipe
		}
		return missing[i].File < missing[j].File
	})
	if len(missing) == 0 {
		return nil
	}
	if f.Offline {
		var b strings.Builder
		fmt.Fprintf(&b, "offline: %d source(s) missing from the cache %s (run fetch online, or put them in a mirror, or `sources import` them):", len(missing), f.Cache)
		for _, w := range missing {
			fmt.Fprintf(&b, "\n  %s: %s sha256 %s", w.Recipe, w.File, w.SHA256)
		}
		return errors.New(b.String())
	}
	if err := os.MkdirAll(f.Cache, 0o755); err != nil {
		return fmt.Errorf("source cache: %w", err)
	}
	jobs := f.Jobs
	if jobs <= 0 {
		jobs = 4
	}
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
		next = make(chan Want)
	)
	results := make([]error, 0, len(missing))
	for range min(jobs, len(missing)) {
		wg.Go(func() {
			for w := range next {
				err := f.one(ctx, w)
				mu.Lock()
				done++
				if err != nil {
					results = append(results, err)
				}
				if f.Progress != nil {
					f.Progress(done, len(missing), w.File)
				}
				mu.Unlock()
			}
		})
	}
	for _, w := range missing {
		if ctx.Err() != nil {
			break
		}
		next <- w
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	// Workers finish in any order; the report should not.
	sort.Slice(results, func(i, j int) bool { return results[i].Error() < results[j].Error() })
	return errors.Join(results...)
}

// one tries each place w may be found, stopping at the first whose bytes
// hash right.
func (f *Fetcher) one(ctx context.Context, w Want) error {
	var tried []error
	for _, src := range f.sources(w) {
		err := src.get(ctx, w)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		tried = append(tried, err)
	}
	if len(tried) == 0 {
		return fmt.Errorf("%s: %s (sha256 %s): no mirror, url or debian package to fetch it from", w.Recipe, w.File, w.SHA256)
	}
	return fmt.Errorf("%s: could not fetch %s (sha256 %s):\n%w", w.Recipe, w.File, w.SHA256, errors.Join(tried...))
}

// source is one place a file may come from.
type source struct {
	get func(ctx context.Context, w Want) error
}

func (f *Fetcher) sources(w Want) []source {
	var out []source
	for _, m := range f.Mirrors {
		names := []string{w.SHA256}
		if w.File != "" && w.File != w.SHA256 && !strings.ContainsAny(w.File, "/\\") {
			names = append(names, w.File)
		}
		for _, n := range names {
			loc := strings.TrimRight(m, "/") + "/" + n
			if !isURL(m) {
				loc = filepath.Join(m, n)
			}
			out = append(out, source{get: func(ctx context.Context, w Want) error {
				return f.download(ctx, w, loc)
			}})
		}
	}
	if w.URL != "" {
		out = append(out, source{get: func(ctx context.Context, w Want) error {
			return f.download(ctx, w, w.URL)
		}})
	}
	if w.Debian != "" {
		out = append(out, source{get: f.debian})
	}
	return out
}

func isURL(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	return ok && isScheme(scheme)
}
