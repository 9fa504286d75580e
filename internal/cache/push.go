package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"stalix.dev/stalix-build/image/compression"
	"stalix.dev/stalix-build/internal/store"
)

// Pusher uploads store entries to one cache, signed with one key.
type Pusher struct {
	Cache Backend
	Key   SecretKey
	Store *store.Store
	// TempDir holds the compressed blobs while they upload ("" is the
	// system's).
	TempDir string
}

// Pushed says what one Push did.
type Pushed struct {
	Present  bool  // the cache had the entry's record: nothing was sent
	Uploaded int64 // bytes sent
}

// Push uploads base's archive and log to /cas (each only when HEAD says
// the cache lacks it), then its signed record to /ac, last, so that no
// reader finds a record before the blobs it names.
func (p *Pusher) Push(ctx context.Context, base string) (Pushed, error) {
	var res Pushed
	key := ACKey(base)
	has, err := p.Cache.Has(ctx, "ac", key)
	if err != nil || has {
		res.Present = has
		return res, err
	}
	m, err := p.Store.ReadManifest(base)
	if err != nil {
		return res, err
	}
	blob, sum, err := p.compressed(func(w io.Writer) (Summary, error) { return WriteArchive(w, p.Store.Path(base)) })
	if err != nil {
		return res, fmt.Errorf("%s: %w", base, err)
	}
	defer blob.remove()
	if sum.ContentHash != m.ContentHash || sum.Size != m.Size {
		return res, fmt.Errorf("%s: content hash %s, but its manifest says %s: the entry changed after it was built; not pushing it", base, sum.ContentHash, m.ContentHash)
	}
	logBlob, _, err := p.compressed(func(w io.Writer) (Summary, error) { return copyLog(w, p.Store.LogPath(base)) })
	if err != nil {
		return res, fmt.Errorf("%s: log: %w", base, err)
	}
	defer logBlob.remove()
	for _, b := range []*tempBlob{blob, logBlob} {
		n, err := p.upload(ctx, "cas", b)
		if err != nil {
			return res, err
		}
		res.Uploaded += n
	}
	rec := Record{
		Version: recordVersion, Base: base, ContentHash: m.ContentHash, Size: m.Size, Runtime: m.Runtime,
		Archive: Digest{sum.SHA256, blob.raw}, Blob: blob.digest, Log: logBlob.digest, Manifest: *m,
	}
	if rec.Runtime == nil {
		rec.Runtime = []string{}
	}
	rec.Sign(p.Key)
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return res, err
	}
	recBlob, err := p.tempFile(func(w io.Writer) error { _, err := w.Write(append(data, '\n')); return err })
	if err != nil {
		return res, err
	}
	defer recBlob.remove()
	if err := p.Cache.Put(ctx, "ac", key, recBlob.f, recBlob.digest.Size); err != nil {
		return res, err
	}
	res.Uploaded += recBlob.digest.Size
	return res, nil
}

// upload puts b under its sha256 unless the cache has it.
func (p *Pusher) upload(ctx context.Context, kind string, b *tempBlob) (int64, error) {
	has, err := p.Cache.Has(ctx, kind, b.digest.SHA256)
	if err != nil || has {
		return 0, err
	}
	if _, err := b.f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return b.digest.Size, p.Cache.Put(ctx, kind, b.digest.SHA256, b.f, b.digest.Size)
}

// tempBlob is a value written to a temporary file, with its digest and,
// for a compressed one, the size before compression.
type tempBlob struct {
	f      *os.File
	digest Digest
	raw    int64
}

func (b *tempBlob) remove() {
	b.f.Close()
	os.Remove(b.f.Name())
}

// compressed writes what fill produces, zstd-compressed, to a temporary
// file.
func (p *Pusher) compressed(fill func(w io.Writer) (Summary, error)) (*tempBlob, Summary, error) {
	var sum Summary
	var raw int64
	b, err := p.tempFile(func(w io.Writer) (err error) {
		sum, raw, err = zstdOf(w, fill)
		return err
	})
	if err != nil {
		return nil, sum, err
	}
	b.raw = raw
	return b, sum, nil
}

// zstdOf writes what fill produces to w through the fixed zstd options of
// the image writers, and counts the bytes before compression.
func zstdOf(w io.Writer, fill func(w io.Writer) (Summary, error)) (Summary, int64, error) {
	var raw counter
	zw, err := compression.NewWriter(w, compression.Zstd)
	if err != nil {
		return Summary{}, 0, err
	}
	sum, err := fill(io.MultiWriter(zw, &raw))
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	return sum, int64(raw), err
}

// WriteBlob writes the archive of dir as a cache stores it: zstd, the
// bytes whose sha256 is its /cas key.
func WriteBlob(w io.Writer, dir string) (Summary, error) {
	sum, _, err := zstdOf(w, func(w io.Writer) (Summary, error) { return WriteArchive(w, dir) })
	return sum, err
}

func (p *Pusher) tempFile(fill func(w io.Writer) error) (*tempBlob, error) {
	f, err := os.CreateTemp(p.TempDir, "stalix-push-*")
	if err != nil {
		return nil, err
	}
	b := &tempBlob{f: f}
	h := sha256.New()
	var n counter
	if err := fill(io.MultiWriter(f, h, &n)); err != nil {
		b.remove()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		b.remove()
		return nil, err
	}
	b.digest = Digest{hex.EncodeToString(h.Sum(nil)), int64(n)}
	return b, nil
}

func copyLog(w io.Writer, path string) (Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return Summary{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), f)
	return Summary{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, err
}

type counter int64

func (c *counter) Write(p []byte) (int, error) { *c += counter(len(p)); return len(p), nil }

// PushTotals counts what PushAll did.
type PushTotals struct {
	Pushed, Present, Absent int
	Bytes                   int64
}

// PushAll pushes each distinct base the store holds; one it lacks is a
// build input this store never needed, and is counted, not an error.
// pushed is called for each entry sent.
func (p *Pusher) PushAll(ctx context.Context, bases []string, pushed func(base string, size int64)) (PushTotals, error) {
	var t PushTotals
	seen := map[string]bool{}
	for _, base := range bases {
		if seen[base] {
			continue
		}
		seen[base] = true
		if !p.Store.Has(base) {
			t.Absent++
			continue
		}
		r, err := p.Push(ctx, base)
		if err != nil {
			return t, fmt.Errorf("push %s to %s: %w", base, p.Cache, err)
		}
		if r.Present {
			t.Present++
			continue
		}
		t.Pushed++
		t.Bytes += r.Uploaded
		pushed(base, r.Uploaded)
	}
	return t, nil
}
