package bootstrap

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/fetch"
)

// debs caches realDeb's answer: resolving takes apt seconds.
var debs struct {
	body       []byte
	dash, more Entry
}

// realDeb downloads the archive's current dash .deb with apt and returns
// its bytes and entry, and the smallest other package of its closure.
func realDeb(t *testing.T) ([]byte, Entry, Entry) {
	t.Helper()
	if debs.body != nil {
		return debs.body, debs.dash, debs.more
	}
	_, es := closureLock(t, "dash")
	var dash, more Entry
	for _, e := range es {
		switch {
		case e.Name == "dash":
			dash = e
		case more.Size == 0 || e.Size < more.Size:
			more = e
		}
	}
	dir := t.TempDir()
	cmd := exec.Command("apt-get", "download", "-q", dash.Name+"="+dash.Version)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt-get download %s=%s: %v\n%s", dash.Name, dash.Version, err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, DebFile(dash)))
	if err != nil {
		t.Fatal(err)
	}
	debs.body, debs.dash, debs.more = data, dash, more
	return data, dash, more
}

// snapshotServer answers the snapshot archive's two requests for one
// package version on loopback: its file list and the file by sha1.
func snapshotServer(t *testing.T, e Entry, body []byte) (*httptest.Server, *int) {
	t.Helper()
	h := sha1.Sum(body)
	sha := hex.EncodeToString(h[:])
	hits := new(int)
	mux := http.NewServeMux()
	mux.HandleFunc("/mr/binary/"+e.Name+"/"+e.Version+"/binfiles", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"_comment":"test","binary":%q,"binary_version":%q,"result":[{"architecture":"i386","hash":"%040d"},{"architecture":%q,"hash":%q}]}`, e.Name, e.Version, 0, e.Arch, sha)
	})
	mux.HandleFunc("/file/"+sha, func(w http.ResponseWriter, r *http.Request) {
		*hits++
		w.Write(body)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, hits
}

// gone is e under a version the archive never served, so apt's exact
// version route fails as it does for a superseded security update.
func gone(e Entry) Entry {
	e.Version += "~stalixgone1"
	return e
}

func writeLock(t *testing.T, es ...Entry) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "seed.lock")
	if err := os.WriteFile(p, FormatLock("test", es), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The seed's routes, in order: the cache, the mirrors, apt's exact
// version, then the snapshot archive; each copy checked by sha256.
func TestSeedRoutes(t *testing.T) {
	body, real, _ := realDeb(t)
	old := gone(real)
	srv, hits := snapshotServer(t, old, body)
	mirror := t.TempDir()
	if err := os.WriteFile(filepath.Join(mirror, old.SHA256), body, 0o444); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		f        fetch.Fetcher
		entry    Entry
		snapHits int
	}{
		{"the archive lacks the version; the snapshot archive has it", fetch.Fetcher{Snapshot: srv.URL}, old, 1},
		{"a mirror has it, with Debian off", fetch.Fetcher{Mirrors: []string{mirror}, NoDebian: true}, old, 0},
		{"a mirror over http has it", fetch.Fetcher{Mirrors: []string{"http://" + srv.Listener.Addr().String() + "/nothing-here", mirror}, Snapshot: srv.URL}, old, 0},
		{"apt has the exact version", fetch.Fetcher{Snapshot: srv.URL}, real, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			*hits = 0
			f := tc.f
			f.Cache = t.TempDir()
			dest := filepath.Join(t.TempDir(), "seed")
			if err := Materialize(context.Background(), writeLock(t, tc.entry), &f, dest); err != nil {
				t.Fatal(err)
			}
			if *hits != tc.snapHits {
				t.Errorf("snapshot archive served the file %d times, want %d", *hits, tc.snapHits)
			}
			if _, err := os.Stat(filepath.Join(dest, "usr/bin/dash")); err != nil {
				t.Errorf("not unpacked: %v", err)
			}
			if got, err := os.ReadFile(f.Path(tc.entry.SHA256)); err != nil || sha256.Sum256(got) != sha256.Sum256(body) {
				t.Errorf("the source cache does not hold the .deb by its sha256: %v", err)
			}
		})
	}
}

// A pin nothing serves: one error naming the package, the version, every
// place tried and both ways out, and nothing unpacked.
func TestSeedNothingServes(t *testing.T) {
	_, real, more := realDeb(t)
	old := gone(real)
	emptySnap := httptest.NewServer(http.NotFoundHandler())
	defer emptySnap.Close()
	mirror := t.TempDir()
	f := &fetch.Fetcher{Cache: t.TempDir(), Mirrors: []string{mirror}, Snapshot: emptySnap.URL}
	dest := filepath.Join(t.TempDir(), "seed")
	err := Materialize(context.Background(), writeLock(t, more, old), f, dest)
	if err == nil {
		t.Fatal("materialized a pin nothing serves")
	}
	for _, want := range []string{
		"dash version " + old.Version, old.SHA256,
		filepath.Join(mirror, old.SHA256),
		"apt-get download dash=" + old.Version, "no longer serves",
		emptySnap.URL + "/mr/binary/dash/",
		"stalix-build seed update", fetch.MirrorsEnv,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("something was unpacked although a .deb is missing: %v", err)
	}
	// apt's call failed for the gone version; the other was still fetched.
	if _, err := os.Stat(f.Path(more.SHA256)); err != nil {
		t.Errorf("%s, which apt serves, was not fetched beside the missing one: %v", more.Name, err)
	}
	if n := strings.Count(err.Error(), "could not fetch"); n != 1 {
		t.Errorf("%d failures reported, want 1:\n%v", n, err)
	}
}

// A snapshot file whose bytes are not the pinned ones is refused and
// deleted, and nothing is unpacked.
func TestSeedWrongFileRefused(t *testing.T) {
	body, real, _ := realDeb(t)
	old := gone(real)
	wrong := append([]byte(nil), body...)
	wrong[len(wrong)/2] ^= 1
	srv, _ := snapshotServer(t, old, wrong)
	f := &fetch.Fetcher{Cache: t.TempDir(), Snapshot: srv.URL}
	dest := filepath.Join(t.TempDir(), "seed")
	err := Materialize(context.Background(), writeLock(t, old), f, dest)
	var he *fetch.HashError
	if !errors.As(err, &he) || he.Want != old.SHA256 {
		t.Fatalf("got %v, want a sha256 mismatch for %s", err, old.SHA256)
	}
	if ents, _ := os.ReadDir(f.Cache); len(ents) != 0 {
		t.Errorf("the cache keeps %d files after a wrong download", len(ents))
	}
	if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("something was unpacked: %v", err)
	}
}
