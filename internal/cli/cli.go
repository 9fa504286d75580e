// Package cli implements the stalix-build verbs. main only calls Run, so
// tests drive the whole tool in-process.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"stalix.dev/stalix-build/internal/cache"
	"stalix.dev/stalix-build/internal/session"
	"stalix.dev/stalix-build/internal/store"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitFail  = 1
	ExitUsage = 2
)

// Env is what a verb runs with.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader // for `sources import -`
	Dir            string    // working directory, for finding the project root
}

type verb struct {
	name    string
	summary string
	run     func(e *Env, args []string) error
}

var verbs []verb

func register(name, summary string, run func(e *Env, args []string) error) {
	verbs = append(verbs, verb{name, summary, run})
}

// usageError makes Run exit 2.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// Run runs one command line and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	wd, _ := os.Getwd()
	e := &Env{Stdout: stdout, Stderr: stderr, Stdin: os.Stdin, Dir: wd}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	sort.Slice(verbs, func(i, j int) bool { return verbs[i].name < verbs[j].name })
	for _, v := range verbs {
		if v.name == args[0] {
			err := v.run(e, args[1:])
			var ue *usageError
			var ae *cache.ArgError
			var se *session.ArgError
			switch {
			case errors.As(err, &ae):
				ue = &usageError{ae.Error()}
			case errors.As(err, &se):
				ue = &usageError{se.Msg}
			}
			switch {
			case err == nil:
				return ExitOK
			case errors.Is(err, flag.ErrHelp):
				return ExitOK
			case ue != nil || errors.As(err, &ue):
				fmt.Fprintf(stderr, "stalix-build %s: %s\n(see stalix-build %s --help)\n", v.name, ue.msg, v.name)
				return ExitUsage
			default:
				fmt.Fprintf(stderr, "stalix-build %s: %v\n", v.name, err)
				return ExitFail
			}
		}
	}
	fmt.Fprintf(stderr, "stalix-build: unknown command %q\n", args[0])
	printUsage(stderr)
	return ExitUsage
}

func printUsage(w io.Writer) {
	sort.Slice(verbs, func(i, j int) bool { return verbs[i].name < verbs[j].name })
	fmt.Fprintln(w, "usage: stalix-build COMMAND [flags] [args]\n\ncommands:")
	for _, v := range verbs {
		fmt.Fprintf(w, "  %-8s %s\n", v.name, v.summary)
	}
	fmt.Fprintln(w, "\nRun stalix-build COMMAND --help for a command's flags.")
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// common are the flags every verb that reads recipes takes.
type common struct {
	store     string
	overlays  stringList
	root      string
	toolchain string
	targets   stringList // a verb that takes --target adds the flag
}

func newFlags(e *Env, name, args, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "usage: stalix-build %s %s\n\n%s\n\nflags:\n", name, args, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parseStore parses the command line of a verb that wants n arguments
// (want says which) and opens its store; the verbs that read recipes go
// through open instead.
func (c *common) parseStore(fs *flag.FlagSet, args []string, n int, want string) ([]string, *store.Store, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if len(pos) != n {
		return nil, nil, usagef("want %s", want)
	}
	s, err := session.OpenStore(c.store)
	return pos, s, err
}

func (c *common) add(fs *flag.FlagSet) {
	fs.StringVar(&c.store, "store", "", "store directory (default $STALIX_STORE or the user cache dir)")
	fs.Var(&c.overlays, "recipes", "a recipe overlay tree that shadows built-in recipes (repeatable)")
	fs.StringVar(&c.root, "root", "", "project root holding recipes/, stages/ and profiles/ (default: $STALIX_ROOT, else a checkout found from the working directory up, else the tree built into the binary)")
	fs.StringVar(&c.toolchain, "toolchain", "", "build with this toolchain from stages/stages.toml instead of the profile's (seed, toolchain2, toolchain3)")
}

// parse parses flags; Go's flag stops at the first positional argument, so
// flags after it are parsed too, as users of other build tools expect.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// printJSON is every --json report: indented, one value, to stdout.
func printJSON(e *Env, v any) error {
	enc := json.NewEncoder(e.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func absFrom(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
