package fetch

import (
	"fmt"
	"os"
)

// Import adds local files to the cache under their sha256, which it
// returns in the order given. Nothing is checked against a recipe: the
// hash a recipe pins decides later whether the file is used.
func (f *Fetcher) Import(paths ...string) ([]string, error) {
	if err := os.MkdirAll(f.Cache, 0o755); err != nil {
		return nil, fmt.Errorf("source cache: %w", err)
	}
	shas := make([]string, 0, len(paths))
	for _, p := range paths {
		r, err := os.Open(p)
		if err != nil {
			return shas, fmt.Errorf("import: %w", err)
		}
		sha, tmp, err := f.writeTemp(r)
		r.Close()
		if err != nil {
			return shas, fmt.Errorf("import %s: %w", p, err)
		}
		if err := os.Rename(tmp, f.Path(sha)); err != nil {
			os.Remove(tmp)
			return shas, fmt.Errorf("import %s: %w", p, err)
		}
		shas = append(shas, sha)
	}
	return shas, nil
}
