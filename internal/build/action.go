package build

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"stalix.dev/stalix-build/internal/cache"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/recipe"
	"stalix.dev/stalix-build/internal/sched"
)

// Action is one node's build as data: everything its sandbox run needs,
// nothing of the plan. run-node reads it from a file, which makes the
// sandbox a standalone step that a remote-execution worker could run
// (README, "Remote execution").
type Action struct {
	ID      string `json:"id"`
	Base    string `json:"base"` // the store entry it makes
	Name    string `json:"name"`
	Version string `json:"version"`
	Target  string `json:"target"`
	Stage   string `json:"stage"`
	Recipe  string `json:"recipe"` // the recipe file, for messages
	Script  string `json:"script"`
	// Inputs are store entries mounted read-only at /ix/store/<base>;
	// Runtime are the entries the output needs at run time.
	Inputs  []string `json:"inputs"`
	Runtime []string `json:"runtime"`
	// Seed says the sandbox gets the seed as /usr; SeedEntry is the seed's
	// store entry, whose llvm-strip strips every output.
	Seed      bool   `json:"seed"`
	SeedEntry string `json:"seed_entry,omitempty"`
	// Bin is the entry whose bin/ is /bin in a sandbox without the seed.
	Bin     string          `json:"bin,omitempty"`
	Sources []recipe.Source `json:"sources"`
	// Patches are applied to the unpacked source in order; PatchesLine
	// is where the recipe lists them, for messages.
	Patches     []plan.Patch `json:"patches,omitempty"`
	PatchesLine int          `json:"patches_line,omitempty"`
	Policy      ActionPolicy `json:"policy"`
	// node, for an action made from a plan, lets a failed build's log be
	// explained against the recipe (diagnose); a read action has none.
	node *plan.Node
}

// ActionPolicy is what the output policy is told besides the epoch.
type ActionPolicy struct {
	NoStrip        bool     `json:"no_strip,omitempty"`
	Static         bool     `json:"static"`
	AllowBuildPath []string `json:"allow_build_path,omitempty"`
	Forbidden      []string `json:"forbidden,omitempty"`
}

// Out is the action's output path inside the sandbox.
func (a *Action) Out() string { return plan.StoreDir + "/" + a.Base }

// Action describes how b builds n. Loading a recipe or profile checks the
// policy options with their line; this is for a plan made otherwise,
// before any time goes into the build.
func (b *Builder) Action(n *plan.Node) (*Action, error) {
	opts, err := recipe.Policy(n.Options)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", n.Recipe.File, n.ID(), err)
	}
	a := &Action{
		ID: n.ID(), Base: n.Base(), Name: n.Name, Version: n.Version, Target: n.Target.Arch, Stage: n.Stage,
		Recipe: n.Recipe.File, Script: n.Script, Runtime: runtimeBases(n), Seed: n.Seed, Sources: n.Sources,
		Patches: n.Patches, PatchesLine: n.Recipe.PatchesLine, node: n,
		Policy: ActionPolicy{
			NoStrip:        opts.NoStrip,
			Static:         opts.Static,
			AllowBuildPath: opts.AllowBuildPath,
			Forbidden:      forbidden(n),
		},
	}
	for _, d := range inputs(n) {
		a.Inputs = append(a.Inputs, d.Base())
	}
	if n.Bin != nil {
		a.Bin = n.Bin.Base()
	}
	if b.Seed != "" {
		a.SeedEntry = filepath.Base(b.Seed)
	}
	return a, nil
}

// ReadAction reads an action file.
func ReadAction(path string) (*Action, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var a Action
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if a.Base == "" || a.Script == "" {
		return nil, fmt.Errorf("%s: not an action (no base or script): write one with run-node --print PKG", path)
	}
	return &a, nil
}

// RunAction builds one action alone, with its own jobserver of b.Jobs
// slots. Its inputs must be in the store (or b.Inputs) already.
func (b *Builder) RunAction(ctx context.Context, a *Action) error {
	for _, in := range a.Inputs {
		if !b.has(in) {
			return fmt.Errorf("%s: input %s is not in the store %s: build or substitute it first", a.ID, in, b.Store.Dir)
		}
	}
	if err := b.Store.CleanStale(); err != nil {
		return err
	}
	js, err := sched.New(max(b.Jobs, 1))
	if err != nil {
		return err
	}
	defer js.Close()
	sp, err := sched.NewPlan([]sched.Node{{ID: a.ID}}, 0)
	if err != nil {
		return err
	}
	b.rec = newRecorder(sp)
	return b.run(ctx, a, js)
}

// RunActionFile is run-node FILE: it reads the action in path and builds
// it with RunAction, the seed it names taken from b.Store. archive, when
// not "", also gets the output's archive, zstd, as a cache's /cas holds
// it. It returns the output's store path.
func (b *Builder) RunActionFile(ctx context.Context, path, archive string) (string, error) {
	a, err := ReadAction(path)
	if err != nil {
		return "", err
	}
	if a.SeedEntry != "" {
		if !b.Store.Has(a.SeedEntry) {
			return "", fmt.Errorf("%s needs the seed %s: run stalix-build seed first", a.ID, a.SeedEntry)
		}
		b.Seed = b.Store.Path(a.SeedEntry)
	}
	if err := b.RunAction(ctx, a); err != nil {
		return "", fmt.Errorf("%w (log: %s)", err, b.Store.LogPath(a.Base))
	}
	if archive != "" {
		if err := cache.WriteBlobFile(archive, b.Store.Path(a.Base)); err != nil {
			return "", fmt.Errorf("archive of %s: %w", a.Base, err)
		}
	}
	return b.Store.Path(a.Base), nil
}
