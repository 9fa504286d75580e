package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/store"
)

// Record is what /ac/<key> holds for one store entry: where its archive
// and log are in /cas, what the archive unpacks to, the entry's manifest,
// and signatures over the fields that say which entry it is and what it
// holds.
type Record struct {
	Version     int      `json:"version"`
	Base        string   `json:"base"`
	ContentHash string   `json:"content_hash"`
	Size        int64    `json:"size"`
	Runtime     []string `json:"runtime"`
	// Archive is the uncompressed archive; Blob is its zstd stream as
	// stored in /cas, Log the build log's. The Bazel protocol keys a CAS
	// blob by the sha256 of its stored bytes.
	Archive    Digest         `json:"archive"`
	Blob       Digest         `json:"blob"`
	Log        Digest         `json:"log"`
	Manifest   store.Manifest `json:"manifest"`
	Signatures []string       `json:"signatures"`
}

// Digest names bytes.
type Digest struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

const recordVersion = 1

// ACKey is the action-cache key of a store entry. The node hash in base
// already names the build; the key is its sha256 because the protocol
// (bazel-remote checks it) wants 64 hex digits.
func ACKey(base string) string {
	h := sha256.Sum256([]byte("stalix-cache 1;" + base))
	return hex.EncodeToString(h[:])
}

// Fingerprint is what a signature covers, in Nix's spirit (version; path;
// hash; size; references): the node hash, the store name, the content
// hash and size, the archive's sha256 and size, and the runtime references
// sorted.
func (r *Record) Fingerprint() string {
	refs := slices.Clone(r.Runtime)
	slices.Sort(refs)
	nodeHash, _, _ := strings.Cut(r.Base, "-")
	return strings.Join([]string{
		"stalix-cache 1", nodeHash, r.Base, r.ContentHash, strconv.FormatInt(r.Size, 10),
		r.Archive.SHA256, strconv.FormatInt(r.Archive.Size, 10), strings.Join(refs, ","),
	}, ";")
}

// Sign adds k's signature.
func (r *Record) Sign(k SecretKey) { r.Signatures = append(r.Signatures, k.Sign(r.Fingerprint())) }

// ParseRecord reads a record and checks it is the one for base, with these
// runtime references, signed by a trusted key, and well formed. A nil
// runtime skips that one check, for a record read only for what its
// manifest says.
func ParseRecord(data []byte, base string, runtime []string, trusted []PublicKey) (*Record, error) {
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	if r.Version != recordVersion {
		return nil, fmt.Errorf("record version %d, want %d", r.Version, recordVersion)
	}
	if r.Base != base {
		return nil, fmt.Errorf("record is for %s", r.Base)
	}
	if err := Verify(trusted, r.Fingerprint(), r.Signatures); err != nil {
		return nil, err
	}
	a, b := slices.Clone(r.Runtime), slices.Clone(runtime)
	slices.Sort(a)
	slices.Sort(b)
	if runtime != nil && !slices.Equal(a, b) {
		return nil, fmt.Errorf("signed runtime references %v, the plan says %v", a, b)
	}
	for _, d := range []Digest{r.Archive, r.Blob, r.Log} {
		if !isHex64(d.SHA256) || d.Size < 0 {
			return nil, errors.New("record: malformed digest")
		}
	}
	if !isHex64(r.ContentHash) || r.Size < 0 {
		return nil, errors.New("record: malformed content hash or size")
	}
	m := &r.Manifest
	if m.Out != plan.StoreDir+"/"+base || !strings.HasSuffix(base, "-"+m.Name+"-"+m.Version) {
		return nil, fmt.Errorf("record: manifest is for %s", m.Out)
	}
	// What the signature covers wins over the manifest's copy.
	m.ContentHash, m.Size, m.Runtime = r.ContentHash, r.Size, r.Runtime
	return &r, nil
}

func isHex64(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size && strings.ToLower(s) == s
}
