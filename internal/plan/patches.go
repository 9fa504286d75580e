package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"stalix.dev/stalix-build/internal/patch"
	"stalix.dev/stalix-build/internal/recipe"
)

// Patch is one of a node's patches, read when the node is planned, so
// the build applies the bytes that were hashed.
type Patch struct {
	Name   string // as recipe.toml names it
	Data   []byte
	SHA256 string
}

// readPatches reads and parses rc's patches; a patch that is no diff is an
// error now, not when the build reaches it.
func readPatches(rc *recipe.Recipe) ([]Patch, error) {
	var out []Patch
	for _, name := range rc.Patches {
		data, err := rc.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: patches: %w", rc.File, rc.PatchesLine, err)
		}
		if _, err := patch.Parse(name, data); err != nil {
			return nil, fmt.Errorf("%s:%d: patches: %w", rc.File, rc.PatchesLine, err)
		}
		sum := sha256.Sum256(data)
		out = append(out, Patch{Name: name, Data: data, SHA256: hex.EncodeToString(sum[:])})
	}
	return out, nil
}
