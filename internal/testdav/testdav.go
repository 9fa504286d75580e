// Package testdav starts Debian's nginx with WebDAV PUT on loopback, the
// HTTP cache server the binary cache's tests talk to. It runs in the
// foreground as one process with a configuration of its own in the test's
// temporary directory; no system service is involved.
package testdav

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Server is a running nginx serving Root at URL.
type Server struct {
	URL  string
	Root string // what /ac/... and /cas/... are under on disk
	cmd  *exec.Cmd
	dir  string
}

const conf = `daemon off;
master_process off;
worker_processes 1;
error_log {{dir}}/error.log;
pid {{dir}}/nginx.pid;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path {{dir}}/body;
	proxy_temp_path {{dir}}/proxy;
	fastcgi_temp_path {{dir}}/fastcgi;
	uwsgi_temp_path {{dir}}/uwsgi;
	scgi_temp_path {{dir}}/scgi;
	server {
		listen {{addr}};
		root {{root}};
		client_max_body_size 0;
		location / {
			dav_methods PUT;
			create_full_put_path on;
			dav_access user:rw group:r all:r;
		}
	}
}
`

// Start runs nginx until the test ends; it skips the test when nginx is
// not installed.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		for _, p := range []string{"/usr/sbin/nginx", "/sbin/nginx"} {
			if _, serr := os.Stat(p); serr == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		t.Skip("needs nginx with the WebDAV module: apt-get install nginx (bootstrap/host-setup.sh does)")
	}
	dir := t.TempDir()
	s := &Server{Root: filepath.Join(dir, "root"), dir: dir}
	if err := os.Mkdir(s.Root, 0o755); err != nil {
		t.Fatal(err)
	}
	// A free port can be taken between the probe and nginx's bind; try again then.
	for attempt := 0; attempt < 5; attempt++ {
		addr, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		c := strings.NewReplacer("{{dir}}", dir, "{{addr}}", addr, "{{root}}", s.Root).Replace(conf)
		if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		s.cmd = exec.Command(bin, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
		s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
		if err := s.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- s.cmd.Wait() }()
		if waitListening(addr, exited) {
			s.URL = "http://" + addr
			t.Cleanup(func() {
				s.cmd.Process.Kill()
				<-exited
			})
			return s
		}
		s.cmd.Process.Kill()
		<-exited
	}
	log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
	t.Fatalf("nginx did not start:\n%s", log)
	return nil
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// waitListening waits until addr accepts connections, or nginx exits.
func waitListening(addr string, exited chan error) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// Path is where a value is on disk, for tests that tamper with it.
func (s *Server) Path(kind, key string) string { return filepath.Join(s.Root, kind, key) }

func (s *Server) String() string { return fmt.Sprintf("nginx at %s serving %s", s.URL, s.Root) }
