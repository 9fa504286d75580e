package cache

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// httpBackend speaks Bazel's HTTP cache protocol: GET, HEAD and PUT on
// <url>/ac/<key> and <url>/cas/<key>. bazel-remote, nginx with WebDAV PUT,
// and S3 behind a proxy serve it.
type httpBackend struct {
	url     string
	client  *http.Client
	timeout time.Duration
}

func newHTTP(url string, timeout time.Duration) *httpBackend {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: timeout}).DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       time.Minute,
	}
	return &httpBackend{url: strings.TrimRight(url, "/"), client: &http.Client{Transport: tr}, timeout: timeout}
}

func (h *httpBackend) String() string { return h.url }

// do sends one request; a transport error (refused, reset, timed out) is
// an UnreachableError, an unexpected status a plain error.
func (h *httpBackend) do(ctx context.Context, method, kind, key string, body io.Reader, size int64) (*http.Response, context.CancelFunc, error) {
	if err := checkKey(kind, key); err != nil {
		return nil, nil, err
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(ctx, method, h.url+"/"+kind+"/"+key, body)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	if body != nil {
		req.ContentLength = size
	}
	resp, err := h.client.Do(req)
	if err != nil {
		cancel()
		if parent.Err() != nil {
			return nil, nil, err // the run is stopping, the cache is not at fault
		}
		return nil, nil, &UnreachableError{Cache: h.url, Err: err}
	}
	return resp, cancel, nil
}

func statusError(resp *http.Response, method, kind, key string) error {
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	return fmt.Errorf("cache %s %s/%s: %s %s", method, kind, key, resp.Status, strings.TrimSpace(string(msg)))
}

func (h *httpBackend) Get(ctx context.Context, kind, key string) (io.ReadCloser, error) {
	resp, cancel, err := h.do(ctx, http.MethodGet, kind, key, nil, 0)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return newIdleBody(resp.Body, cancel, h.timeout, h.url), nil
	case http.StatusNotFound:
		resp.Body.Close()
		cancel()
		return nil, ErrNotFound
	}
	defer cancel()
	defer resp.Body.Close()
	return nil, statusError(resp, "GET", kind, key)
}

func (h *httpBackend) Has(ctx context.Context, kind, key string) (bool, error) {
	resp, cancel, err := h.do(ctx, http.MethodHead, kind, key, nil, 0)
	if err != nil {
		return false, err
	}
	defer cancel()
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, statusError(resp, "HEAD", kind, key)
}

// Put gives up, as unreachable, on a server that stops reading the body
// for the timeout: a blocked write would otherwise hang the push.
func (h *httpBackend) Put(ctx context.Context, kind, key string, f *os.File, size int64) error {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	w := newWatchdog(h.timeout, stop)
	defer w.timer.Stop()
	resp, cancel, err := h.do(ctx, http.MethodPut, kind, key, io.NopCloser(&kicked{f, w}), size)
	if w.fired() {
		return &UnreachableError{Cache: h.url, Err: fmt.Errorf("PUT %s/%s: the server read nothing for %s", kind, key, h.timeout)}
	}
	if err != nil {
		return err
	}
	defer cancel()
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return statusError(resp, "PUT", kind, key)
	}
	return nil
}

// watchdog cancels a request when nothing moves for its timeout.
type watchdog struct {
	timeout time.Duration
	timer   *time.Timer
	mu      sync.Mutex
	stalled bool
}

func newWatchdog(timeout time.Duration, cancel context.CancelFunc) *watchdog {
	w := &watchdog{timeout: timeout}
	w.timer = time.AfterFunc(timeout, func() {
		w.mu.Lock()
		w.stalled = true
		w.mu.Unlock()
		cancel()
	})
	return w
}

func (w *watchdog) kick() { w.timer.Reset(w.timeout) }

func (w *watchdog) fired() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stalled
}

// kicked is a request body that keeps its watchdog quiet while the
// server reads it.
type kicked struct {
	r io.Reader
	w *watchdog
}

func (k *kicked) Read(p []byte) (int, error) {
	n, err := k.r.Read(p)
	k.w.kick()
	return n, err
}

// idleBody ends a download that stalls: every read must bring bytes
// within the timeout, or the request is cancelled and the read fails as
// unreachable. A slow but moving download is never cut.
type idleBody struct {
	body   io.ReadCloser
	cancel context.CancelFunc
	w      *watchdog
	url    string
}

func newIdleBody(body io.ReadCloser, cancel context.CancelFunc, timeout time.Duration, url string) *idleBody {
	return &idleBody{body: body, cancel: cancel, w: newWatchdog(timeout, cancel), url: url}
}

func (b *idleBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	if b.w.fired() {
		return n, &UnreachableError{Cache: b.url, Err: fmt.Errorf("no data for %s", b.w.timeout)}
	}
	if n > 0 {
		b.w.kick()
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("cache %s: reading: %w", b.url, err)
	}
	return n, err
}

func (b *idleBody) Close() error {
	b.w.timer.Stop()
	b.cancel()
	return b.body.Close()
}
