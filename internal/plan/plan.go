// Package plan expands a profile into a graph of build nodes, renders each
// node's script and names its output by a hash of everything it depends on.
package plan

import (
	"fmt"
	"sort"
	"strings"

	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/recipe"
)

// Node is one rendered build of one recipe for one target.
type Node struct {
	Name      string
	Version   string
	Recipe    *recipe.Recipe // with the target's overrides applied
	Target    recipe.Target
	Stage     string
	Toolchain string
	Seed      bool // the sandbox gets the seed
	Sources   []recipe.Source
	Patches   []Patch // applied to /build/src in order, before the script
	Options   map[string]any
	Deps      []*Node // build inputs: tools, libs and the stage's implicit ones
	Compiler  *Node   // the toolchain's compiler, one of Deps; nil for the seed's clang
	// Bin, for a node without the seed, is the dependency whose bin/ is
	// the sandbox's /bin and /usr/bin (the stage's first seedless package).
	Bin     *Node
	Runtime []*Node // installed with this node in images
	// Libs are the libraries linked for the node's target: its [deps]
	// libs, then theirs, transitively, each once. Outside the toolchain
	// stage they are build inputs, and the template passes their headers,
	// archives and .pc files to the build (CPPFLAGS, LDFLAGS, pkg-config).
	Libs []*Node
	// HostLibs are libraries for the build host that a seedless stage
	// provides for the build's own helper programs (objtool's libelf).
	HostLibs []*Node
	Script   string
	Hash     string
	Cached   bool
}

// ID names a node uniquely within a plan: name@arch, and the toolchain
// after a slash when it is not the seed's, since one recipe may be built by
// several toolchains in one plan (llvm is).
func (n *Node) ID() string { return nodeID(n.Name, n.Target.Arch, n.Toolchain) }

func nodeID(name, arch, toolchain string) string {
	if toolchain == SeedToolchain || toolchain == "" {
		return name + "@" + arch
	}
	return name + "@" + arch + "/" + toolchain
}

// Base is the store entry's directory name.
func (n *Node) Base() string { return n.Hash + "-" + n.Name + "-" + n.Version }

// Out is the node's path inside sandboxes and images.
func (n *Node) Out() string { return StoreDir + "/" + n.Base() }

// Plan is a whole graph, nodes in build order (dependencies first).
type Plan struct {
	Nodes []*Node
	// Roots are the profile's packages per target, in profile order.
	Roots map[string][]*Node
	// Targets are the planned architectures in the profile's order.
	Targets []string
}

// Config is what the planner reads besides the profile.
type Config struct {
	Repo     *recipe.Repo
	Stages   *Stages
	SeedHash string // content hash of the seed lock; part of every seed-stage node
	// Toolchain, when set, replaces the profile's choice of compiler.
	Toolchain string
}

type planner struct {
	cfg      Config
	prof     *profile.Profile
	render   *recipe.Renderer
	nodes    map[string]*Node
	order    []*Node
	visiting []string
}

// ForProfile plans every package of prof for each of targets (the profile's
// own targets when none are given). Host-side nodes are shared.
func ForProfile(cfg Config, prof *profile.Profile, targets ...string) (*Plan, error) {
	if len(targets) == 0 {
		targets = prof.Targets
	}
	return build(cfg, prof, targets, RootNames(prof))
}

// ForPackages plans the named packages alone, with an empty profile.
func ForPackages(cfg Config, target string, names ...string) (*Plan, error) {
	prof := &profile.Profile{Name: "packages", Toolchain: "seed", Targets: []string{target}}
	return build(cfg, prof, []string{target}, names)
}

// RootNames lists the packages a profile asks for, plus runit when it is the init.
func RootNames(prof *profile.Profile) []string {
	names := append([]string(nil), prof.Packages...)
	if prof.Init == "runit" && !containsString(names, "runit") {
		names = append(names, "runit")
	}
	if prof.Kernel != "" && !containsString(names, prof.Kernel) {
		names = append(names, prof.Kernel)
	}
	return names
}

func build(cfg Config, prof *profile.Profile, targets, names []string) (*Plan, error) {
	r, err := recipe.NewRenderer(cfg.Repo)
	if err != nil {
		return nil, err
	}
	p := &planner{cfg: cfg, prof: prof, render: r, nodes: map[string]*Node{}}
	tc := prof.Toolchain
	if cfg.Toolchain != "" {
		tc = cfg.Toolchain
	}
	if tc == "" {
		tc = SeedToolchain
	}
	if _, err := cfg.Stages.GetToolchain(tc); err != nil {
		if cfg.Toolchain != "" {
			return nil, fmt.Errorf("--toolchain: %w", err)
		}
		return nil, fmt.Errorf("%s: toolchain: %w", prof.File, err)
	}
	out := &Plan{Roots: map[string][]*Node{}, Targets: targets}
	for _, t := range targets {
		for _, name := range names {
			n, err := p.visit(name, t, tc, "profile "+prof.File)
			if err != nil {
				return nil, err
			}
			out.Roots[t] = append(out.Roots[t], n)
		}
	}
	out.Nodes = p.order
	return out, nil
}

