package fetch

import (
	"os"
	"path/filepath"

	"stalix.dev/stalix-build/internal/store"
)

// DefaultCache is $STALIX_SOURCES, else beside the default store.
func DefaultCache() string {
	if d := os.Getenv("STALIX_SOURCES"); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(store.DefaultDir()), "sources")
}
