package bootstrap

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/store"
)

func needApt(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"apt-get", "apt-cache"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (a Debian host)", tool)
		}
	}
}

func needChroot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for chroot")
	}
	if _, err := exec.LookPath("chroot"); err != nil {
		t.Skip("needs chroot (apt-get install coreutils)")
	}
}

// closureLock resolves names with the host's apt and writes their lock.
func closureLock(t *testing.T, names ...string) (string, []Entry) {
	t.Helper()
	needApt(t)
	es, err := (&Apt{}).Resolve(context.Background(), names, nil)
	if err != nil {
		t.Fatalf("apt-cache cannot resolve %v: %v", names, err)
	}
	p := filepath.Join(t.TempDir(), "test.lock")
	if err := os.WriteFile(p, FormatLock("test", es), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, es
}

// A lock whose sha256 is wrong for a real package is refused, naming the
// package and both hashes, and the file is not kept.
func TestMaterializeRefusesMismatch(t *testing.T) {
	_, es := closureLock(t, "dash")
	var dash Entry
	for _, e := range es {
		if e.Name == "dash" {
			dash = e
		}
	}
	real := dash.SHA256
	dash.SHA256 = strings.Repeat("0", 64)
	lock := filepath.Join(t.TempDir(), "bad.lock")
	os.WriteFile(lock, FormatLock("wrong on purpose", []Entry{dash}), 0o644)
	cache, dest := t.TempDir(), filepath.Join(t.TempDir(), "seed")
	err := Materialize(context.Background(), lock, &fetch.Fetcher{Cache: cache}, dest)
	var he *fetch.HashError
	if !errors.As(err, &he) {
		t.Fatalf("got %v, want a sha256 mismatch", err)
	}
	for _, s := range []string{"dash", dash.Version, dash.SHA256, real} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error lacks %q: %v", s, err)
		}
	}
	if ents, _ := os.ReadDir(cache); len(ents) != 0 {
		t.Errorf("cache keeps %v after a mismatch", ents)
	}
	if _, err := os.Stat(dest); err == nil {
		t.Errorf("dest was written despite the mismatch")
	}
}

// A small seed (dash and its closure: libc6 and friends) materializes into
// a tree that runs as a root: this exercises download, verify, unpack,
// usr-merge and the sh link with real Debian packages.
func TestMaterializeSmallSeedRuns(t *testing.T) {
	lock, _ := closureLock(t, "dash")
	needChroot(t)
	cache, dest := t.TempDir(), filepath.Join(t.TempDir(), "seed")
	if err := Materialize(context.Background(), lock, &fetch.Fetcher{Cache: cache}, dest); err != nil {
		t.Fatal(err)
	}
	for top, want := range map[string]string{"bin": "usr/bin", "lib": "usr/lib", "lib64": "usr/lib64", "sbin": "usr/sbin"} {
		if l, err := os.Readlink(filepath.Join(dest, top)); err != nil || l != want {
			t.Errorf("/%s -> %q (%v), want %s", top, l, err, want)
		}
	}
	out, err := exec.Command("chroot", dest, "/bin/sh", "-c", "echo seed-$((6*7))").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "seed-42" {
		t.Fatalf("chroot sh: %v\n%s", err, out)
	}
	// Second run reuses the cache with every Debian route off: nothing to
	// download, same result.
	dest2 := filepath.Join(t.TempDir(), "seed")
	if err := Materialize(context.Background(), lock, &fetch.Fetcher{Cache: cache, NoDebian: true}, dest2); err != nil {
		t.Fatal(err)
	}
}

// The whole seed, materialized again from the .debs `stalix-build seed`
// keeps in the source cache ($STALIX_SOURCES, else beside the store; make
// test runs seed first), or fetched into $STALIX_SEED_CACHE (~150 MB) when
// that is set.
func TestMaterializeFullSeed(t *testing.T) {
	cache := os.Getenv("STALIX_SEED_CACHE")
	if cache == "" {
		cache = os.Getenv("STALIX_SOURCES")
	}
	if cache == "" {
		cache = filepath.Join(filepath.Dir(store.DefaultDir()), "sources")
	}
	needApt(t)
	needChroot(t)
	dest := filepath.Join(t.TempDir(), "seed")
	start := time.Now()
	if err := Materialize(context.Background(), "seed-x86_64.lock", &fetch.Fetcher{Cache: cache}, dest); err != nil {
		t.Fatal(err)
	}
	t.Logf("materialized in %v", time.Since(start))
	// What the sandbox gives every build: /tmp and a minimal /dev.
	for _, d := range []string{"tmp", "dev"} {
		if err := os.MkdirAll(filepath.Join(dest, d), 0o1777); err != nil {
			t.Fatal(err)
		}
	}
	if err := unix.Mknod(filepath.Join(dest, "dev/null"), unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("chroot", append([]string{dest}, args...)...)
		cmd.Env = []string{"PATH=/usr/bin:/usr/sbin", "LC_ALL=C", "HOME=/tmp"}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("chroot %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if v := run("/usr/bin/clang", "--version"); !strings.Contains(v, "clang version 14") {
		t.Errorf("clang --version: %s", v)
	}
	os.WriteFile(filepath.Join(dest, "tmp/hello.c"), []byte("#include <stdio.h>\nint main(void){puts(\"hello from the seed\");return 0;}\n"), 0o644)
	os.WriteFile(filepath.Join(dest, "tmp/hello.cc"), []byte("#include <iostream>\nint main(){std::cout<<\"hello c++\"<<std::endl;}\n"), 0o644)
	run("/usr/bin/cc", "-O2", "-fuse-ld=lld", "-o", "/tmp/hello", "/tmp/hello.c")
	if out := run("/tmp/hello"); out != "hello from the seed\n" {
		t.Errorf("hello: %q", out)
	}
	run("/usr/bin/c++", "-o", "/tmp/hellocc", "/tmp/hello.cc")
	if out := run("/tmp/hellocc"); out != "hello c++\n" {
		t.Errorf("hello c++: %q", out)
	}
	for _, tool := range []string{"make --version", "awk --version", "sed --version", "bison --version", "flex --version", "bc --version", "perl -e print(1)", "cmake --version", "llvm-ar --version", "ld.lld --version", "sh -c true", "bash -c true", "xz --version", "zstd --version", "python3 -c pass"} {
		run(strings.Fields("/usr/bin/" + tool)...)
	}
}
