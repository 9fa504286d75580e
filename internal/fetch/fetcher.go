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
// It holds sources and the seed's .debs alike.
type Fetcher struct {
	Cache string
	// Mirrors are URL prefixes (http://, https://, file://) or local
	// directories holding files named by sha256 or by file name; see
	// MirrorsFromEnv.
	Mirrors []string
	// Snapshot is the base URL of Debian's snapshot archive, which keeps
	// every .deb ever published; empty leaves that route out.
	Snapshot string
	// NoDebian turns off every route through Debian: apt-get source,
	// apt-get download and the snapshot archive. Only the cache, the
	// mirrors and upstream URLs are left.
	NoDebian bool
	// Offline makes Fetch fail at once, listing what the cache lacks.
	Offline bool
	// Jobs is how many files are fetched at once; 4 when unset.
	Jobs int
	// Progress, when set, is called after each file is fetched (ok) or
	// given up on. Calls are serialized.
	Progress func(done, total int, name string, ok bool)
}

// Path is where the file with this sha256 lives in the cache.
func (f *Fetcher) Path(sha string) string { return filepath.Join(f.Cache, sha) }

// Have reports whether the cache holds w. Only verified files ever enter
// the cache, so presence is enough.
func (f *Fetcher) Have(w Want) bool {
	if w.Tree != "" {
		return shaRE.MatchString(w.Tree) && f.haveTree(w.Tree)
	}
	if !shaRE.MatchString(w.SHA256) {
		return false
	}
	fi, err := os.Stat(f.Path(w.SHA256))
	return err == nil && fi.Mode().IsRegular()
}

