package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/cache"
	"stalix.dev/stalix-build/internal/progress"
	"stalix.dev/stalix-build/internal/store"
)

func init() {
	register("cache", "share built store entries: cache keygen NAME, cache push --cache URL --key FILE PROFILE|PKG", runCache)
}

// cacheFlags are what build, image and boot take to substitute.
type cacheFlags struct {
	on      bool
	urls    stringList
	timeout time.Duration
	subst   *cache.Substituter // one per run, so a dead cache is given up once
}

func (c *cacheFlags) add(fs *flag.FlagSet) {
	c.on = true
	fs.Var(&c.urls, "cache", "binary cache to fetch missing nodes from before building them (repeatable; also $STALIX_CACHES): http(s)://HOST/PATH or file:///DIR")
	fs.DurationVar(&c.timeout, "cache-timeout", cache.DefaultTimeout, "how long a cache may take to answer before this run gives it up")
}

// substituter is nil without caches; one per run, so a dead cache is
// given up once.
func (c *cacheFlags) substituter(e *Env) (*cache.Substituter, error) {
	if !c.on || c.subst != nil {
		return c.subst, nil
	}
	var err error
	c.subst, err = cache.NewSubstituter(c.urls, c.timeout, func(msg string) { fmt.Fprintln(e.Stderr, msg) })
	return c.subst, err
}

// use hands a build the run's substituter, if there are caches.
func (c *cacheFlags) use(e *Env, b *build.Builder) error {
	s, err := c.substituter(e)
	if s != nil {
		b.Subst, b.Progress = s, e.Stderr
	}
	return err
}

// manifests reads the store's manifests, and with caches, falls back to
// their signed records (see cache.Substituter.Manifest); nil without.
func (c *cacheFlags) manifests(ctx context.Context, s *store.Store) func(base string) (*store.Manifest, error) {
	if c.subst == nil {
		return nil
	}
	return func(base string) (*store.Manifest, error) {
		if m, err := s.ReadManifest(base); err == nil {
			return m, nil
		}
		return c.subst.Manifest(ctx, base)
	}
}

func runCache(e *Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "keygen":
			return runKeygen(e, args[1:])
		case "push":
			return runPush(e, args[1:])
		case "-h", "-help", "--help":
			fmt.Fprintln(e.Stderr, "usage: stalix-build cache keygen NAME [--dir DIR]\n       stalix-build cache push --cache URL --key FILE PROFILE|PKG\n\nEach takes --help.")
			return flag.ErrHelp
		}
	}
	return usagef("want: cache keygen NAME, or cache push --cache URL --key FILE PROFILE|PKG")
}

func runKeygen(e *Env, args []string) error {
	fs := newFlags(e, "cache keygen", "NAME [--dir DIR]",
		"Make an ed25519 key pair, written name:base64 as Nix writes them: DIR/NAME.sec (secret, mode 0600) signs pushes, "+
			"DIR/NAME.pub goes into STALIX_TRUSTED_KEYS where entries are fetched.")
	dir := fs.String("dir", ".", "directory for the two key files")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one NAME")
	}
	paths, pub, err := cache.WriteKeyPair(absFrom(e.Dir, *dir), pos[0])
	for _, p := range paths {
		fmt.Fprintf(e.Stderr, "wrote %s\n", p)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, pub.String())
	return nil
}

func runPush(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "cache push", "--cache URL --key FILE PROFILE|PKG [--target T]",
		"Upload every store entry of the closure (and a profile's image tools) that the cache lacks, with its manifest "+
			"and log, signed with the secret key in FILE.")
	b.add(fs)
	url := fs.String("cache", "", "the cache: http(s)://HOST/PATH or file:///DIR")
	keyFile := fs.String("key", "", "secret key file written by cache keygen")
	timeout := fs.Duration("cache-timeout", cache.DefaultTimeout, "how long the cache may take to answer")
	ss, err := b.open(e, fs, args, profileOrPkg)
	if err != nil {
		return err
	}
	defer ss.close()
	if *url == "" || *keyFile == "" {
		return usagef("want --cache URL and --key FILE")
	}
	key, err := cache.ReadSecretKey(absFrom(e.Dir, *keyFile))
	if err != nil {
		return err
	}
	backend, err := cache.Create(*url, *timeout)
	if err != nil {
		return usagef("%v", err)
	}
	nodes, err := ss.sourceNodes()
	if err != nil {
		return err
	}
	want := ss.wanted()
	if ss.sys != nil {
		want = append(want, ss.sys.Wanted()...)
	}
	for _, n := range want {
		if !ss.s.Has(n.Base()) {
			return fmt.Errorf("%s is not in the store %s: build it before pushing", n.ID(), ss.s.Dir)
		}
	}
	bases := make([]string, len(nodes))
	for i, n := range nodes {
		bases[i] = n.Base()
	}
	p := &cache.Pusher{Cache: backend, Key: key, Store: ss.s}
	t, err := p.PushAll(ss.ctx, bases, func(base string, size int64) {
		fmt.Fprintf(e.Stderr, "pushed %s (%s)\n", base, progress.Size(size))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%d pushed (%s), %d already in %s, %d not in this store\n", t.Pushed, progress.Size(t.Bytes), t.Present, backend, t.Absent)
	return nil
}

// run-node is here rather than in a file of its own: it is the step a
// remote worker would run for a cache miss (README, "Remote execution").
func init() {
	register("run-node", "build one node from an action file, the sandbox as a standalone step", runRunNode)
}

func runRunNode(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "run-node", "FILE [--archive OUT] | --print PKG [--target T]",
		"Build the node an action file describes into the store, whose inputs it must already hold. "+
			"--print PKG writes PKG's action as JSON instead.")
	b.add(fs)
	printIt := fs.Bool("print", false, "print PKG's action instead of running one")
	archive := fs.String("archive", "", "also write the output's archive here, zstd, as a cache's /cas holds it")
	pos, s, err := b.parseStore(fs, args, 1, "one FILE, or --print PKG")
	if err != nil {
		return err
	}
	defer s.Close()
	bl := &build.Builder{Store: s, Jobs: b.jobs}
	if *printIt {
		p, err := b.load(e)
		if err != nil {
			return err
		}
		prof, err := p.Resolve(pos[0])
		if err != nil {
			return err
		}
		if prof != nil {
			return usagef("%s is a profile; --print wants a package", pos[0])
		}
		pl, err := p.Plan(pos[0], nil, b.targets)
		if err != nil {
			return err
		}
		bl.Seed = s.Path(p.SeedBase())
		a, err := bl.Action(pl.Roots[pl.Targets[0]][0])
		if err != nil {
			return err
		}
		return printJSON(e, a)
	}
	a, err := build.ReadAction(absFrom(e.Dir, pos[0]))
	if err != nil {
		return err
	}
	if a.SeedEntry != "" {
		if !s.Has(a.SeedEntry) {
			return fmt.Errorf("%s needs the seed %s: run stalix-build seed first", a.ID, a.SeedEntry)
		}
		bl.Seed = s.Path(a.SeedEntry)
	}
	bl.Sources = newFetcher(e, true)
	ctx, cancel := interruptible()
	defer cancel()
	if err := bl.RunAction(ctx, a); err != nil {
		return fmt.Errorf("%w (log: %s)", err, s.LogPath(a.Base))
	}
	if *archive != "" {
		if err := cache.WriteBlobFile(absFrom(e.Dir, *archive), s.Path(a.Base)); err != nil {
			return fmt.Errorf("archive of %s: %w", a.Base, err)
		}
	}
	fmt.Fprintln(e.Stdout, s.Path(a.Base))
	return nil
}
