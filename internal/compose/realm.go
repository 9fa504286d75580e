// Package compose turns a profile's runtime closure into a realm (a tree of
// links into the packages, plus the profile's /etc) and the realm into the
// root tree an image holds.
package compose

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/policy"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/store"
)

// Realm is a composed system: which packages it links and its store entry.
type Realm struct {
	Base     string       // store entry name
	Packages []*plan.Node // runtime closure, kernel left out, in link order
	Kernel   *plan.Node
}

// Out is the realm's path inside images.
func (r *Realm) Out() string { return plan.StoreDir + "/" + r.Base }

// linked are the package directories merged into the realm. A package's
// etc/ is linked too, and then copied into the image's real /etc.
var linked = []string{"bin", "sbin", "lib", "libexec", "share", "etc", "include"}

// Packages returns the profile's runtime closure for one target in link
// order: the profile's packages as listed, each followed by what it needs
// at run time, then extras such as runit; later ones shadow earlier ones.
// The kernel goes to the ESP and -kernel, never into the root.
func Packages(pl *plan.Plan, prof *profile.Profile, arch string) ([]*plan.Node, *plan.Node) {
	var out []*plan.Node
	var kernel *plan.Node
	seen := map[*plan.Node]bool{}
	for _, r := range pl.Roots[arch] {
		if r.Name == prof.Kernel {
			kernel = r
			continue
		}
		for _, n := range plan.Closure([]*plan.Node{r}) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out, kernel
}

// MakeRealm writes the realm entry for prof into the store (or finds it
// there). Its name hashes the packages' store names and the generated
// files, so the same inputs always give the same realm.
func MakeRealm(s *store.Store, pl *plan.Plan, prof *profile.Profile, arch string, epoch int64) (*Realm, error) {
	pkgs, kernel := Packages(pl, prof, arch)
	links, err := linkFarm(s, pkgs)
	if err != nil {
		return nil, err
	}
	if prof.Init == "runit" {
		var runit *plan.Node
		for _, p := range pkgs {
			if p.Name == "runit" {
				runit = p
			}
		}
		if runit == nil {
			return nil, fmt.Errorf("%s: init = \"runit\" but no runit package in the closure", prof.File)
		}
		links["sbin/init"] = runit.Out() + "/sbin/runit-init"
	}
	gen, genLinks, err := generatedEtc(s, prof, links)
	if err != nil {
		return nil, err
	}
	for p, target := range genLinks {
		links[p] = target
	}
	var enc bytes.Buffer
	fmt.Fprintf(&enc, "realm-3 %s %s\n", prof.Name, arch)
	for _, p := range sortedKeys(links) {
		fmt.Fprintf(&enc, "l %q %q\n", p, links[p])
	}
	for _, p := range sortedKeys(gen) {
		fmt.Fprintf(&enc, "f %q %q\n", p, gen[p])
	}
	r := &Realm{Base: plan.Digest(enc.Bytes()) + "-realm-" + prof.Name + "-" + arch, Packages: pkgs, Kernel: kernel}
	txn, err := s.Begin(r.Base)
	if err != nil {
		return nil, err
	}
	if txn.Done() {
		txn.Abort()
		return r, nil
	}
	if err := writeRealm(txn.Out, links, gen); err != nil {
		txn.Abort()
		return nil, err
	}
	// The realm is written by this process, not a sandbox, so its modes
	// would follow the caller's umask; the policy seals it like any output.
	if err := policy.Apply(txn.Out, policy.Options{Epoch: epoch}); err != nil {
		txn.Abort()
		return nil, err
	}
	m := store.Manifest{Name: "realm-" + prof.Name, Version: arch, Out: r.Out(), Target: arch, Stage: "image"}
	for _, p := range pkgs {
		m.Runtime = append(m.Runtime, p.Base())
	}
	if err := txn.Commit(m); err != nil {
		return nil, err
	}
	return r, nil
}

// linkFarm maps realm paths to the store paths of the packages' files.
// Later packages shadow earlier ones, as a user listing them expects.
func linkFarm(s *store.Store, pkgs []*plan.Node) (map[string]string, error) {
	links := map[string]string{}
	for _, p := range pkgs {
		host := s.Path(p.Base())
		if !s.Has(p.Base()) {
			return nil, fmt.Errorf("%s is not in the store: build the profile first", p.Out())
		}
		for _, top := range linked {
			root := filepath.Join(host, top)
			if _, err := os.Lstat(root); err != nil {
				continue
			}
			err := filepath.WalkDir(root, func(hp string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.IsDir() {
					return nil
				}
				rel, _ := filepath.Rel(host, hp)
				links[filepath.ToSlash(rel)] = p.Out() + "/" + filepath.ToSlash(rel)
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return links, nil
}

func writeRealm(dir string, links, gen map[string]string) error {
	for _, p := range sortedKeys(links) {
		if _, ok := gen[p]; ok {
			continue
		}
		dst := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Symlink(links[p], dst); err != nil {
			return err
		}
	}
	for _, p := range sortedKeys(gen) {
		dst := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, []byte(gen[p]), 0o644); err != nil {
			return err
		}
	}
	// MkdirAll and WriteFile honour the umask; the realm must not, so one
	// pass sets every mode.
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir():
			return os.Chmod(p, 0o755)
		case d.Type().IsRegular():
			return os.Chmod(p, 0o644)
		}
		return nil
	})
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// readLinked returns the content of a realm file that is a link into a
// package, resolved on the host, and "" when no package ships it.
func readLinked(s *store.Store, links map[string]string, p string) (string, error) {
	target, ok := links[p]
	if !ok {
		return "", nil
	}
	rel := strings.TrimPrefix(target, plan.StoreDir+"/")
	data, err := os.ReadFile(filepath.Join(s.Dir, rel))
	if err != nil {
		return "", fmt.Errorf("/%s, shipped as %s: %w", p, target, err)
	}
	return string(data), nil
}
