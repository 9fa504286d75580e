package check

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/report"
	"stalix.dev/stalix-build/internal/sched"
	"stalix.dev/stalix-build/internal/store"
)

// Result is the verdict for one package.
type Result struct {
	Name         string     `json:"name"`
	Version      string     `json:"version"`
	Target       string     `json:"target"`
	Out          string     `json:"out"`
	Reproducible bool       `json:"reproducible"`
	Files        []FileDiff `json:"differing_files,omitempty"`
	Diffoscope   string     `json:"diffoscope,omitempty"`
	Error        string     `json:"error,omitempty"`
}

// Rebuild is one second build of some nodes into a fresh store.
type Rebuild struct {
	Main    *store.Store // holds the first builds and every input
	Sources build.Sources
	Seed    string
	// Images, when set, runs on the second store before it is removed:
	// the images of a profile are written from it a second time and
	// compared with those from the main store.
	Images func(second *store.Store) ([]ImageResult, error)
	// View makes the progress view of the rebuild.
	View func(p *sched.Plan) build.View
	// Record, when set, is given what the rebuild's run did (build.Builder.Record).
	Record func(r *report.Run)
}

// Report is what a check found: a verdict per package and per image.
type Report struct {
	Packages []Result      `json:"packages"`
	Images   []ImageResult `json:"images,omitempty"`
}

// Bad counts the packages and images that are not reproducible.
func (r *Report) Bad() int {
	bad := 0
	for _, p := range r.Packages {
		if !p.Reproducible {
			bad++
		}
	}
	for _, i := range r.Images {
		if !i.Identical {
			bad++
		}
	}
	return bad
}

// Variation says what the second build changes, for the report.
const Variation = "a fresh store in another host directory (on tmpfs when /dev/shm is large enough, so directories list in another order), " +
	"a later wall clock, umask 077 and another locale in the calling process, and -j1 against -jN"

// Run rebuilds nodes (which the main store already has) in a new store
// and compares each with its first build, then the images. The report
// holds what was compared even when the error says a step failed.
func (r *Rebuild) Run(ctx context.Context, nodes []*plan.Node) (*Report, error) {
	dir, err := tempStoreDir()
	if err != nil {
		return nil, err
	}
	defer removeTree(dir)
	second, err := store.Open(filepath.Join(dir, "store"))
	if err != nil {
		return nil, err
	}
	defer second.Close()
	// What the calling process varies; the sandbox builds every
	// environment from nothing, so none of this may show in an output.
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	defer setenv("LC_ALL", "de_DE.UTF-8")()
	defer setenv("TZ", "Pacific/Kiritimati")()

	b := &build.Builder{Store: second, Inputs: r.Main, Sources: r.Sources, Seed: r.Seed, Jobs: 1, View: r.View, Record: r.Record}
	runErr := b.Run(ctx, nodes)
	rep := &Report{}
	for _, n := range nodes {
		res := Result{Name: n.Name, Version: n.Version, Target: n.Target.Arch, Out: n.Out()}
		ma, errA := r.Main.ReadManifest(n.Base())
		mb, errB := second.ReadManifest(n.Base())
		switch {
		case errA != nil:
			res.Error = "no first build in the store: build it first"
		case errB != nil:
			res.Error = "the rebuild failed: see " + second.LogPath(n.Base())
		case ma.ContentHash == mb.ContentHash:
			res.Reproducible = true
		default:
			files, err := CompareTrees(r.Main.Path(n.Base()), second.Path(n.Base()))
			if err != nil {
				return rep, err
			}
			res.Files = files
			res.Diffoscope = diffoscope(r.Main.Path(n.Base()), second.Path(n.Base()))
		}
		rep.Packages = append(rep.Packages, res)
	}
	if runErr != nil {
		return rep, fmt.Errorf("rebuild: %w", runErr)
	}
	if r.Images != nil {
		if rep.Images, err = r.Images(second); err != nil {
			return rep, fmt.Errorf("images: %w", err)
		}
	}
	return rep, nil
}

// tempStoreDir puts the second store somewhere else than the first, on a
// tmpfs when there is room, whose directory order differs from ext4's.
func tempStoreDir() (string, error) {
	var st syscall.Statfs_t
	if syscall.Statfs("/dev/shm", &st) == nil && int64(st.Bavail)*int64(st.Bsize) > 8<<30 {
		return os.MkdirTemp("/dev/shm", "stalix-check-")
	}
	return os.MkdirTemp("", "stalix-check-")
}

func removeTree(dir string) {
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	os.RemoveAll(dir)
}

// diffoscope adds its report when it is installed; it is optional.
func diffoscope(a, b string) string {
	if _, err := exec.LookPath("diffoscope"); err != nil {
		return ""
	}
	out, _ := exec.Command("diffoscope", "--no-progress", "--text", "-", a, b).CombinedOutput()
	const limit = 64 << 10
	if len(out) > limit {
		out = append(out[:limit], "\n[diffoscope output cut]\n"...)
	}
	return string(out)
}

// setenv sets k for the rebuild and returns what puts the caller's value
// (or its absence) back.
func setenv(k, v string) func() {
	old, had := os.LookupEnv(k)
	os.Setenv(k, v)
	return func() {
		if had {
			os.Setenv(k, old)
		} else {
			os.Unsetenv(k)
		}
	}
}
