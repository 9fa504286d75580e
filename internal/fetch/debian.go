package fetch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// debian fetches w from its Debian source package with the host's apt as
// configured (deb-src must be enabled). apt checks the files against the
// signed .dsc; the recipe's sha256 is still what decides.
func (f *Fetcher) debian(ctx context.Context, w Want) error {
	from := "apt-get source " + w.Debian
	name, version, ok := strings.Cut(w.Debian, "=")
	if !ok || name == "" || version == "" || strings.HasPrefix(name, "-") {
		return fmt.Errorf("  %s: want NAME=VERSION", from)
	}
	dir, err := f.scratch(from, "apt-get", "apt-get (a Debian host with deb-src enabled)")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, "apt-get", "source", "--download-only", "-q", name+"="+version)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, aptErr := cmd.CombinedOutput()
	// apt-get fails the whole source package when any of its files is not served, and the
	// archive here lacks some .debian.tar.xz whose orig it serves (meson=1.0.1-5,
	// markupsafe=2.1.2-1). A file that did arrive is whole: apt moves it into place only after
	// checking it against the .dsc, and store checks its sha256 again.
	file, err := pickDebianFile(dir, w)
	if err != nil {
		if aptErr != nil {
			return fmt.Errorf("  %s: %v\n%s", from, aptErr, indent(lastLines(string(out), 5)))
		}
		return fmt.Errorf("  %s: %w", from, err)
	}
	r, err := os.Open(filepath.Join(dir, file))
	if err != nil {
		return err
	}
	defer r.Close()
	return f.store(w, from+" ("+file+")", r)
}

// pickDebianFile chooses which downloaded file is the wanted source.
func pickDebianFile(dir string, w Want) (string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	has := func(n string) bool {
		i := sort.SearchStrings(names, n)
		return i < len(names) && names[i] == n
	}
	if w.DebianFile != "" {
		if has(w.DebianFile) {
			return w.DebianFile, nil
		}
		return "", fmt.Errorf("no file %s in the source package (it has %s)", w.DebianFile, strings.Join(names, ", "))
	}
	if w.File != "" && has(w.File) {
		return w.File, nil
	}
	var orig, native []string
	for _, n := range names {
		if strings.HasSuffix(n, ".asc") || strings.HasSuffix(n, ".dsc") {
			continue
		}
		switch {
		case strings.Contains(n, ".orig.tar."):
			orig = append(orig, n)
		case strings.Contains(n, ".tar.") && !strings.Contains(n, ".debian.tar.") && !strings.Contains(n, ".orig-"):
			native = append(native, n)
		}
	}
	for _, cands := range [][]string{orig, native} {
		if len(cands) == 1 {
			return cands[0], nil
		}
		if len(cands) > 1 {
			return "", fmt.Errorf("several candidate tarballs (%s): set debian_file in the recipe", strings.Join(cands, ", "))
		}
	}
	return "", errors.New("no .orig.tar.* in the source package: set debian_file in the recipe (one of " + strings.Join(names, ", ") + ")")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }
