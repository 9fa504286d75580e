package fetch

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/srctree"
	"stalix.dev/stalix-build/internal/unpack"
)

// gitRepo makes a repository with two tags, v1 and v2, and returns its
// directory.
func gitRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git: apt-get install git")
	}
	dir := filepath.Join(t.TempDir(), "hello")
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.invalid"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "hello.c"), []byte("int main(void) { return 0; }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "configure"), []byte("#!/bin/sh\necho ok\n"), 0o755)
	os.Symlink("src/hello.c", filepath.Join(dir, "hello.c"))
	run("init", "-q")
	run("add", ".")
	run("commit", "-q", "-m", "one")
	run("tag", "v1")
	os.WriteFile(filepath.Join(dir, "NEWS"), []byte("v2\n"), 0o644)
	run("add", ".")
	run("commit", "-q", "-m", "two")
	run("tag", "v2")
	return dir
}

// archive runs git archive for ref into a file.
func archive(t *testing.T, repo, ref string, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), ref+".tar.gz")
	cmd := exec.Command("git", append([]string{"-C", repo, "archive", "--format=tar.gz", "-o", out}, append(args, ref)...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git archive: %v\n%s", err, b)
	}
	return out
}

// checkout is a clone of repo at ref under umask-like modes of its own.
func checkout(t *testing.T, repo, ref string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "co")
	for _, args := range [][]string{{"clone", "-q", repo, dir}, {"-C", dir, "-c", "advice.detachedHead=false", "checkout", "-q", ref}} {
		if b, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, b)
		}
	}
	return dir
}

// TestTreeRoutesAgree: a git archive with and without a prefix, one from
// stdin-like temp files, and a checkout all import as one tree; a mirror
// made from the cache serves it to an empty cache, and it unpacks to the
// checkout's files.
func TestTreeRoutesAgree(t *testing.T) {
	repo := gitRepo(t)
	f := &Fetcher{Cache: filepath.Join(t.TempDir(), "cache")}
	co := checkout(t, repo, "v1")
	want, err := f.ImportTree(co, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, file, top string
	}{
		{"git archive", archive(t, repo, "v1"), ""},
		{"forge-style tarball", archive(t, repo, "v1", "--prefix=hello-v1/"), "hello-v1"},
	} {
		got, err := f.ImportTree(c.file, srctree.Auto)
		if err != nil {
			t.Fatal(err)
		}
		if got.Tree != want.Tree || got.Top != c.top {
			t.Errorf("%s: %+v, want tree %s top %q", c.name, got, want.Tree, c.top)
		}
	}
	v2, err := f.ImportTree(archive(t, repo, "v2"), srctree.Auto)
	if err != nil || v2.Tree == want.Tree {
		t.Fatalf("v2: %+v %v", v2, err)
	}

	w := Want{Recipe: "recipes/core/hello/recipe.toml", File: "hello-v1", Git: repo, Ref: "v1", Tree: want.Tree}
	mirror := filepath.Join(t.TempDir(), "mirror")
	if _, err := f.Publish(context.Background(), mirror, []Want{w}); err != nil {
		t.Fatal(err)
	}
	// Empty cache, the mirror only (no git: the repository is named, but
	// the mirror comes first and must be enough).
	g := &Fetcher{Cache: filepath.Join(t.TempDir(), "cache"), Mirrors: []string{"file://" + mirror}}
	if err := g.Fetch(context.Background(), []Want{w}); err != nil {
		t.Fatal(err)
	}
	if names := cacheFiles(t, g.Cache); len(names) != 1 || names[0] != TreeFile(want.Tree) {
		t.Errorf("cache holds %v", names)
	}
	dest := filepath.Join(t.TempDir(), "src")
	if err := unpack.Tar(g.TreePath(want.Tree), dest, 0); err != nil {
		t.Fatal(err)
	}
	if got, _ := srctree.Hash(dest); got != want.Tree {
		t.Errorf("unpacked tree hashes to %s, want %s", got, want.Tree)
	}
	if b, err := os.ReadFile(filepath.Join(dest, "src", "hello.c")); err != nil || !strings.Contains(string(b), "main") {
		t.Errorf("src/hello.c: %q %v", b, err)
	}
	if l, err := os.Readlink(filepath.Join(dest, "hello.c")); err != nil || l != "src/hello.c" {
		t.Errorf("hello.c links to %q, %v", l, err)
	}
}

