package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/cache"
	"stalix.dev/stalix-build/internal/progress"
	"stalix.dev/stalix-build/internal/session"
)

// The verbs of the binary cache, and run-node: the step a remote worker
// would run for a cache miss (README, "Remote execution").

func runKeygen(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "cache keygen", "NAME [--dir DIR]",
		"Make an ed25519 key pair, written name:base64 as Nix writes them: DIR/NAME.sec (secret, mode 0600) signs pushes, "+
			"DIR/NAME.pub goes into STALIX_TRUSTED_KEYS where entries are fetched.", 0)
	dir := fs.String("dir", ".", "directory for the two key files")
	pos, err := o.parse(fs, args)
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
	var o opts
	fs := o.flags(e, "cache push", "--cache URL --key FILE PROFILE|PKG [--target T]",
		"Upload every store entry of the closure (and a profile's image tools) that the cache lacks, with its manifest "+
			"and log, signed with the secret key in FILE.", withBuild)
	url := fs.String("cache", "", "the cache: http(s)://HOST/PATH or file:///DIR")
	keyFile := fs.String("key", "", "secret key file written by cache keygen")
	timeout := fs.Duration("cache-timeout", cache.DefaultTimeout, "how long the cache may take to answer")
	o.check = func() error {
		if *url == "" || *keyFile == "" {
			return usagef("want --cache URL and --key FILE")
		}
		return nil
	}
	return o.run(e, fs, args, profileOrPkg, func(ss *session.Session) error {
		key, err := cache.ReadSecretKey(absFrom(e.Dir, *keyFile))
		if err != nil {
			return err
		}
		backend, err := cache.Create(*url, *timeout)
		if err != nil {
			return err
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
	})
}

func runRunNode(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "run-node", "FILE [--archive OUT] | --print PKG [--target T]",
		"Build the node an action file describes into the store, whose inputs it must already hold. "+
			"--print PKG writes PKG's action as JSON instead.", withBuild)
	printIt := fs.Bool("print", false, "print PKG's action instead of running one")
	archive := fs.String("archive", "", "also write the output's archive here, zstd, as a cache's /cas holds it")
	pos, err := o.parse(fs, args)
	if err != nil {
		return err
	}
	if *printIt {
		return o.session(e, fs, args, pos, session.Takes{N: 1, Want: "--print and one PKG", Pkg: true}, func(ss *session.Session) error {
			a, err := ss.Builder().Action(ss.Plan.Roots[ss.Plan.Targets[0]][0])
			if err != nil {
				return err
			}
			return printJSON(e, a)
		})
	}
	if len(pos) != 1 {
		return usagef("want one FILE, or --print PKG")
	}
	if *archive != "" {
		*archive = absFrom(e.Dir, *archive)
	}
	o.offline = true // a worker downloads nothing: the sources must be in its cache
	out, err := session.RunNode(o.store, o.jobs, o.fetcher(e), absFrom(e.Dir, pos[0]), *archive)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, out)
	return nil
}
