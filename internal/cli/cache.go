package cli

import (
	"flag"
	"fmt"
	"time"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/cache"
	"stalix.dev/stalix-build/internal/progress"
	"stalix.dev/stalix-build/internal/session"
)

func init() {
	register("cache", "share built store entries: cache keygen NAME, cache push --cache URL --key FILE PROFILE|PKG", runCache)
}

// cacheFlags are what build, image and boot take to substitute.
type cacheFlags struct {
	on      bool
	urls    stringList
	timeout time.Duration
}

func (c *cacheFlags) add(fs *flag.FlagSet) {
	c.on = true
	fs.Var(&c.urls, "cache", "binary cache to fetch missing nodes from before building them (repeatable; also $STALIX_CACHES): http(s)://HOST/PATH or file:///DIR")
	fs.DurationVar(&c.timeout, "cache-timeout", cache.DefaultTimeout, "how long a cache may take to answer before this run gives it up")
}

// substituter is nil without caches: one per verb, so a dead cache is given up once.
func (c *cacheFlags) substituter(e *Env) (*cache.Substituter, error) {
	if !c.on {
		return nil, nil
	}
	return cache.NewSubstituter(c.urls, c.timeout, func(msg string) { fmt.Fprintln(e.Stderr, msg) })
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
	defer ss.Close()
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
	bases, err := ss.PushSet()
	if err != nil {
		return err
	}
	p := &cache.Pusher{Cache: backend, Key: key, Store: ss.Store}
	t, err := p.PushAll(ss.Ctx, bases, func(base string, size int64) {
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
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *printIt {
		// The one path from a PKG argument to its plan.
		ss, err := b.openParsed(e, fs, args, pos, session.Takes{N: 1, Want: "--print and one PKG", Pkg: true})
		if err != nil {
			return err
		}
		defer ss.Close()
		a, err := ss.Builder().Action(ss.Plan.Roots[ss.Plan.Targets[0]][0])
		if err != nil {
			return err
		}
		return printJSON(e, a)
	}
	if len(pos) != 1 {
		return usagef("want one FILE, or --print PKG")
	}
	s, err := session.OpenStore(b.store)
	if err != nil {
		return err
	}
	defer s.Close()
	bl := &build.Builder{Store: s, Jobs: b.jobs}
	bl.Sources = newFetcher(e, true)
	ctx, cancel := session.Interruptible()
	defer cancel()
	arch := *archive
	if arch != "" {
		arch = absFrom(e.Dir, arch)
	}
	out, err := bl.RunActionFile(ctx, absFrom(e.Dir, pos[0]), arch)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, out)
	return nil
}
