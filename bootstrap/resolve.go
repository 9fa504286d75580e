package bootstrap

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// Apt answers questions about the host's package archive as apt is
// configured. Its zero value runs apt-cache for the host architecture.
type Apt struct {
	Arch string // Debian architecture, amd64 when empty
	// run executes a command and returns stdout; tests replace it.
	run func(ctx context.Context, name string, args ...string) ([]byte, error)

	show  map[string]*record
	provs map[string][]string
}

// record is the part of an apt-cache stanza the closure needs.
type record struct {
	Entry
	Depends    string
	PreDepends string
}

func (a *Apt) arch() string {
	if a.Arch == "" {
		return "amd64"
	}
	return a.Arch
}

func (a *Apt) exec(ctx context.Context, name string, args ...string) ([]byte, error) {
	if a.run != nil {
		return a.run(ctx, name, args...)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// candidate is the version apt would install of a real package, or nil
// when name is purely virtual or unknown.
func (a *Apt) candidate(ctx context.Context, name string) (*record, error) {
	if err := a.prefetch(ctx, []string{name}); err != nil {
		return nil, err
	}
	return a.show[name], nil
}

// prefetch asks apt-cache about every name not yet known in one call:
// apt-cache spends most of its time loading its cache, not answering.
func (a *Apt) prefetch(ctx context.Context, names []string) error {
	if a.show == nil {
		a.show = map[string]*record{}
	}
	args := []string{"show", "--no-all-versions"}
	var ask []string
	for _, n := range names {
		if _, ok := a.show[n]; !ok {
			ask = append(ask, n)
			args = append(args, n+":"+a.arch())
		}
	}
	if len(ask) == 0 {
		return nil
	}
	out, err := a.exec(ctx, "apt-cache", args...)
	if err != nil {
		return err
	}
	for _, st := range bytes.Split(out, []byte("\n\n")) {
		if len(bytes.TrimSpace(st)) == 0 {
			continue
		}
		r, err := parseStanza(st)
		if err != nil {
			return fmt.Errorf("apt-cache show: %w", err)
		}
		a.show[r.Name] = r
	}
	// Names with no stanza are virtual or unknown.
	for _, n := range ask {
		if _, ok := a.show[n]; !ok {
			a.show[n] = nil
		}
	}
	return nil
}

// parseStanza reads one stanza of apt-cache show output.
func parseStanza(out []byte) (*record, error) {
	r := &record{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		switch k {
		case "Package":
			r.Name = v
		case "Version":
			r.Version = v
		case "Architecture":
			r.Arch = v
		case "SHA256":
			r.SHA256 = v
		case "Size":
			r.Size, _ = strconv.ParseInt(v, 10, 64)
		case "Depends":
			r.Depends = v
		case "Pre-Depends":
			r.PreDepends = v
		}
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

// providers lists the real packages that provide a virtual name, sorted.
func (a *Apt) providers(ctx context.Context, name string) ([]string, error) {
	if err := a.prefetchProviders(ctx, []string{name}); err != nil {
		return nil, err
	}
	return a.provs[name], nil
}

// prefetchProviders reads the providers of every name not yet known, in
// one apt-cache showpkg call.
func (a *Apt) prefetchProviders(ctx context.Context, names []string) error {
	if a.provs == nil {
		a.provs = map[string][]string{}
	}
	args := []string{"showpkg"}
	for _, n := range names {
		if _, ok := a.provs[n]; !ok {
			args = append(args, n)
			a.provs[n] = nil
		}
	}
	if len(args) == 1 {
		return nil
	}
	out, err := a.exec(ctx, "apt-cache", args...)
	if err != nil {
		return err
	}
	for pkg, ps := range parseShowpkg(string(out), a.arch()) {
		a.provs[pkg] = ps
	}
	return nil
}

// parseShowpkg maps each package of apt-cache showpkg output to the sorted
// native-architecture providers under its "Reverse Provides:".
func parseShowpkg(out, arch string) map[string][]string {
	res := map[string][]string{}
	pkg, in := "", false
	for _, line := range strings.Split(out, "\n") {
		if p, ok := strings.CutPrefix(line, "Package: "); ok {
			pkg, in = strings.TrimSpace(p), false
			continue
		}
		if strings.HasPrefix(line, "Reverse Provides:") {
			in = true
			continue
		}
		f := strings.Fields(line)
		if !in || pkg == "" || len(f) == 0 {
			continue
		}
		p := f[0]
		if n, a, ok := strings.Cut(p, ":"); ok {
			if a != arch {
				continue
			}
			p = n
		}
		res[pkg] = append(res[pkg], p)
	}
	for k, ps := range res {
		sort.Strings(ps)
		res[k] = dedupe(ps)
	}
	return res
}

func dedupe(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// depNames splits a Depends field into groups of alternative package
// names, dropping version constraints, architecture qualifiers (":any")
// and restriction lists.
func depNames(field string) [][]string {
	var groups [][]string
	for _, g := range strings.Split(field, ",") {
		var alts []string
		for _, alt := range strings.Split(g, "|") {
			alt = strings.TrimSpace(alt)
			if i := strings.IndexAny(alt, " ([<"); i >= 0 {
				alt = alt[:i]
			}
			alt, _, _ = strings.Cut(alt, ":")
			if alt != "" {
				alts = append(alts, alt)
			}
		}
		if len(alts) > 0 {
			groups = append(groups, alts)
		}
	}
	return groups
}

// warm fetches in a few calls what pick will ask about names: their
// candidates, the providers of the virtual ones and those providers'
// candidates.
func (a *Apt) warm(ctx context.Context, names []string) error {
	if err := a.prefetch(ctx, names); err != nil {
		return err
	}
	var virtual []string
	for _, n := range names {
		if a.show[n] == nil {
			virtual = append(virtual, n)
		}
	}
	if len(virtual) == 0 {
		return nil
	}
	if err := a.prefetchProviders(ctx, virtual); err != nil {
		return err
	}
	var ps []string
	for _, v := range virtual {
		ps = append(ps, a.provs[v]...)
	}
	return a.prefetch(ctx, ps)
}

// Closure resolves the wanted packages and everything they Depend or
// Pre-Depend on, as apt's candidates: of alternatives the first one that
// can be installed, of a virtual package a provider already chosen or else
// the first by name. Version constraints are not checked: the candidates
// come from one release and fit each other.
func (a *Apt) Closure(ctx context.Context, wanted []string) ([]Entry, error) {
	chosen := map[string]*record{}
	var queue []string
	queued := map[string]bool{}
	add := func(name string) {
		if !queued[name] {
			queued[name] = true
			queue = append(queue, name)
		}
	}
	for _, w := range wanted {
		add(w)
	}
	// pick chooses a real package for one dependency group.
	pick := func(alts []string) (string, error) {
		for _, alt := range alts {
			if queued[alt] && a.show[alt] != nil {
				return alt, nil
			}
			r, err := a.candidate(ctx, alt)
			if err != nil {
				return "", err
			}
			if r != nil {
				return r.Name, nil
			}
			ps, err := a.providers(ctx, alt)
			if err != nil {
				return "", err
			}
			for _, p := range ps {
				if queued[p] && a.show[p] != nil {
					return p, nil
				}
			}
			for _, p := range ps {
				if r, err := a.candidate(ctx, p); err == nil && r != nil {
					return p, nil
				}
			}
		}
		return "", fmt.Errorf("nothing installable for %s", strings.Join(alts, " | "))
	}
	for len(queue) > 0 {
		level := queue
		queue = nil
		if err := a.warm(ctx, level); err != nil {
			return nil, err
		}
		var deps []string
		for _, name := range level {
			if r := a.show[name]; r != nil {
				for _, g := range append(depNames(r.PreDepends), depNames(r.Depends)...) {
					deps = append(deps, g...)
				}
			}
		}
		if err := a.warm(ctx, deps); err != nil {
			return nil, err
		}
		for _, name := range level {
			r, err := a.candidate(ctx, name)
			if err != nil {
				return nil, err
			}
			if r == nil {
				p, err := pick([]string{name})
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				if p != name {
					add(p)
				}
				continue
			}
			chosen[name] = r
			for _, g := range append(depNames(r.PreDepends), depNames(r.Depends)...) {
				p, err := pick(g)
				if err != nil {
					return nil, fmt.Errorf("%s depends on %w", name, err)
				}
				add(p)
			}
		}
	}
	var out []Entry
	for _, r := range chosen {
		out = append(out, r.Entry)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
