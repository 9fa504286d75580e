// Package build runs a plan: every node not yet in the store is unpacked,
// built in its sandbox, checked by the output policy and committed.
package build

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/policy"
	"stalix.dev/stalix-build/internal/progress"
	"stalix.dev/stalix-build/internal/report"
	"stalix.dev/stalix-build/internal/sandbox"
	"stalix.dev/stalix-build/internal/sched"
	"stalix.dev/stalix-build/internal/store"
	"stalix.dev/stalix-build/internal/unpack"
)

// DefaultEpoch is SOURCE_DATE_EPOCH when the caller sets none:
// 2023-06-10, the release of Debian bookworm, whose sources we pin.
const DefaultEpoch = 1686355200

// Sources finds a verified source file by its sha256, or the canonical
// archive of a source tree by its tree hash.
type Sources interface {
	Path(sha256 string) string
	TreePath(tree string) string
}

// Builder builds plan nodes into a store.
type Builder struct {
	Store     *store.Store
	Sources   Sources
	Seed      string // host path of the seed entry; needed by nodes with Seed set
	Jobs      int
	KeepGoing bool
	Epoch     int64
	// View, when set, makes the observer that shows progress for a run.
	View func(p *sched.Plan) View
	// Inputs, when set, is a second store that may hold a node's inputs:
	// a check rebuilds into a fresh store while reading inputs from the
	// main one.
	Inputs *store.Store
	// Hostname is what builds see; tests of reproducibility vary the
	// outside, never this.
	Hostname string
	// Recipes are the recipe names, for suggesting one when a failed
	// build's log shows pkg-config missing a library.
	Recipes []string
	// Record, when set, is given what the run did once it ends, failed
	// runs included: the build summary and report.html come from it.
	Record func(r *report.Run)

	rec *recorder // the run in progress
	// Subst, when set, is asked for missing nodes before they are built
	// (Substitute); Progress gets its lines.
	Subst       Substituter
	Progress    io.Writer
	substituted map[string]bool // IDs fetched from caches by Substitute
}

// View is told what the scheduler does and closed when the run ends.
type View interface {
	sched.Observer
	Close() error
}

// substitutedCounter is a view that counts the nodes substituted before
// the run apart from the ones it builds (progress.View does).
type substitutedCounter interface{ Substituted(n int) }

// Failure is one failed node with where to read its log.
type Failure struct {
	Node *plan.Node
	Err  error
	Log  string
}

// Error lists every failed node.
type Error struct{ Failures []Failure }

func (e *Error) Error() string {
	names := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		names[i] = f.Node.ID()
	}
	return fmt.Sprintf("%d build(s) failed: %s", len(e.Failures), strings.Join(names, ", "))
}

// Report writes each failure with the last lines of its log.
func (e *Error) Report(w io.Writer, lines int) {
	for _, f := range e.Failures {
		progress.Report(w, f.Node.ID(), f.Err, f.Log, lines)
	}
}

// Pending returns the nodes of pl that the store lacks, with everything
// they need, in plan order.
func Pending(pl *plan.Plan, s *store.Store, want []*plan.Node) []*plan.Node {
	need := map[*plan.Node]bool{}
	var mark func(n *plan.Node)
	mark = func(n *plan.Node) {
		if need[n] || s.Has(n.Base()) {
			return
		}
		need[n] = true
		for _, d := range inputs(n) {
			mark(d)
		}
	}
	for _, n := range want {
		mark(n)
		for _, r := range plan.Closure([]*plan.Node{n}) {
			mark(r)
		}
	}
	var out []*plan.Node
	for _, n := range pl.Nodes {
		if need[n] {
			out = append(out, n)
		}
	}
	return out
}

// inputs is what a node's sandbox holds: its build dependencies and what
// they need at run time (a compiler wrapper needs its libc, say).
func inputs(n *plan.Node) []*plan.Node {
	return plan.Closure(n.Inputs())
}

