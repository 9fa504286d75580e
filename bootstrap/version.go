package bootstrap

import (
	"strconv"
	"strings"
)

// CompareVersions orders two Debian versions as dpkg does: -1, 0 or 1.
// The resolver needs it to tell whether a pin still satisfies the
// version constraints of the packages that depend on it.
func CompareVersions(a, b string) int {
	ea, ua, ra := splitVersion(a)
	eb, ub, rb := splitVersion(b)
	if ea != eb {
		if ea < eb {
			return -1
		}
		return 1
	}
	if c := compareFragment(ua, ub); c != 0 {
		return c
	}
	return compareFragment(ra, rb)
}

// splitVersion cuts [epoch:]upstream[-revision]; the revision starts at
// the last hyphen, and a missing epoch is 0.
func splitVersion(v string) (epoch int, upstream, revision string) {
	if e, rest, ok := strings.Cut(v, ":"); ok {
		if n, err := strconv.Atoi(e); err == nil {
			epoch, v = n, rest
		}
	}
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		return epoch, v[:i], v[i+1:]
	}
	return epoch, v, ""
}

// compareFragment alternates between non-digit runs, compared with
// dpkg's character order, and digit runs, compared as numbers.
func compareFragment(a, b string) int {
	for a != "" || b != "" {
		var na, nb string
		na, a = cutWhile(a, notDigit)
		nb, b = cutWhile(b, notDigit)
		if c := compareLexical(na, nb); c != 0 {
			return c
		}
		na, a = cutWhile(a, isDigit)
		nb, b = cutWhile(b, isDigit)
		if c := compareNumber(na, nb); c != 0 {
			return c
		}
	}
	return 0
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func notDigit(c byte) bool { return !isDigit(c) }

func cutWhile(s string, f func(byte) bool) (string, string) {
	i := 0
	for i < len(s) && f(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

// order is dpkg's weight of one character: '~' sorts before everything,
// even the end of the string; letters before other characters.
func order(c byte, end bool) int {
	switch {
	case end:
		return 0
	case c == '~':
		return -1
	case isDigit(c):
		return 0
	case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		return int(c)
	default:
		return int(c) + 256
	}
}

func compareLexical(a, b string) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		var ca, cb byte
		if i < len(a) {
			ca = a[i]
		}
		if i < len(b) {
			cb = b[i]
		}
		oa, ob := order(ca, i >= len(a)), order(cb, i >= len(b))
		if oa != ob {
			if oa < ob {
				return -1
			}
			return 1
		}
	}
	return 0
}

func compareNumber(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// Relation is one version constraint of a dependency: "(>= 2.34)".
type Relation struct {
	Op      string // "<<", "<=", "=", ">=", ">>", or "" for any version
	Version string
}

// Allows reports whether version v satisfies the relation.
func (r Relation) Allows(v string) bool {
	if r.Op == "" {
		return true
	}
	c := CompareVersions(v, r.Version)
	switch r.Op {
	case "<<", "<":
		return c < 0
	case "<=":
		return c <= 0
	case "=":
		return c == 0
	case ">=":
		return c >= 0
	case ">>", ">":
		return c > 0
	}
	return false
}

func (r Relation) String() string {
	if r.Op == "" {
		return ""
	}
	return " (" + r.Op + " " + r.Version + ")"
}
