package disk

import (
	"crypto/sha256"
	"fmt"
)

// DeriveUUID makes a name-based UUID from the seed and a purpose, the way UUIDv5 does but with
// SHA-256: the same profile hash gives the same GUIDs, different purposes give different ones.
func DeriveUUID(seed []byte, purpose string) string {
	h := sha256.New()
	h.Write([]byte("stalix-image\x00" + purpose + "\x00"))
	h.Write(seed)
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50 // version 5
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
