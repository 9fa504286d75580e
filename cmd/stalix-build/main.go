// Command stalix-build builds a Linux distribution from pinned sources and
// writes bootable images. See README.md.
package main

import (
	"os"

	"stalix.dev/stalix-build/internal/cli"
	"stalix.dev/stalix-build/internal/sandbox"
)

func main() {
	// The sandbox re-executes this binary; in that child Main never returns.
	sandbox.Main()
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
