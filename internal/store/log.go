package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FindLog returns the newest log for a package name or a store base name,
// whether the build succeeded or failed.
func (s *Store) FindLog(name string) (string, error) {
	var cands []string
	for _, pat := range []string{filepath.Join(s.Dir, metaDir, "*", "build.log"), filepath.Join(s.Dir, logDir, "*.log")} {
		m, _ := filepath.Glob(pat)
		cands = append(cands, m...)
	}
	var best string
	var bestTime int64
	for _, c := range cands {
		base := strings.TrimSuffix(filepath.Base(c), ".log")
		if base == "build" {
			base = filepath.Base(filepath.Dir(c))
		}
		if base != name && EntryName(base) != name {
			continue
		}
		st, err := os.Stat(c)
		if err != nil {
			continue
		}
		if t := st.ModTime().UnixNano(); best == "" || t > bestTime {
			best, bestTime = c, t
		}
	}
	if best == "" {
		return "", fmt.Errorf("no build log for %q in %s (run stalix-build ls to see what was built)", name, s.Dir)
	}
	return best, nil
}

// EntryName is the package name of a base "<hash>-<name>-<version>": the
// version is the last dash-separated part that starts with a digit.
func EntryName(base string) string {
	parts := strings.Split(base, "-")
	if len(parts) < 3 {
		return base
	}
	parts = parts[1:]
	for i := len(parts) - 1; i > 0; i-- {
		if parts[i] != "" && parts[i][0] >= '0' && parts[i][0] <= '9' {
			return strings.Join(parts[:i], "-")
		}
	}
	return strings.Join(parts[:len(parts)-1], "-")
}