// TestTreeCloneAndURL: with nothing in the cache or mirrors, the forge
// tarball at url, or else a clone of the repository at ref, gives the tree.
func TestTreeCloneAndURL(t *testing.T) {
	repo := gitRepo(t)
	want, err := (&Fetcher{Cache: t.TempDir()}).ImportTree(checkout(t, repo, "v2"), 0)
	if err != nil {
		t.Fatal(err)
	}
	tarball := archive(t, repo, "v2", "--prefix=hello-v2/")
	for _, c := range []struct {
		name string
		w    Want
	}{
		{"clone of a tag", Want{Git: repo, Ref: "v2"}},
		{"clone of a file:// URL", Want{Git: "file://" + repo, Ref: "v2"}},
		{"forge tarball", Want{URL: "file://" + tarball, Git: "https://example.invalid/hello.git", Ref: "v2"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &Fetcher{Cache: filepath.Join(t.TempDir(), "cache")}
			c.w.Recipe, c.w.File, c.w.Tree = "r.toml", "hello-v2", want.Tree
			if err := f.Fetch(context.Background(), []Want{c.w}); err != nil {
				t.Fatal(err)
			}
			if !f.Have(c.w) {
				t.Error("not in the cache")
			}
		})
	}
	// A commit id that is no tag: git's shallow fetch by id may be refused,
	// and the full fetch then finds it.
	id, err := exec.Command("git", "-C", repo, "rev-parse", "v2").Output()
	if err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{Cache: filepath.Join(t.TempDir(), "cache")}
	w := Want{Recipe: "r.toml", File: "hello", Git: repo, Ref: strings.TrimSpace(string(id)), Tree: want.Tree}
	if err := f.Fetch(context.Background(), []Want{w}); err != nil {
		t.Fatal(err)
	}
}

// TestTreeMismatch: a tree that is not the pinned one is refused, naming
// both hashes, from every route, and nothing of it stays in the cache.
func TestTreeMismatch(t *testing.T) {
	repo := gitRepo(t)
	src := &Fetcher{Cache: t.TempDir()}
	v1, err := src.ImportTree(archive(t, repo, "v1"), srctree.Auto)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := src.ImportTree(archive(t, repo, "v2"), srctree.Auto)
	if err != nil {
		t.Fatal(err)
	}
	// A mirror whose file for v1 holds v2's tree.
	mirror := t.TempDir()
	b, _ := os.ReadFile(src.TreePath(v2.Tree))
	os.WriteFile(filepath.Join(mirror, TreeFile(v1.Tree)), b, 0o644)
	for _, c := range []struct {
		name string
		w    Want
	}{
		{"mirror", Want{Git: "https://example.invalid/hello.git", Ref: "v1"}},
		{"clone of the wrong tag", Want{Git: repo, Ref: "v2"}},
		{"url", Want{URL: "file://" + archive(t, repo, "v2", "--prefix=hello-v2/"), Git: "https://example.invalid/hello.git", Ref: "v1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &Fetcher{Cache: filepath.Join(t.TempDir(), "cache")}
			if c.name == "mirror" {
				f.Mirrors = []string{mirror}
			}
			c.w.Recipe, c.w.File, c.w.Tree = "recipes/core/hello/recipe.toml", "hello-v1", v1.Tree
			err := f.Fetch(context.Background(), []Want{c.w})
			var te *TreeError
			if !errors.As(err, &te) {
				t.Fatalf("want a *TreeError, got %v", err)
			}
			msg := err.Error()
			for _, s := range []string{"recipes/core/hello/recipe.toml", v1.Tree, v2.Tree, "tree mismatch"} {
				if !strings.Contains(msg, s) {
					t.Errorf("error lacks %q:\n%s", s, msg)
				}
			}
			if names := cacheFiles(t, f.Cache); len(names) != 0 {
				t.Errorf("cache holds %v after a refused tree", names)
			}
		})
	}
}

// TestTreeNowhere says where a tree was looked for and how to provide it.
func TestTreeNowhere(t *testing.T) {
	tree := strings.Repeat("ab", 32)
	f := &Fetcher{Cache: t.TempDir(), Mirrors: []string{t.TempDir()}}
	w := Want{Recipe: "recipes/core/seatd/recipe.toml", File: "seatd-0.7.0", Git: "https://example.invalid/seatd.git", Ref: "0.7.0", Tree: tree}
	f.Offline = true
	err := f.Fetch(context.Background(), []Want{w})
	if err == nil || !strings.Contains(err.Error(), "tree "+tree) {
		t.Errorf("offline: %v", err)
	}
}

// TestPublishTreeChecked: a mirror's tree file is checked by its tree hash,
// not its bytes: another archive of the same tree is accepted, another
// tree is not.
func TestPublishTreeChecked(t *testing.T) {
	repo := gitRepo(t)
	f := &Fetcher{Cache: t.TempDir()}
	v1, _ := f.ImportTree(archive(t, repo, "v1"), srctree.Auto)
	v2, _ := f.ImportTree(archive(t, repo, "v2"), srctree.Auto)
	w := Want{Recipe: "r.toml", File: "hello-v1", Tree: v1.Tree, Git: repo, Ref: "v1"}
	dir := t.TempDir()
	// A plain git archive, gzipped, with the tree's name: same tree.
	b, _ := os.ReadFile(archive(t, repo, "v1"))
	os.WriteFile(filepath.Join(dir, TreeFile(v1.Tree)), b, 0o444)
	res, err := f.Publish(context.Background(), dir, []Want{w})
	if err != nil || res.Present != 1 || res.Copied != 0 {
		t.Fatalf("same tree, other bytes: %+v %v", res, err)
	}
	bad, _ := os.ReadFile(f.TreePath(v2.Tree))
	os.Remove(filepath.Join(dir, TreeFile(v1.Tree)))
	os.WriteFile(filepath.Join(dir, TreeFile(v1.Tree)), bad, 0o444)
	_, err = f.Publish(context.Background(), dir, []Want{w})
	if err == nil || !strings.Contains(err.Error(), v2.Tree) || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("other tree: %v", err)
	}
}