// Fetch makes every wanted file present in the cache. Each file is looked
// for in turn in the cache, the mirrors, its upstream URL, its Debian
// source package, apt's exact version of its binary package, and the
// snapshot archive; every copy is checked against the pinned sha256. Wants
// sharing a sha256 are fetched once. The error joins one error per file
// that could not be had, naming every place tried; a hash mismatch among
// them is a *HashError.
func (f *Fetcher) Fetch(ctx context.Context, wants []Want) error {
	missing, err := f.missing(wants)
	if err != nil || len(missing) == 0 {
		return err
	}
	if f.Offline {
		var b strings.Builder
		fmt.Fprintf(&b, "offline: %d source(s) missing from the cache %s (run fetch online, or put them in a mirror, or `sources import` them):", len(missing), f.Cache)
		for _, w := range missing {
			fmt.Fprintf(&b, "\n  %s: %s %s", w.Recipe, w.File, pin(w))
		}
		return errors.New(b.String())
	}
	if err := os.MkdirAll(f.Cache, 0o755); err != nil {
		return fmt.Errorf("source cache: %w", err)
	}
	// The routes in order. apt-get download runs once for every .deb left
	// (apt spends most of a call loading its cache), so the per-file routes
	// before and after it run as passes over what is still missing.
	r := &run{tried: map[string][]error{}, total: len(missing), report: f.Progress}
	left := f.pass(ctx, missing, r, f.direct)
	if !f.NoDebian {
		left = f.aptDownload(ctx, left, r)
		left = f.pass(ctx, left, r, f.snapshot)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var errs []error
	for _, w := range left {
		r.tick(w, false)
		errs = append(errs, f.failure(w, r.tried[w.Key()]))
	}
	// Workers finish in any order; the report should not.
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}

// missing checks the wants and returns those the cache lacks, one per
// sha256, sorted by recipe and file.
func (f *Fetcher) missing(wants []Want) ([]Want, error) {
	var errs []error
	byKey := map[string]bool{}
	var missing []Want
	for _, w := range wants {
		if err := w.check(); err != nil {
			errs = append(errs, err)
			continue
		}
		if byKey[w.Key()] || f.Have(w) {
			continue
		}
		byKey[w.Key()] = true
		missing = append(missing, w)
	}
	sort.Slice(missing, func(i, j int) bool {
		if missing[i].Recipe != missing[j].Recipe {
			return missing[i].Recipe < missing[j].Recipe
		}
		return missing[i].File < missing[j].File
	})
	return missing, errors.Join(errs...)
}

// failure is the error for a file no route gave: where it was looked
// for, and the ways out.
func (f *Fetcher) failure(w Want, tried []error) error {
	what := w.File
	if w.Deb != "" {
		what = "package " + strings.Replace(w.Deb, "=", " version ", 1) + " (" + w.File + ")"
	}
	var hint string
	switch {
	case w.Deb != "":
		hint = "\n  ways out: `stalix-build seed update` moves the pins nothing serves, or put the file, named by its sha256, in a mirror listed in " + MirrorsEnv
		if f.Snapshot == "" && !f.NoDebian {
			hint += " (or set " + SnapshotEnv + " to the base URL of Debian's snapshot archive)"
		}
	case w.Tree != "":
		hint = "\n  ways out: `stalix-build sources import` an archive or checkout of " + w.Git + " at " + w.Ref + ", or put " + TreeFile(w.Tree) + " in a mirror listed in " + MirrorsEnv
		if len(tried) == 0 {
			return fmt.Errorf("%s: %s (%s): not in the cache and no mirror, url or git repository to fetch it from%s", w.Recipe, what, pin(w), hint)
		}
	case len(tried) == 0:
		return fmt.Errorf("%s: %s (sha256 %s): no mirror, url or debian package to fetch it from", w.Recipe, what, w.SHA256)
	}
	if len(tried) == 0 {
		tried = []error{errors.New("  no route: the Debian routes are off and no mirror is set")}
	}
	return fmt.Errorf("%s: could not fetch %s (%s); tried:\n%w%s", w.Recipe, what, pin(w), errors.Join(tried...), hint)
}

// pin is how w is pinned, for messages.
func pin(w Want) string {
	if w.Tree != "" {
		return "tree " + w.Tree
	}
	return "sha256 " + w.SHA256
}

// run is one Fetch's bookkeeping: why each file was not had yet, and
// progress.
type run struct {
	mu     sync.Mutex
	tried  map[string][]error
	n      int
	total  int
	report func(done, total int, name string, ok bool)
}

// done records the outcome of one route for w: errs nil means the cache
// has it now.
func (r *run) done(w Want, errs []error) {
	if errs == nil {
		r.tick(w, true)
		return
	}
	r.mu.Lock()
	r.tried[w.Key()] = append(r.tried[w.Key()], errs...)
	r.mu.Unlock()
}

// tick counts w as finished: fetched (ok) or given up on.
func (r *run) tick(w Want, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	if r.report != nil {
		r.report(r.n, r.total, w.File, ok)
	}
}

// pass runs route over wants, Jobs at a time, and returns those it did
// not get, recording why.
func (f *Fetcher) pass(ctx context.Context, wants []Want, r *run, route func(context.Context, Want) []error) []Want {
	jobs := f.Jobs
	if jobs <= 0 {
		jobs = 4
	}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		next = make(chan Want)
		left []Want
	)
	for range min(jobs, len(wants)) {
		wg.Go(func() {
			for w := range next {
				errs := route(ctx, w)
				r.done(w, errs)
				if errs != nil {
					mu.Lock()
					left = append(left, w)
					mu.Unlock()
				}
			}
		})
	}
	for _, w := range wants {
		if ctx.Err() != nil {
			break
		}
		next <- w
	}
	close(next)
	wg.Wait()
	sort.Slice(left, func(i, j int) bool { return left[i].Key() < left[j].Key() })
	return left
}

// direct tries the mirrors, the upstream URL and the Debian source
// package, stopping at the first whose bytes hash right. It returns nil
// on success, else one error per place tried.
func (f *Fetcher) direct(ctx context.Context, w Want) []error {
	var tried []error
	for _, get := range f.directRoutes(w) {
		err := get(ctx, w)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return []error{ctx.Err()}
		}
		tried = append(tried, err)
	}
	if tried == nil {
		tried = []error{}
	}
	return tried
}

func (f *Fetcher) directRoutes(w Want) []func(context.Context, Want) error {
	if w.Tree != "" {
		return f.treeRoutes(w)
	}
	var out []func(context.Context, Want) error
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
			out = append(out, func(ctx context.Context, w Want) error {
				return f.download(ctx, w, loc)
			})
		}
	}
	if w.URL != "" {
		out = append(out, func(ctx context.Context, w Want) error {
			return f.download(ctx, w, w.URL)
		})
	}
	if w.Debian != "" && !f.NoDebian {
		out = append(out, f.debian)
	}
	return out
}

func isURL(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	return ok && isScheme(scheme)
}
