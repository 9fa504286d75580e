package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"

	"github.com/klauspost/compress/zstd"

	"stalix.dev/stalix-build/internal/store"
)

// Substituter finds store entries in caches, in order, and puts them into
// a store. A cache that does not answer is given up for the rest of the
// run after one warning; any other failure is a miss for that entry, with
// one warning, and the caller builds it.
type Substituter struct {
	Caches  []Backend
	Trusted []PublicKey
	// Warn prints one line.
	Warn func(msg string)

	mu    sync.Mutex
	down  map[Backend]bool
	found map[string]hit
}

type hit struct {
	rec   *Record
	cache Backend
}

func (s *Substituter) warn(format string, a ...any) {
	if s.Warn != nil {
		s.Warn(fmt.Sprintf(format, a...))
	}
}

// failed sorts an error from c: unreachable marks c down, once; anything
// else is one warning, ending with what happens instead.
func (s *Substituter) failed(c Backend, base string, err error, instead string) {
	var ue *UnreachableError
	s.mu.Lock()
	defer s.mu.Unlock()
	if errors.As(err, &ue) {
		if !s.down[c] {
			if s.down == nil {
				s.down = map[Backend]bool{}
			}
			s.down[c] = true
			s.warn("warning: %v; not asking it again this run", err)
		}
		return
	}
	s.warn("warning: cache %s: %s: %v; %s", c, base, err, instead)
}

func (s *Substituter) isDown(c Backend) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.down[c]
}

// Lookup reports whether a cache offers base with these runtime
// references, signed by a trusted key. It asks each cache at most once
// per entry and run.
func (s *Substituter) Lookup(ctx context.Context, base string, runtime []string) bool {
	s.mu.Lock()
	h, done := s.found[base]
	s.mu.Unlock()
	if done {
		return h.rec != nil
	}
	for _, c := range s.Caches {
		if s.isDown(c) || ctx.Err() != nil {
			continue
		}
		rec, err := s.record(ctx, c, base, runtime)
		if err == nil {
			h = hit{rec, c}
			break
		}
		if !errors.Is(err, ErrNotFound) {
			s.failed(c, base, err, "not using it")
		}
	}
	s.mu.Lock()
	if s.found == nil {
		s.found = map[string]hit{}
	}
	s.found[base] = h
	s.mu.Unlock()
	return h.rec != nil
}

// Manifest is base's manifest as a cache's signed record gives it, for an
// entry the run did not need to fetch: an image's SBOM names the content
// hash of every package that built it, its compiler included, though a
// substituted store holds only what the image contains.
func (s *Substituter) Manifest(ctx context.Context, base string) (*store.Manifest, error) {
	s.mu.Lock()
	h := s.found[base]
	s.mu.Unlock()
	if h.rec != nil {
		return &h.rec.Manifest, nil
	}
	for _, c := range s.Caches {
		if s.isDown(c) {
			continue
		}
		rec, err := s.record(ctx, c, base, nil)
		if err == nil {
			return &rec.Manifest, nil
		}
		if !errors.Is(err, ErrNotFound) {
			s.failed(c, base, err, "not using it")
		}
	}
	return nil, fmt.Errorf("%s: in neither the store nor a cache", base)
}

// maxRecord bounds a record: it lists references, not content. maxLog
// bounds a log as it is decompressed.
const (
	maxRecord = 1 << 20
	maxLog    = 1 << 30
)

func (s *Substituter) record(ctx context.Context, c Backend, base string, runtime []string) (*Record, error) {
	rc, err := c.Get(ctx, "ac", ACKey(base))
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxRecord+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRecord {
		return nil, errors.New("record larger than 1 MiB")
	}
	return ParseRecord(data, base, runtime, s.Trusted)
}