// Run builds nodes (which must be in dependency order) in parallel.
func (b *Builder) Run(ctx context.Context, nodes []*plan.Node) error {
	if len(nodes) == 0 {
		return nil
	}
	if err := b.Store.CleanStale(); err != nil {
		return err
	}
	jobs := b.Jobs
	if jobs < 1 {
		jobs = runtime.NumCPU()
	}
	js, err := sched.New(jobs)
	if err != nil {
		return err
	}
	defer js.Close()
	byID := map[string]*plan.Node{}
	for _, n := range nodes {
		byID[n.ID()] = n
	}
	hist := map[string]time.Duration{}
	for _, s := range []*store.Store{b.Inputs, b.Store} {
		if s != nil {
			for k, d := range s.BuildTimes() {
				hist[k] = d
			}
		}
	}
	var sn []sched.Node
	for _, n := range nodes {
		var deps []string
		for _, d := range inputs(n) {
			if _, ok := byID[d.ID()]; ok || !b.has(d.Base()) {
				deps = append(deps, d.ID())
			}
		}
		sort.Strings(deps)
		sn = append(sn, sched.Node{ID: n.ID(), Deps: deps, Estimate: b.estimate(n, hist)})
	}
	sp, err := sched.NewPlan(sn, 0)
	if err != nil {
		return err
	}
	b.rec = newRecorder(sp)
	view := Views{b.rec}
	if b.View != nil {
		v := b.View(sp)
		if sv, ok := v.(substitutedCounter); ok {
			sv.Substituted(len(b.substituted))
		}
		view = append(view, v)
	}
	o := sched.Options{Jobs: jobs, KeepGoing: b.KeepGoing, Jobserver: js, Observer: view}
	res, err := sched.RunPlan(ctx, sp, o, func(ctx context.Context, id string) error { return b.node(ctx, byID[id], js) })
	// The view's last line comes before the summary the caller prints.
	view.Close()
	if b.Record != nil {
		r := b.rec.run(b.Store, jobs, nodes, b.has)
		for i, n := range r.Nodes {
			if n.Status == report.InStore && b.substituted[n.ID] {
				r.Nodes[i].Status = report.Substituted
			}
		}
		b.Record(r)
	}
	if len(res.Failed) > 0 {
		e := &Error{}
		for _, f := range res.Failed {
			n := byID[f.ID]
			e.Failures = append(e.Failures, Failure{Node: n, Err: f.Err, Log: b.Store.LogPath(n.Base())})
		}
		return e
	}
	return err
}

// has reports whether base is in the store or the input store.
func (b *Builder) has(base string) bool {
	return b.Store.Has(base) || (b.Inputs != nil && b.Inputs.Has(base))
}

// path is where base lives on the host, preferring the store being built.
func (b *Builder) path(base string) string {
	if b.Inputs != nil && !b.Store.Has(base) && b.Inputs.Has(base) {
		return b.Inputs.Path(base)
	}
	return b.Store.Path(base)
}

// estimate is the node's own earlier build time when a check rebuilds it,
// else the newest build of its package for its target (hist), so a new
// hash still gets a sensible guess, else a guess from its sources' size.
func (b *Builder) estimate(n *plan.Node, hist map[string]time.Duration) time.Duration {
	if b.Inputs != nil {
		if m, err := b.Inputs.ReadManifest(n.Base()); err == nil {
			return time.Duration(m.BuildSeconds * float64(time.Second))
		}
	}
	if d, ok := hist[n.ID()]; ok {
		return d
	}
	return b.sizeEstimate(n)
}

// perSourceMB is what a node without history is guessed to take per MB of
// its source files. A cold store has no build times, and without a guess
// every node would weigh the same, so the scheduler would start an image
// tool's 30 s build before the kernel's 4 minutes. Source size ranks them
// (138 MB of kernel, 7 MB of e2fsprogs, 1 MB of musl); 2 s per MB puts the
// kernel near its time on 2 cores, and only the order matters.
const perSourceMB = 2 * time.Second

func (b *Builder) sizeEstimate(n *plan.Node) time.Duration {
	if b.Sources == nil {
		return 0
	}
	var size int64
	for _, s := range n.Sources {
		if s.SHA256 == "" {
			continue // a git tree: no single file to weigh
		}
		if fi, err := os.Stat(b.Sources.Path(s.SHA256)); err == nil {
			size += fi.Size()
		}
	}
	return time.Duration(size) * perSourceMB / (1 << 20)
}

