package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// SnapshotEnv names the variable holding the snapshot archive's base URL,
// and NoDebianEnv the one that turns every Debian route off.
const (
	SnapshotEnv = "STALIX_SNAPSHOT"
	NoDebianEnv = "STALIX_NO_DEBIAN"
)

// FromEnv is a Fetcher for cache as the environment configures it:
// $STALIX_MIRRORS, $STALIX_SNAPSHOT and $STALIX_NO_DEBIAN.
func FromEnv(cache string) *Fetcher {
	v := strings.ToLower(os.Getenv(NoDebianEnv))
	return &Fetcher{
		Cache:    cache,
		Mirrors:  MirrorsFromEnv(),
		Snapshot: os.Getenv(SnapshotEnv),
		NoDebian: v != "" && v != "0" && v != "false" && v != "no",
	}
}

// aptDownload fetches the .debs among wants with one apt-get download of
// their exact versions, and returns what is still missing. A version the
// archive no longer serves fails apt's whole call, so those apt names are
// taken out and the rest asked for again.
func (f *Fetcher) aptDownload(ctx context.Context, wants []Want, r *run) []Want {
	var debs, left []Want
	for _, w := range wants {
		if w.Deb != "" {
			debs = append(debs, w)
		} else {
			left = append(left, w)
		}
	}
	if len(debs) == 0 {
		return left
	}
	from := func(w Want) string { return "apt-get download " + w.Deb }
	if _, err := exec.LookPath("apt-get"); err != nil {
		for _, w := range debs {
			r.done(w, []error{fmt.Errorf("  %s: needs apt-get (a Debian host)", from(w))})
		}
		return append(left, debs...)
	}
	dir, err := os.MkdirTemp(f.Cache, ".apt-*")
	if err != nil {
		for _, w := range debs {
			r.done(w, []error{err})
		}
		return append(left, debs...)
	}
	defer os.RemoveAll(dir)
	failed := map[string]bool{} // by sha256: apt said why already
	fail := func(w Want, err error) {
		failed[w.SHA256] = true
		r.done(w, []error{err})
	}
	ask := debs
	for len(ask) > 0 {
		args := []string{"download", "-q"}
		for _, w := range ask {
			args = append(args, w.Deb)
		}
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		out, err := cmd.CombinedOutput()
		if err == nil || ctx.Err() != nil {
			break
		}
		gone := unserved(string(out))
		var again []Want
		for _, w := range ask {
			name, version, _ := strings.Cut(w.Deb, "=")
			if why, ok := gone[name+"="+version]; ok {
				fail(w, fmt.Errorf("  %s: %s", from(w), why))
			} else if why, ok := gone[name]; ok {
				fail(w, fmt.Errorf("  %s: %s", from(w), why))
			} else {
				again = append(again, w)
			}
		}
		if len(again) == len(ask) {
			// Not a version apt lacks: say what apt said, once per file.
			for _, w := range ask {
				fail(w, fmt.Errorf("  %s: %v\n%s", from(w), err, indent(lastLines(string(out), 3))))
			}
			break
		}
		ask = again
	}
	for _, w := range debs {
		p := filepath.Join(dir, w.File)
		file, err := os.Open(p)
		if err != nil {
			if !failed[w.SHA256] {
				r.done(w, []error{fmt.Errorf("  %s: apt gave no %s", from(w), w.File)})
			}
			left = append(left, w)
			continue
		}
		err = f.store(w, from(w), file)
		file.Close()
		if err != nil {
			r.done(w, []error{err})
			left = append(left, w)
			continue
		}
		r.done(w, nil)
	}
	return left
}

var (
	versionGoneRE = regexp.MustCompile(`E: Version '([^']+)' for '([^']+)' was not found`)
	nameGoneRE    = regexp.MustCompile(`E: Unable to locate package (\S+)`)
)

// unserved reads apt-get's errors into "name=version" (or "name") -> why.
func unserved(out string) map[string]string {
	m := map[string]string{}
	for _, g := range versionGoneRE.FindAllStringSubmatch(out, -1) {
		m[g[2]+"="+g[1]] = "the archive no longer serves this version"
	}
	for _, g := range nameGoneRE.FindAllStringSubmatch(out, -1) {
		m[g[1]] = "the archive has no such package"
	}
	return m
}

// snapshotFiles is the part of the snapshot archive's machine-readable
// answer for one binary package version that names its files.
type snapshotFiles struct {
	Result []struct {
		Hash         string `json:"hash"`
		Architecture string `json:"architecture"`
	} `json:"result"`
}

// snapshot fetches a .deb from Debian's snapshot archive, which addresses
// every binary package ever published by name and version and serves its
// files by their sha1; the sha256 pin still decides.
func (f *Fetcher) snapshot(ctx context.Context, w Want) []error {
	if w.Deb == "" || f.Snapshot == "" {
		return []error{}
	}
	name, version, _ := strings.Cut(w.Deb, "=")
	base := strings.TrimRight(f.Snapshot, "/")
	list := base + "/mr/binary/" + url.PathEscape(name) + "/" + url.PathEscape(version) + "/binfiles"
	from := "snapshot archive " + list
	rc, err := open(ctx, list)
	if err != nil {
		return []error{fmt.Errorf("  %s: %w", from, err)}
	}
	var files snapshotFiles
	err = json.NewDecoder(rc).Decode(&files)
	rc.Close()
	if err != nil {
		return []error{fmt.Errorf("  %s: bad answer: %w", from, err)}
	}
	var tried []error
	for _, res := range files.Result {
		if res.Architecture != w.Arch || !sha1RE.MatchString(res.Hash) {
			continue
		}
		err := f.download(ctx, w, base+"/file/"+res.Hash)
		if err == nil {
			return nil
		}
		tried = append(tried, err)
	}
	if tried == nil {
		tried = []error{fmt.Errorf("  %s: no file for architecture %s", from, w.Arch)}
	}
	return tried
}

var sha1RE = regexp.MustCompile(`^[0-9a-f]{40}$`)