// Fetch puts base, which Lookup found, into st: the archive is unpacked
// into a store transaction while its bytes are hashed, and committed only
// when the archive's sha256, the blob's, the content hash and the log's
// digest all match the record; otherwise the transaction and its partial
// tree are dropped. It returns the bytes downloaded; an error is a miss,
// already warned about.
func (s *Substituter) Fetch(ctx context.Context, st *store.Store, base string, epoch int64) (int64, error) {
	s.mu.Lock()
	h := s.found[base]
	s.mu.Unlock()
	if h.rec == nil {
		return 0, fmt.Errorf("%s: no cache offers it", base)
	}
	if s.isDown(h.cache) {
		return 0, fmt.Errorf("%s: cache %s is unreachable", base, h.cache)
	}
	n, err := s.fetch(ctx, st, h, epoch)
	if err != nil && ctx.Err() == nil {
		s.failed(h.cache, base, err, "building it instead")
	}
	return n, err
}

func (s *Substituter) fetch(ctx context.Context, st *store.Store, h hit, epoch int64) (int64, error) {
	rec := h.rec
	txn, err := st.Begin(rec.Base)
	if err != nil {
		return 0, err
	}
	if txn.Done() {
		txn.Abort()
		return 0, nil
	}
	committed := false
	defer func() {
		if !committed {
			txn.Abort()
			// A miss leaves no log behind; the build that follows writes its own.
			os.Remove(txn.Log.Name())
		}
	}()
	err = s.blob(ctx, h.cache, rec.Blob, func(r io.Reader) error {
		sum, err := Extract(r, txn.Out, Limits{MaxSize: rec.Size, MaxArchive: rec.Archive.Size, Epoch: epoch})
		if err != nil {
			return err
		}
		if sum.SHA256 != rec.Archive.SHA256 || sum.ContentHash != rec.ContentHash || sum.Size != rec.Size {
			return fmt.Errorf("archive unpacks to content hash %s (%d bytes), signed for %s (%d bytes)", sum.ContentHash, sum.Size, rec.ContentHash, rec.Size)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	err = s.blob(ctx, h.cache, rec.Log, func(r io.Reader) error {
		_, err := io.Copy(txn.Log, io.LimitReader(r, maxLog))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("log: %w", err)
	}
	// Commit hashes the tree on disk once more, against the signed hash.
	if err := txn.Commit(rec.Manifest); err != nil {
		return 0, err
	}
	committed = true
	return rec.Blob.Size + rec.Log.Size, nil
}

// blob streams a zstd blob from /cas through use, and fails unless the
// stored bytes hash to d. The rest of the blob is read even when use
// fails, so that a truncated or tampered blob is named as such rather
// than by what it broke in the archive.
func (s *Substituter) blob(ctx context.Context, c Backend, d Digest, use func(r io.Reader) error) error {
	rc, err := c.Get(ctx, "cas", d.SHA256)
	if err != nil {
		return fmt.Errorf("blob %.12s: %w", d.SHA256, err)
	}
	defer rc.Close()
	hr := &hashingReader{r: io.LimitReader(rc, d.Size+1), h: sha256.New()}
	zr, err := zstd.NewReader(hr, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
	if err != nil {
		return err
	}
	uerr := use(zr)
	zr.Close()
	if _, err := io.Copy(io.Discard, hr); err != nil {
		return err
	}
	if hr.n != d.Size || hex.EncodeToString(hr.h.Sum(nil)) != d.SHA256 {
		return fmt.Errorf("blob %.12s: %d bytes with another sha256, want %d (truncated or tampered)", d.SHA256, hr.n, d.Size)
	}
	return uerr
}

type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	return n, err
}

// Manifests reads st's manifests and, for an entry st lacks, falls back to
// s's signed records (see Manifest); nil without a substituter, which
// leaves the store's own manifests as the only ones.
func Manifests(ctx context.Context, st *store.Store, s *Substituter) func(base string) (*store.Manifest, error) {
	if s == nil {
		return nil
	}
	return func(base string) (*store.Manifest, error) {
		if m, err := st.ReadManifest(base); err == nil {
			return m, nil
		}
		return s.Manifest(ctx, base)
	}
}
