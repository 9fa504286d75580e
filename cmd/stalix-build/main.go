// Command stalix-build builds a Linux distribution from pinned sources and
// writes bootable images. See README.md.
package main

import (
	"os"

	"stalix.dev/stalix-build/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
