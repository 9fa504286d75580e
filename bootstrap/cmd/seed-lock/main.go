// Command seed-lock regenerates the seed lock from the seed list with the
// host's apt: go run ./bootstrap/cmd/seed-lock [-list F] [-o F] [-arch A].
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"stalix.dev/stalix-build/bootstrap"
)

func main() {
	list := flag.String("list", "bootstrap/seed.list", "wanted packages, one a line")
	out := flag.String("o", "bootstrap/seed-x86_64.lock", "lock file to write")
	arch := flag.String("arch", "amd64", "Debian architecture")
	flag.Parse()
	lock, err := bootstrap.GenerateLock(context.Background(), *list, *arch)
	if err == nil {
		err = os.WriteFile(*out, lock, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed-lock:", err)
		os.Exit(1)
	}
}
