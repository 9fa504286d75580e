// Package store keeps build outputs by content-addressed name. An output is
// written under a temporary name and renamed into place whole; a crash
// leaves at worst a temporary directory, which the next Open removes.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Store is a directory whose entries are what /ix/store holds in sandboxes.
type Store struct {
	Dir     string
	lock    *os.File
	cleanup sync.WaitGroup
}

const (
	metaDir  = ".meta"  // <base>/manifest.json and build.log per entry
	logDir   = ".logs"  // logs of builds in progress and of failed builds
	tmpDir   = ".tmp"   // outputs being written
	buildDir = ".build" // build directories
	rootsDir = ".roots" // gc roots: links or files naming entries
	locksDir = ".locks" // one lock file per entry being built
)

// DefaultDir is $STALIX_STORE, else <user cache dir>/stalix/store.
func DefaultDir() string {
	if d := os.Getenv("STALIX_STORE"); d != "" {
		return d
	}
	c, err := os.UserCacheDir()
	if err != nil {
		c = os.TempDir()
	}
	return filepath.Join(c, "stalix", "store")
}

// Open creates the store's layout if needed and takes a shared lock on it,
// so that gc (which takes it exclusively) never runs beside a build.
func Open(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for _, d := range []string{metaDir, logDir, tmpDir, buildDir, rootsDir, locksDir} {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o755); err != nil {
			return nil, fmt.Errorf("store %s: %w", abs, err)
		}
	}
	s := &Store{Dir: abs}
	f, err := os.OpenFile(filepath.Join(abs, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		f.Close()
		return nil, fmt.Errorf("store %s: lock: %w", abs, err)
	}
	s.lock = f
	return s, nil
}

// Close releases the store lock.
func (s *Store) Close() error {
	s.cleanup.Wait()
	if s.lock == nil {
		return nil
	}
	err := s.lock.Close()
	s.lock = nil
	return err
}

// Path is where entry base lives on the host.
func (s *Store) Path(base string) string { return filepath.Join(s.Dir, base) }

// Has reports whether entry base is in the store, whole.
func (s *Store) Has(base string) bool {
	_, err := os.Stat(filepath.Join(s.Dir, metaDir, base, "manifest.json"))
	if err != nil {
		return false
	}
	st, err := os.Stat(s.Path(base))
	return err == nil && st.IsDir()
}

// LogPath is where the log of base lives: beside its manifest once built,
// in the logs directory while building or after a failure.
func (s *Store) LogPath(base string) string {
	p := filepath.Join(s.Dir, metaDir, base, "build.log")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return filepath.Join(s.Dir, logDir, base+".log")
}

// Entries lists the names of whole entries, sorted.
func (s *Store) Entries() ([]string, error) {
	des, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, de := range des {
		if strings.HasPrefix(de.Name(), ".") || !de.IsDir() {
			continue
		}
		if s.Has(de.Name()) {
			out = append(out, de.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// LockEntry takes the per-entry lock that keeps two invocations from
// building the same output at once. The caller checks Has again after it.
func (s *Store) LockEntry(base string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(s.Dir, locksDir, base+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// CleanStale removes temporary outputs and build directories that no
// running build holds: what a killed run left behind.
func (s *Store) CleanStale() error {
	for _, d := range []string{tmpDir, buildDir} {
		des, err := os.ReadDir(filepath.Join(s.Dir, d))
		if err != nil {
			return err
		}
		for _, de := range des {
			// Names are <base>.<pid> or <base>.meta; versions hold dots too.
			base := de.Name()
			if i := strings.LastIndex(base, "."); i > 0 {
				base = base[:i]
			}
			unlock, ok := s.tryLock(base)
			if !ok {
				continue // another invocation is building it
			}
			err := removeAll(filepath.Join(s.Dir, d, de.Name()))
			unlock()
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) tryLock(base string) (func(), bool) {
	f, err := os.OpenFile(filepath.Join(s.Dir, locksDir, base+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return func() { f.Close() }, true
}

// removeLater deletes a finished build directory in the background.
func (s *Store) removeLater(dir string) {
	s.cleanup.Add(1)
	go func() {
		defer s.cleanup.Done()
		removeAll(dir)
	}()
}

// removeAll deletes a tree that may have been made read-only.
func removeAll(p string) error {
	err := os.RemoveAll(p)
	if err == nil || errors.Is(err, os.ErrNotExist) {
		return nil
	}
	filepath.Walk(p, func(q string, fi os.FileInfo, err error) error {
		if err == nil && fi.IsDir() {
			os.Chmod(q, 0o755)
		}
		return nil
	})
	return os.RemoveAll(p)
}

// BuildTimes maps "name@arch" to how long the newest build of that
// package for that target took: estimates for nodes never built with
// their current hash. It reads every manifest once, so a run asks once.
func (s *Store) BuildTimes() map[string]time.Duration {
	out := map[string]time.Duration{}
	newest := map[string]time.Time{}
	entries, err := s.Entries()
	if err != nil {
		return out
	}
	for _, e := range entries {
		m, err := s.ReadManifest(e)
		st, serr := os.Stat(filepath.Join(s.Dir, metaDir, e))
		if err != nil || serr != nil {
			continue
		}
		k := m.Name + "@" + m.Target
		if t, ok := newest[k]; ok && !st.ModTime().After(t) {
			continue
		}
		newest[k] = st.ModTime()
		out[k] = time.Duration(m.BuildSeconds * float64(time.Second))
	}
	return out
}
