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
	"strings"
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
	name    string // two words for a subcommand: "cache push"
	summary string
	run     func(e *Env, args []string) error
}

// verbs in the order help lists them.
var verbs = []verb{
	{"boot", "boot a profile's image under QEMU, or check that it boots", runBoot},
	{"build", "build a profile's packages (or one package) into the store", runBuild},
	{"cache keygen", "make the key pair that signs what cache push uploads", runKeygen},
	{"cache push", "upload the store entries of a profile or package to a binary cache", runPush},
	{"check", "rebuild packages (and images) under changed conditions and compare bit for bit", runCheck},
	{"compare", "build one package with two toolchains and compare the outputs file by file", runCompare},
	{"fetch", "fetch the sources a profile needs into the source cache", runFetch},
	{"gc", "remove store entries that no root reaches", runGC},
	{"graph", "print a profile's build graph as Graphviz DOT", runGraph},
	{"image", "build a profile and write its images under out/", runImage},
	{"log", "print the stored build log of a package", runLog},
	{"ls", "list store entries with their sizes", runLs},
	{"mirror", "copy every source and seed .deb the profiles need into an append-only mirror directory", runMirror},
	{"path", "print the host directory of a built package's store entry", runPath},
	{"plan", "list the nodes of a profile in build order with their store paths", runPlan},
	{"render", "print the rendered build script of a package", runRender},
	{"report", "print the path of the last build's report.html", runReport},
	{"run-node", "build one node from an action file, the sandbox as a standalone step", runRunNode},
	{"sbom", "print a profile's SBOM (SPDX 2.3 JSON) for one target", runSBOM},
	{"seed", "fetch, verify and unpack the pinned binary seed into the store", runSeed},
	{"seed update", "re-resolve the seed's lock, moving only the pins the archive dropped", runSeedUpdate},
	{"sources bundle", "copy the sources an image is built from into a directory", runBundle},
	{"sources import", "add local files and source trees to the source cache", runImport},
	{"why", "show one dependency path from a profile to a package", runWhy},
}

// usageError is the command line's fault: Run prints it with a pointer to
// the verb's --help and exits 2. session.ArgError and cache.ArgError are
// too: every error with the CommandLine method is.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }
func (u *usageError) CommandLine()  {}

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// Run runs one command line and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	wd, _ := os.Getwd()
	e := &Env{Stdout: stdout, Stderr: stderr, Stdin: os.Stdin, Dir: wd}
	if len(args) == 0 || isHelp(args[0]) || args[0] == "help" {
		printUsage(stdout, "")
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	v, rest := find(args)
	if v == nil {
		return unknown(args, stdout, stderr)
	}
	err := v.run(e, rest)
	var usage interface {
		error
		CommandLine()
	}
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "stalix-build %s: %s\n(see stalix-build %s --help)\n", v.name, usage.Error(), v.name)
		return ExitUsage
	}
	fmt.Fprintf(stderr, "stalix-build %s: %v\n", v.name, err)
	return ExitFail
}

func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// find is the verb args name, a subcommand before its parent, and its arguments.
func find(args []string) (*verb, []string) {
	for n := min(len(args), 2); n > 0; n-- {
		for i := range verbs {
			if verbs[i].name == strings.Join(args[:n], " ") {
				return &verbs[i], args[n:]
			}
		}
	}
	return nil, nil
}

// unknown answers a command line that names no verb. A verb's first word
// alone ("cache") gets the list of its subcommands.
func unknown(args []string, stdout, stderr io.Writer) int {
	var subs strings.Builder
	if !printUsage(&subs, args[0]+" ") {
		fmt.Fprintf(stderr, "stalix-build: unknown command %q\n", args[0])
		printUsage(stderr, "")
		return ExitUsage
	}
	if len(args) > 1 && isHelp(args[1]) {
		fmt.Fprint(stdout, subs.String())
		return ExitOK
	}
	if len(args) > 1 {
		fmt.Fprintf(stderr, "stalix-build %s: unknown command %q\n", args[0], args[1])
	}
	fmt.Fprint(stderr, subs.String())
	return ExitUsage
}

// printUsage lists the verbs whose names start with prefix ("" for all,
// "cache " for cache's subcommands) and says whether there were any.
func printUsage(w io.Writer, prefix string) bool {
	var lines []string
	for _, v := range verbs {
		if strings.HasPrefix(v.name, prefix) {
			lines = append(lines, fmt.Sprintf("  %-15s %s", v.name, v.summary))
		}
	}
	if len(lines) == 0 {
		return false
	}
	fmt.Fprintf(w, "usage: stalix-build %sCOMMAND [flags] [args]\n\ncommands:\n%s\n\nRun stalix-build COMMAND --help for a command's flags.\n", prefix, strings.Join(lines, "\n"))
	return true
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
