package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Manifest is kept beside every entry.
type Manifest struct {
	Name         string   `json:"name"`
	Version      string   `json:"version"`
	Out          string   `json:"out"`
	Target       string   `json:"target,omitempty"`
	Stage        string   `json:"stage,omitempty"`
	Inputs       []string `json:"inputs"`
	Runtime      []string `json:"runtime,omitempty"`
	Sources      []string `json:"sources,omitempty"`
	ContentHash  string   `json:"content_hash"`
	Size         int64    `json:"size"`
	BuildSeconds float64  `json:"build_seconds"`
}

// Txn is one output being made. Its directories live inside the store so
// that the final rename stays on one filesystem.
type Txn struct {
	s      *Store
	Base   string
	Out    string // the temporary output directory
	Build  string // the build directory
	Log    *os.File
	unlock func()
	start  time.Time
}

// Begin locks base and prepares empty output and build directories. A
// second invocation building the same base waits here, then finds it done.
func (s *Store) Begin(base string) (*Txn, error) {
	unlock, err := s.LockEntry(base)
	if err != nil {
		return nil, err
	}
	t := &Txn{s: s, Base: base, unlock: unlock, start: time.Now()}
	if s.Has(base) {
		return t, nil
	}
	// Half of an interrupted commit: an output without its manifest.
	for _, p := range []string{s.Path(base), filepath.Join(s.Dir, metaDir, base)} {
		if err := removeAll(p); err != nil {
			unlock()
			return nil, err
		}
	}
	suffix := "." + strconv.Itoa(os.Getpid())
	t.Out = filepath.Join(s.Dir, tmpDir, base+suffix)
	t.Build = filepath.Join(s.Dir, buildDir, base+suffix)
	for _, d := range []string{t.Out, t.Build} {
		if err := removeAll(d); err != nil {
			t.Abort()
			return nil, err
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Abort()
			return nil, err
		}
	}
	t.Log, err = os.Create(filepath.Join(s.Dir, logDir, base+".log"))
	if err != nil {
		t.Abort()
		return nil, err
	}
	return t, nil
}

// Done reports whether another invocation built base while we waited.
func (t *Txn) Done() bool { return t.Out == "" }

// Abort drops the temporary output and build directory and keeps the log.
func (t *Txn) Abort() {
	if t.Log != nil {
		t.Log.Close()
	}
	if t.Out != "" {
		removeAll(t.Out)
	}
	if t.Build != "" {
		removeAll(t.Build)
	}
	t.unlock()
}

// Commit renames the output into place and then writes its manifest; an
// entry counts as present only once both exist. A manifest that already
// names a content hash (a copy, or a download from a binary cache) is a
// promise: an output that hashes otherwise is refused and dropped.
func (t *Txn) Commit(m Manifest) error {
	committed := false
	defer func() {
		if !committed {
			t.Abort()
		}
	}()
	hash, size, err := TreeHash(t.Out)
	if err != nil {
		return err
	}
	if m.ContentHash != "" && (m.ContentHash != hash || m.Size != size) {
		return fmt.Errorf("commit %s: content hash %s (%d bytes), want %s (%d bytes)", t.Base, hash, size, m.ContentHash, m.Size)
	}
	m.ContentHash, m.Size = hash, size
	if m.BuildSeconds == 0 {
		m.BuildSeconds = time.Since(t.start).Round(time.Millisecond).Seconds()
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := t.Log.Close(); err != nil {
		return err
	}
	metaTmp := filepath.Join(t.s.Dir, tmpDir, t.Base+".meta")
	removeAll(metaTmp)
	if err := os.MkdirAll(metaTmp, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(metaTmp, "manifest.json"), append(data, '\n'), 0o444); err != nil {
		return err
	}
	if err := os.Rename(t.Log.Name(), filepath.Join(metaTmp, "build.log")); err != nil {
		return err
	}
	if err := os.Rename(t.Out, t.s.Path(t.Base)); err != nil {
		return fmt.Errorf("commit %s: %w", t.Base, err)
	}
	if err := os.Rename(metaTmp, filepath.Join(t.s.Dir, metaDir, t.Base)); err != nil {
		return fmt.Errorf("commit %s: %w", t.Base, err)
	}
	committed = true
	t.unlock()
	// A kernel or LLVM build tree takes long to delete; the scheduler
	// need not wait for it. Close waits, and a killed run's leftovers go
	// at the next Open's CleanStale.
	t.s.removeLater(t.Build)
	return syncDir(t.s.Dir)
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// ReadManifest returns the manifest of base.
func (s *Store) ReadManifest(base string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(s.Dir, metaDir, base, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest of %s: %w", base, err)
	}
	return &m, nil
}
