package fetch

import (
	"os"
	"strings"
)

// MirrorsEnv names the variable listing mirrors.
const MirrorsEnv = "STALIX_MIRRORS"

// MirrorsFromEnv parses $STALIX_MIRRORS.
func MirrorsFromEnv() []string { return ParseMirrors(os.Getenv(MirrorsEnv)) }

// ParseMirrors splits a mirror list on spaces and colons, like PATH, while
// keeping the colons that belong to URLs: "http://h:8080/src:/srv/m" is two
// mirrors.
func ParseMirrors(s string) []string {
	var out []string
	for _, field := range strings.Fields(s) {
		parts := strings.Split(field, ":")
		for i := 0; i < len(parts); i++ {
			p := parts[i]
			if isScheme(p) && i+1 < len(parts) && strings.HasPrefix(parts[i+1], "//") {
				i++
				p += ":" + parts[i]
				// A port follows when the authority has no path yet.
				auth := strings.TrimPrefix(parts[i], "//")
				if !strings.Contains(auth, "/") && i+1 < len(parts) && isPort(parts[i+1]) {
					i++
					p += ":" + parts[i]
				}
			}
			if p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func isScheme(s string) bool {
	switch strings.ToLower(s) {
	case "http", "https", "file":
		return true
	}
	return false
}

// isPort reports whether s starts with digits up to a "/" or its end.
func isPort(s string) bool {
	digits, _, _ := strings.Cut(s, "/")
	if digits == "" {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