// node builds one node into the store.
func (b *Builder) node(ctx context.Context, n *plan.Node, js *sched.Jobserver) error {
	a, err := b.Action(n)
	if err != nil {
		return err
	}
	return b.run(ctx, a, js)
}

// run builds an action into the store.
func (b *Builder) run(ctx context.Context, a *Action, js *sched.Jobserver) error {
	txn, err := b.Store.Begin(a.Base)
	if err != nil {
		return err
	}
	if txn.Done() {
		// Another invocation built it meanwhile.
		b.rec.set(a.ID, report.InStore)
		txn.Abort()
		return nil
	}
	committed := false
	defer func() {
		if !committed {
			txn.Abort()
		}
	}()
	fmt.Fprintf(txn.Log, "# stalix-build: %s -> %s\n", a.ID, a.Out())
	src := filepath.Join(txn.Build, "src")
	if err := b.unpack(a, src); err != nil {
		fmt.Fprintf(txn.Log, "unpack: %v\n", err)
		return err
	}
	if err := applyPatches(a, src, txn.Log); err != nil {
		fmt.Fprintf(txn.Log, "# stalix-build: %v\n", err)
		return err
	}
	for _, d := range []string{"home", "tmp"} {
		if err := os.MkdirAll(filepath.Join(txn.Build, d), 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(txn.Build, "build.sh"), []byte(a.Script), 0o644); err != nil {
		return err
	}
	spec, err := b.spec(a, txn, js)
	if err != nil {
		return err
	}
	usage, err := sandbox.RunUsage(ctx, spec)
	b.rec.cpu(a.ID, usage)
	if err != nil {
		fmt.Fprintf(txn.Log, "\n# stalix-build: build failed: %v\n", err)
		if ctx.Err() != nil || a.node == nil {
			return err
		}
		if d := b.diagnose(a.node, txn.Log.Name()); d != "" {
			fmt.Fprintf(txn.Log, "# stalix-build: %s\n", strings.ReplaceAll(d, "\n", "\n# stalix-build: "))
			return fmt.Errorf("%s\n%w", d, err)
		}
		return err
	}
	err = policy.Apply(txn.Out, policy.Options{
		Epoch:          b.epoch(),
		StripCmd:       b.stripCmd(),
		NoStrip:        a.Policy.NoStrip,
		Static:         a.Policy.Static,
		AllowBuildPath: a.Policy.AllowBuildPath,
		Forbidden:      a.Policy.Forbidden,
	})
	if err != nil {
		fmt.Fprintf(txn.Log, "\n# stalix-build: output policy: %v\n", err)
		return err
	}
	m := store.Manifest{Name: a.Name, Version: a.Version, Out: a.Out(), Target: a.Target, Stage: a.Stage,
		Inputs: a.Inputs, Runtime: a.Runtime}
	for _, s := range a.Sources {
		if s.Tree != "" {
			m.Sources = append(m.Sources, "tree:"+s.Tree)
		} else {
			m.Sources = append(m.Sources, s.SHA256)
		}
	}
	if err := txn.Commit(m); err != nil {
		return err
	}
	committed = true
	return nil
}

func (b *Builder) unpack(a *Action, src string) error {
	if len(a.Sources) == 0 {
		return os.MkdirAll(src, 0o755)
	}
	for _, s := range a.Sources {
		file, pin := b.Sources.Path(s.SHA256), "sha256 "+s.SHA256
		if s.Tree != "" {
			file, pin = b.Sources.TreePath(s.Tree), "tree "+s.Tree
		}
		if _, err := os.Stat(file); err != nil {
			return fmt.Errorf("%s: source %s (%s) is not in the source cache: run stalix-build fetch first", a.Recipe, s.FileName(), pin)
		}
		dest := src
		if s.Dest != "" {
			dest = filepath.Join(src, filepath.Clean("/"+s.Dest))
		}
		if err := os.MkdirAll(dest, 0o755); err != nil {
			return err
		}
		if s.Tree == "" && !isArchive(s.FileName()) {
			if err := copyFile(file, filepath.Join(dest, s.FileName())); err != nil {
				return err
			}
			continue
		}
		if err := unpack.TarOnly(file, dest, s.Strip, s.Include); err != nil {
			return fmt.Errorf("%s: %w", a.Recipe, err)
		}
	}
	return nil
}

// seedPaths are where the seed keeps what a world output must never
// point at: its glibc libraries, its LLVM and its multiarch headers.
var seedPaths = []string{"/usr/lib/x86_64-linux-gnu/", "/usr/lib/llvm-14/", "/usr/include/x86_64-linux-gnu/"}

// forbidden is what no output of n may contain besides the build path.
func forbidden(n *plan.Node) []string {
	if n.Stage == "world" {
		return seedPaths
	}
	return nil
}

// stripCmd runs the seed's llvm-strip through the seed's own dynamic
// loader and libraries, so stripping depends on the pinned seed only.
func (b *Builder) stripCmd() []string {
	if b.Seed == "" {
		return nil
	}
	usr := filepath.Join(b.Seed, "usr")
	loader := filepath.Join(usr, "lib", "x86_64-linux-gnu", "ld-linux-x86-64.so.2")
	tool := filepath.Join(usr, "lib", "llvm-14", "bin", "llvm-strip")
	if _, err := os.Stat(tool); err != nil {
		return nil
	}
	libs := filepath.Join(usr, "lib", "x86_64-linux-gnu") + ":" + filepath.Join(usr, "lib", "llvm-14", "lib")
	return []string{loader, "--library-path", libs, tool}
}

func (b *Builder) epoch() int64 {
	if b.Epoch != 0 {
		return b.Epoch
	}
	return DefaultEpoch
}

// spec seals the action: its inputs read-only at their store paths, the
// seed when its stage has one, /build and its own output writable.
func (b *Builder) spec(a *Action, txn *store.Txn, js *sched.Jobserver) (sandbox.Spec, error) {
	var mounts []sandbox.Mount
	var path []string
	for _, d := range a.Inputs {
		out := plan.StoreDir + "/" + d
		mounts = append(mounts, sandbox.Mount{Host: b.path(d), Path: out})
		path = append(path, out+"/bin")
	}
	seed := ""
	if a.Seed {
		if b.Seed == "" {
			return sandbox.Spec{}, fmt.Errorf("%s needs the seed: run stalix-build seed first", a.ID)
		}
		seed = b.Seed
		path = append(path, "/usr/bin", "/usr/sbin")
	}
	bin := ""
	if a.Bin != "" {
		bin = plan.StoreDir + "/" + a.Bin + "/bin"
	}
	hostname := b.Hostname
	if hostname == "" {
		hostname = sandbox.DefaultHostname
	}
	env := []string{
		"PATH=" + strings.Join(path, ":"),
		"HOME=/build/home",
		"TMPDIR=/build/tmp",
		"TZ=UTC",
		"LC_ALL=C",
		"LANG=C",
		"TERM=dumb",
		"SOURCE_DATE_EPOCH=" + strconv.FormatInt(b.epoch(), 10),
		"out=" + a.Out(),
		"MAKEFLAGS=" + js.MakeFlags(),
		"STALIX_JOBS=" + strconv.Itoa(js.Size()),
		// ninja 1.13 joins the same pool by path only (see sched.Jobserver).
		"STALIX_JOBSERVER_FIFO=" + sandbox.JobserverPath,
	}
	return sandbox.Spec{
		Inputs:     mounts,
		Seed:       seed,
		Bin:        bin,
		BuildDir:   txn.Build,
		Out:        sandbox.Mount{Host: txn.Out, Path: a.Out()},
		Env:        env,
		Argv:       []string{"sh", "-e", "/build/build.sh"},
		Dir:        "/build/src",
		Stdout:     txn.Log,
		Stderr:     txn.Log,
		ExtraFiles: js.Files(),
		Jobserver:  js.Path(),
		Hostname:   hostname,
	}, nil
}

func isArchive(name string) bool {
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
