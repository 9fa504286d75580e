package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Backend is one cache speaking Bazel's HTTP cache protocol, or a
// directory laid out the same way: kind is "ac" or "cas", key 64 hex
// digits.
type Backend interface {
	// Get opens a value; ErrNotFound when the cache lacks it.
	Get(ctx context.Context, kind, key string) (io.ReadCloser, error)
	Has(ctx context.Context, kind, key string) (bool, error)
	// Put stores size bytes read from f.
	Put(ctx context.Context, kind, key string, f *os.File, size int64) error
	String() string
}

// ErrNotFound is a plain miss.
var ErrNotFound = errors.New("not in the cache")

// UnreachableError is a cache that did not answer in time, or at all: a
// run asks it nothing more.
type UnreachableError struct {
	Cache string
	Err   error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cache %s unreachable: %v", e.Cache, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// DefaultTimeout is how long a cache may take to connect, to answer, or
// between two reads of a body, before it counts as unreachable.
const DefaultTimeout = 10 * time.Second

// Open returns the backend for a URL: http://, https:// or file:///DIR.
func Open(url string, timeout time.Duration) (Backend, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	switch {
	case strings.HasPrefix(url, "file://"):
		dir := strings.TrimPrefix(url, "file://")
		if !strings.HasPrefix(dir, "/") {
			return nil, fmt.Errorf("cache %s: want file:///absolute/dir", url)
		}
		return &dirBackend{url: url, dir: dir}, nil
	case strings.HasPrefix(url, "http://"), strings.HasPrefix(url, "https://"):
		return newHTTP(url, timeout), nil
	}
	return nil, fmt.Errorf("cache %q: want an http://, https:// or file:/// URL", url)
}

// Create is Open for pushing: a file:// cache's directory is made if it
// is not there yet, where a reader would call it unreachable.
func Create(url string, timeout time.Duration) (Backend, error) {
	b, err := Open(url, timeout)
	if err != nil {
		return nil, err
	}
	if d, ok := b.(*dirBackend); ok {
		if err := os.MkdirAll(d.dir, 0o755); err != nil {
			return nil, fmt.Errorf("cache %s: %w", url, err)
		}
	}
	return b, nil
}

func checkKey(kind, key string) error {
	if (kind != "ac" && kind != "cas") || !isHex64(key) {
		return fmt.Errorf("bad cache key %s/%s", kind, key)
	}
	return nil
}
