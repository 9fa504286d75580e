package bootstrap

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// ParseList reads seed.list: one Debian package name per line; "#" starts
// a comment that runs to the end of the line.
func ParseList(r io.Reader) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !pkgNameRE.MatchString(line) {
			return nil, fmt.Errorf("line %d: %q is not a package name", n, line)
		}
		if seen[line] {
			return nil, fmt.Errorf("line %d: %s listed twice", n, line)
		}
		seen[line] = true
		out = append(out, line)
	}
	return out, sc.Err()
}

// ReadList parses the list file at path.
func ReadList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := ParseList(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return names, nil
}