// visit plans name for arch, built by toolchain tc unless the recipe's
// stage fixes another.
func (p *planner) visit(name, arch, tc, from string) (*Node, error) {
	base, err := p.cfg.Repo.Get(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", from, err)
	}
	rc := base.ForTarget(arch)
	st, err := p.cfg.Stages.Get(rc.StageName())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rc.File, err)
	}
	if st.Toolchain != "" {
		tc = st.Toolchain
	}
	id := nodeID(name, arch, tc)
	if n, ok := p.nodes[id]; ok {
		return n, nil
	}
	for i, v := range p.visiting {
		if v == id {
			cycle := append(append([]string(nil), p.visiting[i:]...), id)
			return nil, fmt.Errorf("dependency cycle: %s", strings.Join(cycle, " -> "))
		}
	}
	p.visiting = append(p.visiting, id)
	defer func() { p.visiting = p.visiting[:len(p.visiting)-1] }()

	tgt, err := TargetFor(arch)
	if err != nil {
		return nil, err
	}
	srcs, err := p.cfg.Repo.SourcesOf(rc, arch)
	if err != nil {
		return nil, err
	}
	patches, err := readPatches(rc)
	if err != nil {
		return nil, err
	}
	n := &Node{
		Name: rc.Name, Version: rc.Version, Recipe: rc, Target: tgt,
		Stage: st.Name, Toolchain: tc, Seed: st.Seed,
		Sources: srcs, Patches: patches, Options: recipe.MergeOptions(rc.Options, p.options(rc.Name)),
	}
	if p.prof.Kernel == rc.Name && len(p.prof.KernelConfig) > 0 {
		n.Options["kernel_config"] = append([]string(nil), p.prof.KernelConfig...)
	}
	add := func(list []string, depArch string, into *[]*Node) error {
		for _, d := range list {
			if d == rc.Name && depArch == arch {
				// A stage's implicit package does not depend on itself. The
				// same recipe for another arch is another node: a cross
				// build may run its build host's copy (ncurses' tic).
				continue
			}
			dn, err := p.visit(d, depArch, tc, rc.File)
			if err != nil {
				return err
			}
			if !containsNode(*into, dn) {
				*into = append(*into, dn)
			}
		}
		return nil
	}
	if err := add(rc.Deps.Tools, Host, &n.Deps); err != nil {
		return nil, err
	}
	if err := add(rc.Deps.Libs, arch, &n.Deps); err != nil {
		return nil, err
	}
	if st.Name != "toolchain" {
		// The toolchain stage wires its few inputs by hand (--sysroot,
		// -isystem); everywhere else libraries flow, with their own.
		n.Libs = libClosure(n.Deps, rc.Deps.Libs)
	}
	// A freestanding build (the kernel) needs a compiler, not cc's musl
	// sysroot, and need not wait for one to be built.
	if !rc.Freestanding {
		if err := add(st.Implicit, arch, &n.Deps); err != nil {
			return nil, err
		}
	}
	if rc.CXX {
		if err := add(st.ImplicitCXX, arch, &n.Deps); err != nil {
			return nil, err
		}
	}
	if err := p.dropSeed(n, st, add); err != nil {
		return nil, err
	}
	if err := add(rc.Deps.Runtime, arch, &n.Runtime); err != nil {
		return nil, err
	}
	if err := p.addCompiler(n, rc.File); err != nil {
		return nil, err
	}
	if err := p.finish(n); err != nil {
		return nil, err
	}
	p.nodes[id] = n
	p.order = append(p.order, n)
	return n, nil
}

// libClosure is the nodes named by libs among deps, each followed by its
// own Libs: the order a linker wants, each library once, first place kept.
func libClosure(deps []*Node, libs []string) []*Node {
	var out []*Node
	seen := map[*Node]bool{}
	for _, name := range libs {
		for _, d := range deps {
			if d.Name != name {
				continue
			}
			for _, l := range append([]*Node{d}, d.Libs...) {
				if !seen[l] {
					seen[l] = true
					out = append(out, l)
				}
			}
			break
		}
	}
	return out
}

