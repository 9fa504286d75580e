package build

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/recipe"
	"stalix.dev/stalix-build/internal/store"
)

// logTail is how much of a failed log is read for a diagnosis: the
// errors that end a build are near its end.
const logTail = 4 << 20

// diagnose reads the end of a failed build's log for causes the recipe
// can fix, and says what to do, naming the recipe; "" when it finds none.
func (b *Builder) diagnose(n *plan.Node, logPath string) string {
	log, err := readTail(logPath, logTail)
	if err != nil {
		return ""
	}
	var out []string
	for _, m := range MissingPackages(log) {
		out = append(out, b.explainMissing(n, m))
	}
	out = append(out, explainDuplicates(n, DuplicateSymbols(log))...)
	return strings.Join(out, "\n")
}

func readTail(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > n {
		if _, err := f.Seek(-n, io.SeekEnd); err != nil {
			return nil, err
		}
	}
	return io.ReadAll(f)
}

// explainMissing says which recipe to add to [deps] libs for a package
// pkg-config did not find: an input of the node that holds the .pc file,
// else a store entry that does, else a recipe of that name.
func (b *Builder) explainMissing(n *plan.Node, m Missing) string {
	file := n.Recipe.File
	pc := m.Name + ".pc"
	if m.RequiredBy != "" {
		who := b.provider(pc)
		if who == "" && contains(b.Recipes, m.Name) {
			who = m.Name
		}
		if who == "" {
			who = "the recipe that installs " + pc
		}
		return fmt.Sprintf("%s: pkg-config found %s.pc, which requires %s, and found no %s: add %s to [deps] libs of the recipe that installs %s.pc (libs reach whatever links it), or of %s",
			file, m.RequiredBy, m.Name, pc, who, m.RequiredBy, file)
	}
	for _, d := range inputs(n) {
		if !hasPC(b.path(d.Base()), pc) {
			continue
		}
		if contains(n.Recipe.Deps.Libs, d.Name) {
			return fmt.Sprintf("%s: pkg-config did not find %s, though %s holds it and is in [deps] libs: the build's template does not point PKG_CONFIG_PATH at its libs",
				file, pc, d.Name)
		}
		return fmt.Sprintf("%s: pkg-config was asked for %s, which %s installs: add %s to [deps] libs of %s (pkg-config searches libs only)",
			file, m.Name, d.Name, d.Name, file)
	}
	if p := b.provider(pc); p != "" {
		return fmt.Sprintf("%s: pkg-config was asked for %s, which %s installs: add %s to [deps] libs of %s",
			file, m.Name, p, p, file)
	}
	if contains(b.Recipes, m.Name) {
		return fmt.Sprintf("%s: pkg-config was asked for %s: add %s to [deps] libs of %s", file, m.Name, m.Name, file)
	}
	hint := ""
	if c := recipe.Closest(m.Name, b.Recipes, 3); len(c) > 0 {
		hint = " (recipes with close names: " + strings.Join(c, ", ") + ")"
	}
	return fmt.Sprintf("%s: pkg-config was asked for %s, and no recipe is called that%s: add the recipe that installs lib/pkgconfig/%s to [deps] libs of %s",
		file, m.Name, hint, pc, file)
}

func hasPC(dir, pc string) bool {
	for _, sub := range []string{"lib/pkgconfig", "share/pkgconfig"} {
		if _, err := os.Stat(filepath.Join(dir, sub, pc)); err == nil {
			return true
		}
	}
	return false
}

// provider is the name of a store entry holding pc, newest name first in
// sort order for a stable answer; "" when none does.
func (b *Builder) provider(pc string) string {
	var names []string
	for _, s := range []*store.Store{b.Store, b.Inputs} {
		if s == nil {
			continue
		}
		bases, err := s.Entries()
		if err != nil {
			continue
		}
		for _, base := range bases {
			if hasPC(s.Path(base), pc) {
				names = append(names, store.EntryName(base))
			}
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// explainDuplicates names the two packages behind each duplicate symbol,
// one line per pair with every symbol they share.
func explainDuplicates(n *plan.Node, dups []Duplicate) []string {
	byPair := map[string][]string{}
	var pairs []string
	for _, d := range dups {
		if len(d.Defs) < 2 {
			continue
		}
		a, b := owner(n, d.Defs[0]), owner(n, d.Defs[1])
		pair := a + " and " + b
		if a == b {
			pair = a + " twice"
		}
		if _, ok := byPair[pair]; !ok {
			pairs = append(pairs, pair)
		}
		if !contains(byPair[pair], d.Symbol) {
			byPair[pair] = append(byPair[pair], d.Symbol)
		}
	}
	var out []string
	for _, p := range pairs {
		syms := byPair[p]
		what := strings.Join(syms, ", ")
		if len(syms) > 5 {
			what = fmt.Sprintf("%s and %d more", strings.Join(syms[:5], ", "), len(syms)-5)
		}
		verb := "both define"
		if strings.HasSuffix(p, " twice") {
			verb = "defines"
		}
		out = append(out, fmt.Sprintf("%s: %s %s %s: rename it in one of them (see recipes/README.md, symbol renaming)", n.Recipe.File, p, verb, what))
	}
	return out
}

// owner is the package a definition comes from: the input whose store
// path holds it, or this package's own objects.
func owner(n *plan.Node, def string) string {
	rest, ok := strings.CutPrefix(def, plan.StoreDir+"/")
	if !ok {
		return "this package (" + def + ")"
	}
	base, _, _ := strings.Cut(rest, "/")
	for _, d := range inputs(n) {
		if d.Base() == base {
			return d.Name
		}
	}
	return store.EntryName(base)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
