package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/cache"
	"stalix.dev/stalix-build/internal/store"
	"stalix.dev/stalix-build/internal/testdav"
)

// cacheRun is the built tool, the environment its runs share, and where
// the test's caches are.
type cacheRun struct {
	t   *testing.T
	bin string
	env []string
	pub string // the trusted public key
	sec string // the secret key's file
}

func newCacheRun(t *testing.T, sources string) *cacheRun {
	r := &cacheRun{t: t, bin: binary(t)}
	keys := t.TempDir()
	out, err := exec.Command(r.bin, "cache", "keygen", "test-builder-1", "--dir", keys).Output()
	if err != nil {
		t.Fatalf("keygen: %v", err)
	}
	r.pub, r.sec = strings.TrimSpace(string(out)), filepath.Join(keys, "test-builder-1.sec")
	r.env = append(os.Environ(), "STALIX_SOURCES="+sources, "STALIX_TRUSTED_KEYS="+r.pub, "STALIX_CACHES=", "TMPDIR="+t.TempDir())
	return r
}

// in is r for a subtest, so that its failures end the subtest.
func (r *cacheRun) in(t *testing.T) *cacheRun {
	c := *r
	c.t = t
	return &c
}

// run runs the tool in the project root and returns its output.
func (r *cacheRun) run(env []string, args ...string) (string, error) {
	cmd := exec.Command(r.bin, args...)
	cmd.Dir = repoRoot(r.t)
	cmd.Env = append(append([]string{}, r.env...), env...)
	out, err := cmd.CombinedOutput()
	r.t.Logf("stalix-build %s\n%s", strings.Join(args, " "), tailText(string(out), 40))
	return string(out), err
}

