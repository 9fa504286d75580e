package build

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
)

// Missing is a package pkg-config was asked for and did not find.
type Missing struct {
	Name string
	// RequiredBy is the .pc file whose Requires named it, when it was not
	// the build itself.
	RequiredBy string
}

// The forms a missing package takes in a build log: pkgconf's own (also
// what configure's PKG_CHECK_MODULES and CMake's pkg_check_modules
// print), freedesktop pkg-config's, and meson's, which keeps pkg-config's
// words in its own log file.
var (
	pkgconfRE   = regexp.MustCompile(`Package '([^']+)', required by '([^']*)', not found`)
	pkgconfigRE = regexp.MustCompile(`No package '([^']+)' found|Package (\S+) was not found in the pkg-config search path`)
	mesonRE     = regexp.MustCompile(`Dependency "([^"]+)" not found, tried pkgconfig`)
)

// MissingPackages lists, in the order first seen, the packages a build
// log says pkg-config did not find.
func MissingPackages(log []byte) []Missing {
	var out []Missing
	seen := map[string]int{}
	add := func(name, by string) {
		if by == "virtual:world" {
			by = ""
		}
		if name == "" {
			return
		}
		// pkgconf says "not found in the search path" before it says
		// which .pc required the package.
		if i, ok := seen[name]; ok {
			if out[i].RequiredBy == "" {
				out[i].RequiredBy = by
			}
			return
		}
		seen[name] = len(out)
		out = append(out, Missing{Name: name, RequiredBy: by})
	}
	sc := bufio.NewScanner(bytes.NewReader(log))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if m := pkgconfRE.FindStringSubmatch(l); m != nil {
			add(m[1], m[2])
		} else if m := pkgconfigRE.FindStringSubmatch(l); m != nil {
			add(m[1]+m[2], "")
		} else if m := mesonRE.FindStringSubmatch(l); m != nil {
			add(m[1], "")
		}
	}
	return out
}

// Duplicate is one symbol the linker found defined twice, with where.
type Duplicate struct {
	Symbol string
	// Defs are the archives (or objects) holding each definition, as lld
	// names them.
	Defs []string
}

var (
	dupRE     = regexp.MustCompile(`error: duplicate symbol: (.+)$`)
	archiveRE = regexp.MustCompile(`in archive (\S+)`)
	objectRE  = regexp.MustCompile(`^>>> defined (?:at|in) (\S+?)(?::\(|$| )`)
)

// DuplicateSymbols reads lld's "duplicate symbol" errors out of a build
// log:
//
//	ld.lld: error: duplicate symbol: list_init
//	>>> defined at list.c:3
//	>>>            list.o:(list_init) in archive /ix/store/...-liba-1/lib/liba.a
//	>>> defined at list.c:5
//	>>>            list.o:(.text+0x0) in archive /ix/store/...-libb-1/lib/libb.a
//
// Each definition is its archive, or else the object or file it names.
func DuplicateSymbols(log []byte) []Duplicate {
	var out []Duplicate
	var cur *Duplicate
	def := -1 // index of the definition being read in cur.Defs
	sc := bufio.NewScanner(bytes.NewReader(log))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		l := strings.TrimRight(sc.Text(), "\r")
		if m := dupRE.FindStringSubmatch(l); m != nil {
			out = append(out, Duplicate{Symbol: strings.TrimSpace(m[1])})
			cur, def = &out[len(out)-1], -1
			continue
		}
		if cur == nil || !strings.HasPrefix(l, ">>> ") {
			cur = nil
			continue
		}
		if strings.HasPrefix(l, ">>> defined ") {
			where := ""
			if m := objectRE.FindStringSubmatch(l); m != nil {
				where = m[1]
			}
			cur.Defs = append(cur.Defs, where)
			def = len(cur.Defs) - 1
		}
		if m := archiveRE.FindStringSubmatch(l); m != nil && def >= 0 {
			cur.Defs[def] = m[1]
		}
	}
	return out
}
