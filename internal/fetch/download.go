package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"time"
)

var client = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	DialContext:           (&net.Dialer{Timeout: 20 * time.Second}).DialContext,
	TLSHandshakeTimeout:   20 * time.Second,
	ResponseHeaderTimeout: 60 * time.Second,
}}

// download copies loc (a URL or a local path) into the cache if its bytes
// hash to w.SHA256.
func (f *Fetcher) download(ctx context.Context, w Want, loc string) error {
	r, err := openRoute(ctx, loc)
	if err != nil {
		return err
	}
	defer r.Close()
	return f.store(w, loc, r)
}

// openRoute opens loc, with errors in the form a route reports them.
func openRoute(ctx context.Context, loc string) (io.ReadCloser, error) {
	r, err := open(ctx, loc)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("  %s: not there", loc)
	}
	if err != nil {
		return nil, fmt.Errorf("  %s: %w", loc, err)
	}
	return r, nil
}

// scratch is a temporary directory in the cache for a route that runs
// tool, or an error naming what the route needs.
func (f *Fetcher) scratch(from, tool, needs string) (string, error) {
	if _, err := exec.LookPath(tool); err != nil {
		return "", fmt.Errorf("  %s: needs %s", from, needs)
	}
	return os.MkdirTemp(f.Cache, "."+tool+"-*")
}

func open(ctx context.Context, loc string) (io.ReadCloser, error) {
	if !isURL(loc) {
		return os.Open(loc)
	}
	u, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "file" {
		return os.Open(u.Path)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("%s: %w", resp.Status, fs.ErrNotExist)
		}
		return nil, errors.New(resp.Status)
	}
	return resp.Body, nil
}

// store writes r to a temporary file in the cache directory, hashing as it
// goes, and renames it to its sha256 only if that is the one wanted; the
// rename keeps a half-written or wrong file from ever being seen.
func (f *Fetcher) store(w Want, from string, r io.Reader) error {
	got, tmp, err := f.writeTemp(r)
	if err != nil {
		return fmt.Errorf("  %s: %w", from, err)
	}
	if got != w.SHA256 {
		os.Remove(tmp)
		return &HashError{Recipe: w.Recipe, File: w.File, From: from, Want: w.SHA256, Got: got}
	}
	if err := os.Rename(tmp, f.Path(got)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("  %s: %w", from, err)
	}
	return nil
}

func (f *Fetcher) writeTemp(r io.Reader) (sha, tmp string, err error) {
	t, err := os.CreateTemp(f.Cache, ".part-*")
	if err != nil {
		return "", "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(t, h), r)
	if err == nil {
		err = t.Chmod(0o444)
	}
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(t.Name())
		return "", "", err
	}
	return hex.EncodeToString(h.Sum(nil)), t.Name(), nil
}
