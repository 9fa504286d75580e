package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"stalix.dev/stalix-build/internal/store"
	"stalix.dev/stalix-build/internal/unpack"
)

// DebFile is the name apt-get download gives a package's .deb (an epoch's
// colon is escaped as %3a).
func DebFile(e Entry) string {
	return fmt.Sprintf("%s_%s_%s.deb", e.Name, strings.ReplaceAll(e.Version, ":", "%3a"), e.Arch)
}

// MismatchError is a downloaded .deb whose sha256 is not the lock's. The
// file is removed before this error is returned.
type MismatchError struct {
	Entry Entry
	Got   string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("seed package %s %s (%s): sha256 mismatch: lock pins %s, downloaded file has %s (file removed; if the archive changed, run `stalix-build seed update` and review the diff)",
		e.Entry.Name, e.Entry.Version, e.Entry.Arch, e.Entry.SHA256, e.Got)
}

// Materialize builds the seed tree in dest (absent or empty) from the lock
// at lockPath: it downloads each .deb of the lock with the host's apt as
// configured into debCache (keeping ones already there whose sha256 is
// right), verifies every sha256, unpacks every package in Go, merges /bin,
// /sbin and /lib* into /usr, and adds the names builds expect (sh, cc,
// clang, ld.lld, llvm-ar, awk, ...). No maintainer script runs.
func Materialize(ctx context.Context, lockPath, debCache, dest string) error {
	es, err := ReadLock(lockPath)
	if err != nil {
		return err
	}
	if err := Download(ctx, es, debCache); err != nil {
		return err
	}
	if ents, err := os.ReadDir(dest); err == nil && len(ents) > 0 {
		return fmt.Errorf("seed: %s is not empty; materialize into a fresh directory", dest)
	}
	for _, e := range es {
		if err := unpack.Deb(filepath.Join(debCache, DebFile(e)), dest); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	if err := MergeUsr(dest); err != nil {
		return err
	}
	return AddLinks(dest)
}

// Download makes every .deb of es present in debCache with the right
// sha256, fetching the missing ones with apt-get download NAME=VERSION.
func Download(ctx context.Context, es []Entry, debCache string) error {
	if err := os.MkdirAll(debCache, 0o755); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	var missing []Entry
	for _, e := range es {
		p := filepath.Join(debCache, DebFile(e))
		got, err := store.FileSHA256(p)
		switch {
		case err == nil && got == e.SHA256:
			continue
		case err == nil:
			os.Remove(p) // a stale or corrupt copy: fetch again
		case !errors.Is(err, os.ErrNotExist):
			return fmt.Errorf("seed: %w", err)
		}
		missing = append(missing, e)
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("seed: %d packages missing from %s and no apt-get to fetch them (needs a Debian host)", len(missing), debCache)
	}
	tmp, err := os.MkdirTemp(debCache, ".download-")
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer os.RemoveAll(tmp)
	// One apt-get per batch: apt spends most of a call loading its cache.
	for i := 0; i < len(missing); i += 60 {
		batch := missing[i:min(i+60, len(missing))]
		args := []string{"download", "-q"}
		for _, e := range batch {
			args = append(args, e.Name+"="+e.Version)
		}
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("seed: apt-get download: %v\n%s\n(is apt configured and online? is the locked version still in the archive? regenerate the lock if not)", err, lastLines(string(out), 8))
		}
	}
	var errs []error
	for _, e := range missing {
		p := filepath.Join(tmp, DebFile(e))
		got, err := store.FileSHA256(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("seed package %s %s: apt-get download gave no %s: %w", e.Name, e.Version, DebFile(e), err))
			continue
		}
		if got != e.SHA256 {
			os.Remove(p)
			errs = append(errs, &MismatchError{Entry: e, Got: got})
			continue
		}
		if err := os.Rename(p, filepath.Join(debCache, DebFile(e))); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
