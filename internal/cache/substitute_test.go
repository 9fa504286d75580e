package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/store"
)

const base = "0123456789abcdfghijklmnpqrsvwxyz-sample-1.0"

var runtime = []string{"zyxwvsrqpnmlkjihgfdcba9876543210-dep-2"}

// storeWith makes a store holding the sample tree as base, with a log.
func storeWith(t *testing.T) *store.Store {
	s := openStore(t)
	txn, err := s.Begin(base)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(txn.Out)
	sampleTree(t, txn.Out)
	fmt.Fprintln(txn.Log, "the build log")
	m := store.Manifest{Name: "sample", Version: "1.0", Out: plan.StoreDir + "/" + base, Target: "x86_64",
		Inputs: []string{"in-1"}, Runtime: runtime, BuildSeconds: 12.5}
	if err := txn.Commit(m); err != nil {
		t.Fatal(err)
	}
	return s
}

func openStore(t *testing.T) *store.Store {
	s, err := store.Open(filepath.Join(tempDir(t), "store"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// pushed is a cache holding base, pushed from a store with a key.
type pushed struct {
	cache  Backend
	dir    string // where its values are on disk
	key    SecretKey
	from   *store.Store
	warned *strings.Builder
}

func pushTo(t *testing.T, name string) *pushed {
	b := backends(t)[name]
	sec, _, err := GenerateKey("test-1")
	if err != nil {
		t.Fatal(err)
	}
	p := &pushed{cache: b.Backend, dir: b.dir, key: sec, from: storeWith(t), warned: &strings.Builder{}}
	pu := &Pusher{Cache: b.Backend, Key: sec, Store: p.from, TempDir: t.TempDir()}
	r, err := pu.Push(context.Background(), base)
	if err != nil || r.Present || r.Uploaded == 0 {
		t.Fatalf("push: %+v, %v", r, err)
	}
	if r, err := pu.Push(context.Background(), base); err != nil || !r.Present {
		t.Fatalf("second push: %+v, %v; want it found present", r, err)
	}
	return p
}

func (p *pushed) substituter(trusted ...PublicKey) *Substituter {
	if trusted == nil {
		trusted = []PublicKey{p.key.Public()}
	}
	return &Substituter{Caches: []Backend{p.cache}, Trusted: trusted, Warn: func(m string) { fmt.Fprintln(p.warned, m) }}
}

func (p *pushed) record(t *testing.T) *Record {
	data, err := os.ReadFile(filepath.Join(p.dir, "ac", ACKey(base)))
	if err != nil {
		t.Fatal(err)
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func (p *pushed) writeRecord(t *testing.T, r *Record) {
	data, _ := json.Marshal(r)
	if err := os.WriteFile(filepath.Join(p.dir, "ac", ACKey(base)), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSubstitute: an entry pushed from one store comes out of both kinds
// of cache into another whole: same tree, same content hash, the manifest
// and the log along.
func TestSubstitute(t *testing.T) {
	for _, name := range []string{"nginx", "file"} {
		t.Run(name, func(t *testing.T) {
			p := pushTo(t, name)
			b := openStore(t)
			s := p.substituter()
			ctx := context.Background()
			if !s.Lookup(ctx, base, runtime) {
				t.Fatalf("not found: %s", p.warned)
			}
			n, err := s.Fetch(ctx, b, base, wide.Epoch)
			if err != nil || n == 0 {
				t.Fatalf("fetch: %d bytes, %v", n, err)
			}
			want, _ := p.from.ReadManifest(base)
			got, err := b.ReadManifest(base)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("manifest\n%+v\nwant\n%+v", got, want)
			}
			if h, _, _ := store.TreeHash(b.Path(base)); h != want.ContentHash {
				t.Errorf("tree hash %s, want %s", h, want.ContentHash)
			}
			log, _ := os.ReadFile(b.LogPath(base))
			if string(log) != "the build log\n" {
				t.Errorf("log %q", log)
			}
			if p.warned.Len() > 0 {
				t.Errorf("warnings: %s", p.warned)
			}
		})
	}
}

// TestSubstituteRefuses: each way a cache can be wrong is a miss with one
// warning, and leaves nothing of the entry in the store.
func TestSubstituteRefuses(t *testing.T) {
	other, _, _ := GenerateKey("test-1")
	tests := []struct {
		name    string
		spoil   func(t *testing.T, p *pushed)
		trusted func(p *pushed) []PublicKey
		fetched bool // Lookup succeeds; the fetch fails
		want    string
	}{
		{name: "wrong key", trusted: func(*pushed) []PublicKey { return []PublicKey{other.Public()} }, want: "signature by test-1 does not match"},
		{name: "unsigned", spoil: func(t *testing.T, p *pushed) {
			r := p.record(t)
			r.Signatures = nil
			p.writeRecord(t, r)
		}, want: "no signature by a trusted key"},
		{name: "record altered", spoil: func(t *testing.T, p *pushed) {
			r := p.record(t)
			r.Size++
			p.writeRecord(t, r)
		}, want: "does not match"},
		{name: "other runtime references", spoil: func(t *testing.T, p *pushed) {
			r := p.record(t)
			r.Runtime = nil
			r.Signatures = nil
			r.Sign(p.key)
			p.writeRecord(t, r)
		}, want: "runtime references"},
		{name: "tampered blob", fetched: true, spoil: func(t *testing.T, p *pushed) {
			f := filepath.Join(p.dir, "cas", p.record(t).Blob.SHA256)
			data, _ := os.ReadFile(f)
			data[len(data)/2] ^= 1
			os.WriteFile(f, data, 0o644)
		}, want: "another sha256"},
		{name: "truncated blob", fetched: true, spoil: func(t *testing.T, p *pushed) {
			f := filepath.Join(p.dir, "cas", p.record(t).Blob.SHA256)
			st, _ := os.Stat(f)
			os.Truncate(f, st.Size()/2)
		}, want: "another sha256"},
		{name: "blob gone", fetched: true, spoil: func(t *testing.T, p *pushed) {
			os.Remove(filepath.Join(p.dir, "cas", p.record(t).Blob.SHA256))
		}, want: "not in the cache; building it instead"},
		{name: "archive swapped, blob digest updated", fetched: true, spoil: func(t *testing.T, p *pushed) {
			dir := filepath.Join(tempDir(t), "other")
			sampleTree(t, dir)
			os.WriteFile(filepath.Join(dir, "var/extra"), []byte("not what was signed"), 0o644)
			r := p.record(t)
			r.Blob = putBlob(t, p.dir, dir)
			p.writeRecord(t, r)
		}, want: "signed for"},
		{name: "other content, re-signed by a stranger", spoil: func(t *testing.T, p *pushed) {
			r := p.record(t)
			r.ContentHash = strings.Repeat("ab", 32)
			r.Signatures = nil
			r.Sign(other)
			p.writeRecord(t, r)
		}, want: "does not match"},
	}
	for _, name := range []string{"nginx", "file"} {
		for _, tc := range tests {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				p := pushTo(t, name)
				if tc.spoil != nil {
					tc.spoil(t, p)
				}
				var trusted []PublicKey
				if tc.trusted != nil {
					trusted = tc.trusted(p)
				}
				s := p.substituter(trusted...)
				b := openStore(t)
				ctx := context.Background()
				found := s.Lookup(ctx, base, runtime)
				if found != tc.fetched {
					t.Fatalf("Lookup = %v, want %v (warnings: %s)", found, tc.fetched, p.warned)
				}
				if found {
					if _, err := s.Fetch(ctx, b, base, wide.Epoch); err == nil {
						t.Fatal("fetched it")
					}
				}
				if lines := strings.Count(p.warned.String(), "\n"); lines != 1 || !strings.Contains(p.warned.String(), tc.want) {
					t.Errorf("want one warning saying %q, got %q", tc.want, p.warned)
				}
				t.Log(strings.TrimSpace(p.warned.String()))
				assertEmpty(t, b)
			})
		}
	}
}

// assertEmpty fails unless the store holds nothing but its empty layout.
func assertEmpty(t *testing.T, s *store.Store) {
	t.Helper()
	var left []string
	filepath.WalkDir(s.Dir, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(s.Dir, p)
		switch {
		case err != nil, rel == ".", rel == ".lock":
		case d.IsDir() && strings.Count(rel, "/") == 0 && strings.HasPrefix(rel, "."):
		case strings.HasPrefix(rel, ".locks/"):
		default:
			left = append(left, rel)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("the store kept %v", left)
	}
}

// TestSubstituteGivesUpOnce: a cache that stalls costs one timeout and
// one warning per run, however many entries are looked up.
func TestSubstituteGivesUpOnce(t *testing.T) {
	accepted := make(chan struct{}, 10)
	url := listen(t, func(c net.Conn) {
		accepted <- struct{}{}
		io.Copy(io.Discard, c)
	})
	b, _ := Open(url, 300*time.Millisecond)
	var warned bytes.Buffer
	_, pub, _ := GenerateKey("k")
	s := &Substituter{Caches: []Backend{b}, Trusted: []PublicKey{pub}, Warn: func(m string) { fmt.Fprintln(&warned, m) }}
	start := time.Now()
	for i := 0; i < 5; i++ {
		if s.Lookup(context.Background(), fmt.Sprintf("%032d-x-%d", i, i), nil) {
			t.Fatal("found in a silent cache")
		}
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("5 lookups took %v: the cache was not given up", d)
	}
	if n := strings.Count(warned.String(), "\n"); n != 1 || !strings.Contains(warned.String(), "unreachable") {
		t.Errorf("want one warning that it is unreachable, got %q", warned.String())
	}
	if len(accepted) != 1 {
		t.Errorf("%d connections, want 1", len(accepted))
	}
}

// putBlob writes the compressed archive of dir into a cache directory, as
// an attacker with write access to the cache could.
func putBlob(t *testing.T, cacheDir, dir string) Digest {
	pu := &Pusher{TempDir: t.TempDir()}
	b, _, err := pu.compressed(func(w io.Writer) (Summary, error) { return WriteArchive(w, dir) })
	if err != nil {
		t.Fatal(err)
	}
	defer b.remove()
	data, _ := io.ReadAll(b.f)
	if err := os.WriteFile(filepath.Join(cacheDir, "cas", b.digest.SHA256), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return b.digest
}
