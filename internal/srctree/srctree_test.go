package srctree

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// tree writes a small source tree under a fresh directory named top, with
// the given permissions, and returns that directory.
func tree(t *testing.T, top string, fileMode, execMode, dirMode os.FileMode) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), top)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "src", "empty"), 0o755))
	must(os.WriteFile(filepath.Join(root, "src", "main.c"), []byte("int main(void) { return 0; }\n"), fileMode))
	must(os.WriteFile(filepath.Join(root, "configure"), []byte("#!/bin/sh\n"), execMode))
	must(os.Symlink("src/main.c", filepath.Join(root, "main.c")))
	for _, d := range []string{root, filepath.Join(root, "src"), filepath.Join(root, "src", "empty")} {
		must(os.Chmod(d, dirMode))
	}
	return root
}

func hashOf(t *testing.T, dir string) string {
	t.Helper()
	h, err := Hash(dir)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHashIgnoresWhatGitIgnores(t *testing.T) {
	base := hashOf(t, tree(t, "a", 0o644, 0o755, 0o755))
	same := []struct {
		name string
		dir  string
	}{
		{"another top directory name", tree(t, "seatd-0.7.0", 0o644, 0o755, 0o755)},
		{"git archive's modes (0664, 0775)", tree(t, "a", 0o664, 0o775, 0o775)},
		{"a checkout under umask 077", tree(t, "a", 0o600, 0o700, 0o700)},
	}
	for _, c := range same {
		if got := hashOf(t, c.dir); got != base {
			t.Errorf("%s: hash %s, want %s", c.name, got, base)
		}
	}
	withGit := tree(t, "a", 0o644, 0o755, 0o755)
	os.MkdirAll(filepath.Join(withGit, ".git", "objects"), 0o755)
	os.WriteFile(filepath.Join(withGit, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
	os.WriteFile(filepath.Join(withGit, "src", ".git"), []byte("gitdir: ../.git/modules/src\n"), 0o644)
	if got := hashOf(t, withGit); got != base {
		t.Errorf(".git counted: %s, want %s", got, base)
	}
}

func TestHashSeesWhatGitSees(t *testing.T) {
	base := hashOf(t, tree(t, "a", 0o644, 0o755, 0o755))
	changes := map[string]func(root string) error{
		"content": func(r string) error {
			return os.WriteFile(filepath.Join(r, "src", "main.c"), []byte("int main;\n"), 0o644)
		},
		"execute bit": func(r string) error { return os.Chmod(filepath.Join(r, "configure"), 0o644) },
		"link target": func(r string) error {
			os.Remove(filepath.Join(r, "main.c"))
			return os.Symlink("src/./main.c", filepath.Join(r, "main.c"))
		},
		"empty dir": func(r string) error { return os.Remove(filepath.Join(r, "src", "empty")) },
		"renamed file": func(r string) error {
			return os.Rename(filepath.Join(r, "configure"), filepath.Join(r, "configure.sh"))
		},
		"added file": func(r string) error { return os.WriteFile(filepath.Join(r, "NEWS"), nil, 0o644) },
		"link for file": func(r string) error {
			os.Remove(filepath.Join(r, "configure"))
			return os.Symlink("x", filepath.Join(r, "configure"))
		},
	}
	for name, change := range changes {
		root := tree(t, "a", 0o644, 0o755, 0o755)
		if err := change(root); err != nil {
			t.Fatal(err)
		}
		if hashOf(t, root) == base {
			t.Errorf("%s: not seen by the hash", name)
		}
	}
}

func TestHashRefusesSpecialFiles(t *testing.T) {
	root := tree(t, "a", 0o644, 0o755, 0o755)
	if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644); err != nil {
		t.Fatal("mkfifo:", err)
	}
	_, err := Hash(root)
	if err == nil || !strings.Contains(err.Error(), "fifo") || !strings.Contains(err.Error(), "only files, directories and symlinks") {
		t.Errorf("fifo: %v", err)
	}
}

// TestArchiveRoundTrip: the canonical archive unpacks, with the builds'
// unpacker, to a tree with the same hash, and is the same bytes for the
// same tree whatever its modes on disk.
func TestArchiveRoundTrip(t *testing.T) {
	a := tree(t, "a", 0o644, 0o755, 0o755)
	b := tree(t, "b", 0o600, 0o700, 0o700)
	var ba, bb bytes.Buffer
	if err := WriteArchive(&ba, a); err != nil {
		t.Fatal(err)
	}
	if err := WriteArchive(&bb, b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ba.Bytes(), bb.Bytes()) {
		t.Error("one tree, two archives")
	}
	file := filepath.Join(t.TempDir(), "t.tar.zst")
	os.WriteFile(file, ba.Bytes(), 0o644)
	root, top, err := Extract(file, filepath.Join(t.TempDir(), "x"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if top != "" {
		t.Errorf("top %q for strip 0", top)
	}
	if got, want := hashOf(t, root), hashOf(t, a); got != want {
		t.Errorf("unpacked tree hashes to %s, want %s", got, want)
	}
	fi, err := os.Stat(filepath.Join(root, "configure"))
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("configure: %v %v", fi.Mode(), err)
	}
}

// TestExtractAuto leaves out a single top directory and nothing else.
func TestExtractAuto(t *testing.T) {
	mk := func(names ...string) string {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		for _, n := range names {
			if strings.HasSuffix(n, "/") {
				tw.WriteHeader(&tar.Header{Name: n, Typeflag: tar.TypeDir, Mode: 0o755})
				continue
			}
			tw.WriteHeader(&tar.Header{Name: n, Typeflag: tar.TypeReg, Mode: 0o644, Size: 2})
			tw.Write([]byte("x\n"))
		}
		tw.Close()
		p := filepath.Join(t.TempDir(), "a.tar")
		os.WriteFile(p, b.Bytes(), 0o644)
		return p
	}
	cases := []struct {
		name    string
		archive string
		top     string
	}{
		{"forge tarball", mk("seatd-0.7.0/", "seatd-0.7.0/README.md", "seatd-0.7.0/src/"), "seatd-0.7.0"},
		{"top directory implied", mk("seatd-0.7.0/README.md"), "seatd-0.7.0"},
		{"git archive without prefix", mk("README.md", "src/", "src/a.c"), ""},
		{"a single file", mk("README.md"), ""},
	}
	for _, c := range cases {
		root, top, err := Extract(c.archive, filepath.Join(t.TempDir(), "x"), Auto)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if top != c.top || filepath.Base(root) != map[bool]string{true: c.top, false: "x"}[c.top != ""] {
			t.Errorf("%s: root %s top %q, want top %q", c.name, root, top, c.top)
		}
	}
}
