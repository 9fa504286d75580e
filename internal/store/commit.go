package store

import (
	"encoding/json"
	"fmt"
	"io/fs"
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
// entry counts as present only once both exist. Each step is on disk before
// the next one starts, so after a power loss, as after kill -9, an entry is
// either whole or not counted: the output's files and directories, then its
// manifest and log, then the output's rename, then the manifest's. A
// manifest that already names a content hash (a copy, or a download from a
// binary cache) is a promise: an output that hashes otherwise is refused
// and dropped.
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
	if err := t.Log.Sync(); err != nil {
		return err
	}
	if err := t.Log.Close(); err != nil {
		return err
	}
	if err := syncTree(t.Out); err != nil {
		return fmt.Errorf("commit %s: %w", t.Base, err)
	}
	metaTmp := filepath.Join(t.s.Dir, tmpDir, t.Base+".meta")
	removeAll(metaTmp)
	if err := os.MkdirAll(metaTmp, 0o755); err != nil {
		return err
	}
	if err := writeSynced(filepath.Join(metaTmp, "manifest.json"), append(data, '\n'), 0o444); err != nil {
		return err
	}
	if err := os.Rename(t.Log.Name(), filepath.Join(metaTmp, "build.log")); err != nil {
		return err
	}
	if err := syncPath(metaTmp); err != nil {
		return err
	}
	tmp, meta := filepath.Join(t.s.Dir, tmpDir), filepath.Join(t.s.Dir, metaDir)
	if err := renameSynced(t.Out, t.s.Path(t.Base), tmp, t.s.Dir); err != nil {
		return fmt.Errorf("commit %s: %w", t.Base, err)
	}
	if err := renameSynced(metaTmp, filepath.Join(meta, t.Base), tmp, meta); err != nil {
		return fmt.Errorf("commit %s: %w", t.Base, err)
	}
	committed = true
	t.unlock()
	// A kernel or LLVM build tree takes long to delete; the scheduler
	// need not wait for it. Close waits, and a killed run's leftovers go
	// at the next Open's CleanStale.
	t.s.removeLater(t.Build)
	return nil
}

// syncTree writes every file and directory under dir to disk. A symbolic
// link has no data of its own: its directory's sync covers it.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Type().IsRegular() {
			return syncPath(p)
		}
		return nil
	})
}

// renameSynced renames from to to and syncs both parent directories, the
// new one last, so the rename is on disk when it returns.
func renameSynced(from, to, fromDir, toDir string) error {
	if err := os.Rename(from, to); err != nil {
		return err
	}
	if err := syncPath(fromDir); err != nil {
		return err
	}
	return syncPath(toDir)
}

func writeSynced(p string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncPath opens p read-only (outputs are sealed read-only by then) and
// syncs it.
func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", p, err)
	}
	return nil
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