// Inputs are what the node's sandbox is given besides what they need at
// run time: its dependencies and, transitively, the libraries it links
// (and, under a seedless toolchain, those its host programs link).
// A library's own libraries are not in Deps, so not in the node's hash
// encoding: the direct library's hash covers them already, and a chain
// of n libraries would otherwise cost n² lines to hash.
func (n *Node) Inputs() []*Node {
	if len(n.Libs) == 0 && len(n.HostLibs) == 0 {
		return n.Deps
	}
	out := append([]*Node(nil), n.Deps...)
	for _, l := range append(append([]*Node(nil), n.Libs...), n.HostLibs...) {
		if !containsNode(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// dropSeed takes the seed away from n when its toolchain is seedless and
// its stage says what replaces the seed: those packages, built for the
// build host, join its inputs, and the first one provides /bin.
func (p *planner) dropSeed(n *Node, st Stage, add func([]string, string, *[]*Node) error) error {
	t, err := p.cfg.Stages.GetToolchain(n.Toolchain)
	if err != nil || !t.Seedless || len(st.SeedlessImplicit) == 0 {
		return err
	}
	if err := add(st.SeedlessImplicit, Host, &n.Deps); err != nil {
		return err
	}
	if err := add(st.SeedlessLibs, Host, &n.Deps); err != nil {
		return err
	}
	// Their own libraries come with them (libelf's zlib), built as they
	// were planned: the same closure the libs of a recipe get, inputs
	// like Libs but not hashed deps.
	n.HostLibs = libClosure(n.Deps, st.SeedlessLibs)
	// Planned already by add, so this only looks it up.
	bin, err := p.visit(st.SeedlessImplicit[0], Host, n.Toolchain, n.Recipe.File)
	if err != nil {
		return err
	}
	n.Bin, n.Seed = bin, false
	return nil
}

// addCompiler makes a node built by a toolchain other than the seed's
// depend on that toolchain's compiler, built in turn by the toolchain
// before it. Its bin/ comes before the seed's /usr/bin in the sandbox's
// PATH, so clang, ld.lld and llvm-ar are the chosen ones.
func (p *planner) addCompiler(n *Node, from string) error {
	t, err := p.cfg.Stages.GetToolchain(n.Toolchain)
	if err != nil || t.Compiler == "" {
		return err
	}
	c, err := p.visit(t.Compiler, Host, t.BuiltBy, from)
	if err != nil {
		return err
	}
	if !containsNode(n.Deps, c) {
		n.Deps = append(n.Deps, c)
	}
	n.Compiler = c
	return nil
}

func (p *planner) options(name string) map[string]any {
	if p.prof.Options == nil {
		return nil
	}
	return p.prof.Options[name]
}

// finish renders the script and takes the hash. The script is rendered with
// a placeholder for the node's own path, hashed, then the placeholder is
// replaced by the real path, as Nix does for self-references.
func (p *planner) finish(n *Node) error {
	host, _ := TargetFor(Host)
	deps := map[string]string{}
	for _, d := range n.Deps {
		// The first of a name wins: a cross node's own cc comes before the
		// build host's cc a seedless stage adds.
		if _, ok := deps[d.Name]; !ok {
			deps[d.Name] = d.Out()
		}
	}
	compiler := ""
	if n.Compiler != nil {
		compiler = n.Compiler.Out()
	}
	ph := placeholder(n.Name, n.Version)
	script, err := p.render.Render(n.Recipe, recipe.Context{
		Name: n.Name, Version: n.Version, Out: ph, Stage: n.Stage,
		Target: n.Target, Host: host, Deps: deps, Options: n.Options, Compiler: compiler,
		Seed: n.Seed, Libs: outs(n.Libs), HostLibs: outs(n.HostLibs),
	})
	if err != nil {
		return err
	}
	seed := "-"
	if n.Seed {
		seed = p.cfg.SeedHash
	}
	n.Hash = Digest(n.encode(script, seed))
	n.Script = strings.ReplaceAll(script, ph, n.Out())
	return nil
}

func outs(ns []*Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Out())
	}
	return out
}

// Closure returns roots and everything they need at run time, sorted by ID.
func Closure(roots []*Node) []*Node {
	seen := map[*Node]bool{}
	var out []*Node
	var walk func(n *Node)
	walk = func(n *Node) {
		if seen[n] {
			return
		}
		seen[n] = true
		out = append(out, n)
		for _, r := range n.Runtime {
			walk(r)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out
}

// Find returns the first node called name (optionally name@arch).
func (pl *Plan) Find(name string) *Node {
	for _, n := range pl.Nodes {
		if n.Name == name || n.ID() == name {
			return n
		}
	}
	return nil
}

// Why returns one dependency path from a profile root to the node called name.
func (pl *Plan) Why(name string) []*Node {
	seen := map[*Node]bool{}
	var path []*Node
	var dfs func(n *Node) bool
	dfs = func(n *Node) bool {
		if seen[n] {
			return false
		}
		seen[n] = true
		path = append(path, n)
		if n.Name == name || n.ID() == name {
			return true
		}
		for _, d := range append(append([]*Node(nil), n.Deps...), n.Runtime...) {
			if dfs(d) {
				return true
			}
		}
		path = path[:len(path)-1]
		return false
	}
	for _, a := range pl.Targets {
		for _, r := range pl.Roots[a] {
			if dfs(r) {
				return path
			}
		}
	}
	return nil
}

func containsNode(list []*Node, n *Node) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