func (r *cacheRun) must(env []string, args ...string) string {
	r.t.Helper()
	out, err := r.run(env, args...)
	if err != nil {
		r.t.Fatalf("stalix-build %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// contentHashes maps every entry of a store but the seed to its content
// hash, after checking each is whole: its tree hashes to its manifest's.
func contentHashes(t *testing.T, dir string) map[string]string {
	out := wholeEntries(t, dir)
	for e := range out {
		if strings.Contains(e, "-seed-") {
			delete(out, e)
		}
	}
	return out
}

// leftovers lists what a store keeps besides whole entries: temporary
// outputs, build directories and logs of builds not committed.
func leftovers(t *testing.T, dir string) []string {
	var out []string
	for _, d := range []string{".tmp", ".build", ".logs"} {
		des, _ := os.ReadDir(filepath.Join(dir, d))
		for _, de := range des {
			out = append(out, d+"/"+de.Name())
		}
	}
	return out
}

// storeWithSeed makes an empty store holding only the seed of from, so
// a node the cache fails to give can be built.
func storeWithSeed(t *testing.T, from string) string {
	dir := filepath.Join(t.TempDir(), "store")
	src, err := store.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	entries, _ := src.Entries()
	for _, e := range entries {
		if strings.Contains(e, "-seed-") {
			if err := dst.CopyFrom(src, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

var builtRe = regexp.MustCompile(`\] (\d+) built, 0 failed, 0 stopped, 0 skipped(?:, (\d+) substituted)? in`)

// counts reads how many nodes a build built and substituted from its
// summary line.
func counts(t *testing.T, out string) (built, substituted int) {
	if m := regexp.MustCompile(`nothing left to build: 0 built, (\d+) substituted`).FindStringSubmatch(out); m != nil {
		fmt.Sscan(m[1], &substituted)
		return 0, substituted
	}
	m := builtRe.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary line in:\n%s", out)
	}
	fmt.Sscan(m[1], &built)
	if m[2] != "" {
		fmt.Sscan(m[2], &substituted)
	}
	return built, substituted
}

// blobOf is where a cache directory keeps the archive of base.
func blobOf(t *testing.T, cacheDir, base string) string {
	data, err := os.ReadFile(filepath.Join(cacheDir, "ac", cache.ACKey(base)))
	if err != nil {
		t.Fatal(err)
	}
	var rec cache.Record
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(cacheDir, "cas", rec.Blob.SHA256)
}

// TestCacheSubstitutes builds a small closure over the busybox stand-in
// seed into store A, pushes it to nginx (WebDAV on loopback) and to a
// directory, and builds into empty stores with each cache: with nothing
// wrong, 0 nodes are built, without seed or sources, and every content
// hash matches A's; with a tampered blob, a wrong key, a truncated blob or
// a stalling server, the cache's answer is refused or timed out with one
// warning, the node is rebuilt to the same hash, and nothing partial is
// left in the store.
func TestCacheSubstitutes(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	root, storeA := project(t, 4)
	r := newCacheRun(t, filepath.Join(storeA, "..", "sources"))
	r.must(nil, "build", "p", "--root", root, "--store", storeA)
	want := contentHashes(t, storeA)
	if len(want) != 4 {
		t.Fatalf("store A holds %d packages, want 4", len(want))
	}
	var last string
	for base := range want {
		if strings.Contains(base, "-n3-") {
			last = base
		}
	}
	srv := testdav.Start(t)
	dir := filepath.Join(t.TempDir(), "made-by-push")
	caches := map[string]struct{ url, dir string }{"nginx": {srv.URL, srv.Root}, "file": {"file://" + dir, dir}}
	for name, c := range caches {
		out := r.must(nil, "cache", "push", "--cache", c.url, "--key", r.sec, "p", "--root", root, "--store", storeA)
		if !strings.Contains(out, "4 pushed") {
			t.Fatalf("%s: push: %s", name, out)
		}
		if out := r.must(nil, "cache", "push", "--cache", c.url, "--key", r.sec, "p", "--root", root, "--store", storeA); !strings.Contains(out, "0 pushed (0 B), 4 already in") {
			t.Fatalf("%s: a second push sent something: %s", name, out)
		}
	}
	build := func(t *testing.T, storeB, url string, env ...string) (string, int, int) {
		out, err := r.run(env, "build", "p", "--root", root, "--store", storeB, "--cache", url, "--cache-timeout", "1s", "--offline")
		if err != nil {
			t.Fatalf("build with cache %s: %v", url, err)
		}
		built, subst := counts(t, out)
		got := contentHashes(t, storeB)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("store B's entries\n%v\nwant\n%v", got, want)
		}
		if l := leftovers(t, storeB); len(l) > 0 {
			t.Errorf("store B keeps %v", l)
		}
		return out, built, subst
	}
	warnings := func(out string) int { return strings.Count(out, "warning: ") }
	for name, c := range caches {
		t.Run(name, func(t *testing.T) {
			// Neither seed nor sources: any node built would fail the run.
			storeB := filepath.Join(t.TempDir(), "store")
			out, built, subst := build(t, storeB, c.url, "STALIX_SOURCES="+t.TempDir())
			if built != 0 || subst != 4 || warnings(out) != 0 {
				t.Errorf("built %d, substituted %d, %d warnings; want 0, 4, 0", built, subst, warnings(out))
			}

			blob := blobOf(t, c.dir, last)
			good, _ := os.ReadFile(blob)
			for _, tc := range []struct {
				name         string
				spoil        func()
				env          []string
				built, subst int
				warning      string
			}{
				{name: "tampered blob", spoil: func() {
					bad := append([]byte{}, good...)
					bad[len(bad)/2] ^= 0x40
					os.WriteFile(blob, bad, 0o644)
				}, built: 1, subst: 3, warning: "truncated or tampered"},
				{name: "truncated blob", spoil: func() { os.WriteFile(blob, good[:len(good)-7], 0o644) },
					built: 1, subst: 3, warning: "truncated or tampered"},
				{name: "wrong key", env: []string{"STALIX_TRUSTED_KEYS=" + otherKey(t, r.bin)},
					built: 4, subst: 0, warning: "does not match"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					if tc.spoil != nil {
						tc.spoil()
						defer os.WriteFile(blob, good, 0o644)
					}
					out, built, subst := build(t, storeWithSeed(t, storeA), c.url, tc.env...)
					if built != tc.built || subst != tc.subst {
						t.Errorf("built %d, substituted %d; want %d, %d", built, subst, tc.built, tc.subst)
					}
					if n := warnings(out); n != tc.built || !strings.Contains(out, tc.warning) {
						t.Errorf("%d warnings, want %d saying %q", n, tc.built, tc.warning)
					}
				})
			}
		})
	}
	t.Run("stalling server", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				defer c.Close() // held open, never answered
			}
		}()
		out, built, subst := build(t, storeWithSeed(t, storeA), "http://"+l.Addr().String())
		if built != 4 || subst != 0 || warnings(out) != 1 || !strings.Contains(out, "unreachable") {
			t.Errorf("built %d, substituted %d, %d warnings; want 4, 0, and one saying unreachable", built, subst, warnings(out))
		}
	})
}

// otherKey is a public key of the same name as the signer's, but another
// key: its signatures must not verify.
func otherKey(t *testing.T, bin string) string {
	out, err := exec.Command(bin, "cache", "keygen", "test-builder-1", "--dir", t.TempDir()).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// TestCacheMinimal is the two-store run: minimal's closure is
// built (or found) in the shared store A, pushed to nginx and to a
// directory, and imaged from each cache into an empty store B without
// seed or sources: 0 nodes are built, every entry of B has A's content
// hash, and the images' SHA256SUMS are A's.
func TestCacheMinimal(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: store A needs minimal built")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		t.Skip("needs apt-get for the seed (make setup)")
	}
	sources := os.Getenv("STALIX_SOURCES")
	if sources == "" {
		sources = filepath.Join(filepath.Dir(store.DefaultDir()), "sources")
	}
	r := newCacheRun(t, sources)
	minimal := []string{"profiles/minimal.toml", "--target", "x86_64"}
	r.must(nil, "seed")
	outA := t.TempDir()
	r.must(nil, append([]string{"image", "--out", outA}, minimal...)...)
	sumsA, _ := os.ReadFile(filepath.Join(outA, "SHA256SUMS"))
	srv := testdav.Start(t)
	dir := t.TempDir()
	for name, url := range map[string]string{"nginx": srv.URL, "file": "file://" + dir} {
		t.Run(name, func(t *testing.T) {
			r := r.in(t)
			r.must(nil, append([]string{"cache", "push", "--cache", url, "--key", r.sec}, minimal...)...)
			storeB, outB := filepath.Join(t.TempDir(), "store"), t.TempDir()
			out := r.must([]string{"STALIX_SOURCES=" + t.TempDir()},
				append([]string{"image", "--store", storeB, "--out", outB, "--cache", url, "--offline"}, minimal...)...)
			// Two build steps, the profile's closure and the image tools, and neither built anything.
			if n := strings.Count(out, "nothing left to build: 0 built,"); n != 2 || builtRe.MatchString(out) {
				t.Errorf("want both build steps to build nothing:\n%s", out)
			}
			sumsB, _ := os.ReadFile(filepath.Join(outB, "SHA256SUMS"))
			if len(sumsA) == 0 || string(sumsA) != string(sumsB) {
				t.Errorf("SHA256SUMS differ:\nA:\n%s\nB:\n%s", sumsA, sumsB)
			}
			a, err := store.Open(store.DefaultDir())
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			got := contentHashes(t, storeB)
			if len(got) < 4 {
				t.Errorf("store B holds only %v", got)
			}
			for base, h := range got {
				m, err := a.ReadManifest(base)
				if err != nil || m.ContentHash != h {
					t.Errorf("%s: content hash %s in B, %v in A (%v)", base, h, m, err)
				}
			}
		})
	}
}
