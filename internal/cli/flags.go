package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/cache"
	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/progress"
	"stalix.dev/stalix-build/internal/project"
	"stalix.dev/stalix-build/internal/sched"
	"stalix.dev/stalix-build/internal/session"
	"stalix.dev/stalix-build/internal/store"
)

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// opts are the flags the verbs share, in the groups a verb asks for.
type opts struct {
	store, root, toolchain string
	overlays, targets      stringList
	jobs                   int
	keepGoing, offline     bool
	cache                  cacheFlags
	// check runs on the parsed flags before anything is opened, so a
	// combination that cannot work fails before any planning.
	check func() error
}

// The flags a verb takes, as levels: each adds its group to the ones
// before it (0: none of them).
const (
	withProject = iota + 1 // --store, --root, --recipes, --toolchain
	withTargets            // --target, repeatable
	withBuild              // -j, --keep-going, --offline
	withCache              // --cache, --cache-timeout: substitute from binary caches
)

// cacheFlags are what build, image and boot take to substitute.
type cacheFlags struct {
	on      bool
	urls    stringList
	timeout time.Duration
}

// flags is a verb's flag set with the groups up to level.
func (o *opts) flags(e *Env, name, args, help string, level int) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "usage: stalix-build %s %s\n\n%s\n\nflags:\n", name, args, help)
		fs.PrintDefaults()
	}
	if level == 0 {
		return fs
	}
	fs.StringVar(&o.store, "store", "", "store directory (default $STALIX_STORE or the user cache dir)")
	fs.Var(&o.overlays, "recipes", "a recipe overlay tree that shadows built-in recipes (repeatable)")
	fs.StringVar(&o.root, "root", "", "project root holding recipes/, stages/ and profiles/ (default: $STALIX_ROOT, else a checkout found from the working directory up, else the tree built into the binary)")
	fs.StringVar(&o.toolchain, "toolchain", "", "build with this toolchain from stages/stages.toml instead of the profile's (seed, toolchain2, toolchain3)")
	if level >= withTargets {
		fs.Var(&o.targets, "target", "target architecture (repeatable; default: the profile's targets)")
	}
	if level >= withBuild {
		fs.IntVar(&o.jobs, "j", runtime.NumCPU(), "jobs: builds and make jobs at once, machine-wide")
		fs.BoolVar(&o.keepGoing, "keep-going", false, "build everything that does not depend on a failure")
		fs.BoolVar(&o.offline, "offline", false, "never download: fail at once listing missing sources")
	}
	if level >= withCache {
		o.cache.on = true
		fs.Var(&o.cache.urls, "cache", "binary cache to fetch missing nodes from before building them (repeatable; also $STALIX_CACHES): http(s)://HOST/PATH or file:///DIR")
		fs.DurationVar(&o.cache.timeout, "cache-timeout", cache.DefaultTimeout, "how long a cache may take to answer before this run gives it up")
	}
	return fs
}

// parse parses flags; Go's flag stops at the first positional argument, so
// flags after it are parsed too, as users of other build tools expect. It
// returns the positional arguments.
func (o *opts) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		if args = fs.Args(); len(args) == 0 {
			break
		}
		pos, args = append(pos, args[0]), args[1:]
	}
	if o.check != nil {
		return pos, o.check()
	}
	return pos, nil
}

// openStore parses a command line of n positional arguments (want says
// which) and opens the store; the verbs that read recipes use run.
func (o *opts) openStore(fs *flag.FlagSet, args []string, n int, want string) ([]string, *store.Store, error) {
	pos, err := o.parse(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if len(pos) != n {
		return nil, nil, usagef("want %s", want)
	}
	s, err := session.OpenStore(o.store)
	return pos, s, err
}

// run parses a verb's command line, opens its session (session.Open) and
// runs f in it.
func (o *opts) run(e *Env, fs *flag.FlagSet, args []string, t session.Takes, f func(*session.Session) error) error {
	pos, err := o.parse(fs, args)
	if err != nil {
		return err
	}
	return o.session(e, fs, args, pos, t, f)
}

// session is run once the flags are parsed: pos are the positional arguments.
func (o *opts) session(e *Env, fs *flag.FlagSet, args, pos []string, t session.Takes, f func(*session.Session) error) error {
	ss, err := session.Open(session.Options{Project: o.project(e), Store: o.store, Targets: o.targets}, pos, t)
	if err != nil {
		return err
	}
	defer ss.Close()
	ss.Title = strings.Join(append([]string{fs.Name()}, args...), " ")
	ss.Log, ss.View = e.Stderr, newView(e)
	ss.Jobs, ss.KeepGoing, ss.Fetcher = o.jobs, o.keepGoing, o.fetcher(e)
	if o.cache.on {
		// One per verb, so a dead cache is given up once.
		if ss.Subst, err = cache.NewSubstituter(o.cache.urls, o.cache.timeout, func(msg string) { fmt.Fprintln(e.Stderr, msg) }); err != nil {
			return err
		}
	}
	return f(ss)
}

func (o *opts) project(e *Env) project.Options {
	return project.Options{Root: o.root, Overlays: o.overlays, Toolchain: o.toolchain, Dir: e.Dir}
}

func (o *opts) load(e *Env) (*project.Project, error) { return project.Open(o.project(e)) }

// fetcher prints a line per source fetched (per 20 for the seed's 156
// .debs) and each failure.
func (o *opts) fetcher(e *Env) *fetch.Fetcher {
	f := fetch.FromEnv(fetch.DefaultCache())
	f.Offline = o.offline
	f.Progress = func(done, total int, name string, ok bool) {
		switch {
		case !ok:
			fmt.Fprintf(e.Stderr, "[%d/%d] FAILED %s\n", done, total, name)
		case total <= 20 || done%20 == 0 || done == total:
			fmt.Fprintf(e.Stderr, "[%d/%d] fetched %s\n", done, total, name)
		}
	}
	return f
}

// newView shows a live view when stderr is a terminal and plain lines
// otherwise (CI logs).
func newView(e *Env) func(p *sched.Plan) build.View {
	return func(p *sched.Plan) build.View {
		if f, ok := e.Stderr.(*os.File); ok {
			return progress.New(f, p, progress.Options{})
		}
		return progress.NewPlain(e.Stderr, p, progress.Options{})
	}
}
