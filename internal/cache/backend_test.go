package cache

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/testdav"
)

// backend is a cache under test and where it keeps its values on disk.
type backend struct {
	Backend
	dir string
}

// backends are the two kinds of cache, each empty: nginx with WebDAV on
// loopback, and a directory.
func backends(t *testing.T) map[string]backend {
	srv := testdav.Start(t)
	h, err := Open(srv.URL, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	dir := tempDir(t)
	d, err := Open("file://"+dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]backend{"nginx": {h, srv.Root}, "file": {d, dir}}
}

func keyOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func tempValue(t *testing.T, s string) (*os.File, int64) {
	f, err := os.CreateTemp(t.TempDir(), "v")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	f.WriteString(s)
	f.Seek(0, io.SeekStart)
	return f, int64(len(s))
}

// TestBackendProtocol: HEAD and GET miss, PUT stores, HEAD and GET find
// the same bytes, a second PUT replaces, and bad keys never reach the
// server.
func TestBackendProtocol(t *testing.T) {
	ctx := context.Background()
	for name, b := range backends(t) {
		t.Run(name, func(t *testing.T) {
			value := strings.Repeat("blob ", 10000)
			key := keyOf(value)
			if has, err := b.Has(ctx, "cas", key); err != nil || has {
				t.Fatalf("Has before PUT = %v, %v", has, err)
			}
			if _, err := b.Get(ctx, "cas", key); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Get before PUT: %v, want ErrNotFound", err)
			}
			for _, v := range []string{value, value} {
				f, n := tempValue(t, v)
				if err := b.Put(ctx, "cas", key, f, n); err != nil {
					t.Fatal(err)
				}
			}
			if has, err := b.Has(ctx, "cas", key); err != nil || !has {
				t.Fatalf("Has after PUT = %v, %v", has, err)
			}
			rc, err := b.Get(ctx, "cas", key)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || string(got) != value {
				t.Fatalf("Get gave %d bytes (%v), want %d", len(got), err, len(value))
			}
			for _, k := range [][2]string{{"ac", "../../etc/passwd"}, {"x", key}, {"cas", strings.ToUpper(key)}} {
				if _, err := b.Get(ctx, k[0], k[1]); err == nil || errors.Is(err, ErrNotFound) {
					t.Errorf("Get %s/%s: %v, want a bad-key error", k[0], k[1], err)
				}
			}
		})
	}
}

func isUnreachable(err error) bool {
	var ue *UnreachableError
	return errors.As(err, &ue)
}

// TestBackendUnreachable: a closed port, a missing directory, a server
// that accepts and never answers, and one that stops in the middle of a
// body are all unreachable, and the stalls end within the timeout.
func TestBackendUnreachable(t *testing.T) {
	ctx := context.Background()
	key := keyOf("x")
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedURL := "http://" + closed.Addr().String()
	closed.Close()
	silent := listen(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	midway := listen(t, func(c net.Conn) {
		bufio.NewReader(c).ReadString('\n')
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this much")
		time.Sleep(time.Minute)
	})
	const timeout = 300 * time.Millisecond
	for name, url := range map[string]string{
		"closed port":       closedURL,
		"missing directory": "file://" + filepath.Join(t.TempDir(), "gone"),
		"silent server":     silent,
		"stops midway":      midway,
	} {
		t.Run(name, func(t *testing.T) {
			b, err := Open(url, timeout)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			rc, err := b.Get(ctx, "cas", key)
			if err == nil {
				_, err = io.ReadAll(rc)
				rc.Close()
			}
			if !isUnreachable(err) {
				t.Fatalf("err = %v, want unreachable", err)
			}
			if d := time.Since(start); d > 10*timeout {
				t.Errorf("gave up after %v, with a timeout of %v", d, timeout)
			}
		})
	}
}

// listen serves each connection with serve until the test ends.
func listen(t *testing.T, serve func(c net.Conn)) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return "http://" + l.Addr().String()
}

// TestPutToAStalledServer: a server that stops reading an upload is given
// up within the timeout, not waited on forever.
func TestPutToAStalledServer(t *testing.T) {
	url := listen(t, func(c net.Conn) {
		bufio.NewReader(c).ReadString('\n')
		time.Sleep(time.Minute)
	})
	const timeout = 300 * time.Millisecond
	b, _ := Open(url, timeout)
	f, n := tempValue(t, strings.Repeat("x", 32<<20)) // more than the socket buffers hold
	start := time.Now()
	err := b.Put(context.Background(), "cas", keyOf("x"), f, n)
	if !isUnreachable(err) {
		t.Fatalf("err = %v, want unreachable", err)
	}
	if d := time.Since(start); d > 10*timeout {
		t.Errorf("gave up after %v, with a timeout of %v", d, timeout)
	}
}
