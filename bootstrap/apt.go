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

	// versions holds every version of a real package that the archive
	// serves, best first (see prefer); nil for a virtual or unknown name.
	versions map[string][]*record
	provs    map[string][]string
}

// record is one version of a package, as much as resolving needs.
type record struct {
	Entry
	Suites     []string // the suites serving it: bookworm, bookworm-security...
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

// load asks apt about every name not yet known, in one apt-cache show
// (every version) and one apt-cache madison (which suite serves which
// version): apt-cache spends most of its time loading its cache.
func (a *Apt) load(ctx context.Context, names []string) error {
	if a.versions == nil {
		a.versions = map[string][]*record{}
	}
	var ask []string
	seen := map[string]bool{}
	for _, n := range names {
		if _, ok := a.versions[n]; !ok && !seen[n] {
			seen[n] = true
			ask = append(ask, n)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	sort.Strings(ask)
	args := []string{"show"}
	for _, n := range ask {
		args = append(args, n+":"+a.arch())
	}
	out, err := a.exec(ctx, "apt-cache", args...)
	if err != nil {
		return err
	}
	mad, err := a.exec(ctx, "apt-cache", append([]string{"madison"}, ask...)...)
	if err != nil {
		return err
	}
	suites := parseMadison(string(mad))
	for _, st := range bytes.Split(out, []byte("\n\n")) {
		if len(bytes.TrimSpace(st)) == 0 {
			continue
		}
		r := parseStanza(st)
		// A version no archive serves (only dpkg's status knows it, or a
		// backport) cannot be downloaded: leave it out.
		r.Suites = suites[r.Name+" "+r.Version]
		if len(r.Suites) == 0 {
			continue
		}
		if err := r.check(); err != nil {
			return fmt.Errorf("apt-cache show: %w", err)
		}
		a.versions[r.Name] = append(a.versions[r.Name], r)
	}
	for _, n := range ask {
		vs := a.versions[n]
		sort.SliceStable(vs, func(i, j int) bool { return prefer(vs[i], vs[j]) })
		a.versions[n] = vs // nil for virtual and unknown names
	}
	return nil
}

// prefer orders versions: the release's base suite first (it changes only
// at point releases, so a pin there lives for months), then the updates
// and security suites; newest first within each.
func prefer(x, y *record) bool {
	if bx, by := x.base(), y.base(); bx != by {
		return bx
	}
	return CompareVersions(x.Version, y.Version) > 0
}

// base reports whether the release's base suite (bookworm, not
// bookworm-security or bookworm-updates) serves this version.
func (r *record) base() bool {
	for _, s := range r.Suites {
		if !strings.Contains(s, "-") {
			return true
		}
	}
	return false
}

// parseMadison maps "name version" to the suites whose binary Packages
// index lists it. Source lines and backports are left out.
func parseMadison(out string) map[string][]string {
	res := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, "|")
		if len(f) != 3 {
			continue
		}
		name, version := strings.TrimSpace(f[0]), strings.TrimSpace(f[1])
		where := strings.Fields(f[2])
		if len(where) < 3 || where[len(where)-1] != "Packages" {
			continue
		}
		suite, _, _ := strings.Cut(where[1], "/")
		if strings.HasSuffix(suite, "-backports") {
			continue
		}
		k := name + " " + version
		res[k] = append(res[k], suite)
	}
	return res
}

// parseStanza reads one stanza of apt-cache show output.
func parseStanza(out []byte) *record {
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
	return r
}

// providers lists the real packages that provide a virtual name, sorted.
func (a *Apt) providers(ctx context.Context, name string) ([]string, error) {
	if err := a.loadProviders(ctx, []string{name}); err != nil {
		return nil, err
	}
	return a.provs[name], nil
}

// loadProviders reads the providers of every name not yet known, in one
// apt-cache showpkg call.
func (a *Apt) loadProviders(ctx context.Context, names []string) error {
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

// warm loads in a few calls what resolving names will ask about: their
// versions, the providers of the virtual ones and those providers'
// versions.
func (a *Apt) warm(ctx context.Context, names []string) error {
	if err := a.load(ctx, names); err != nil {
		return err
	}
	var virtual []string
	for _, n := range names {
		if a.versions[n] == nil {
			virtual = append(virtual, n)
		}
	}
	if len(virtual) == 0 {
		return nil
	}
	if err := a.loadProviders(ctx, virtual); err != nil {
		return err
	}
	var ps []string
	for _, v := range virtual {
		ps = append(ps, a.provs[v]...)
	}
	return a.load(ctx, ps)
}
