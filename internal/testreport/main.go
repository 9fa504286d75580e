// Command testreport reads `go test -json` on stdin and prints what a person
// needs from it: each package's result line, the output of every failed
// test, every skipped test with its reason, and last a line counting tests
// (subtests included, packages not): "N passed, N failed, N skipped".
//
// It exits 1 when a test failed, a package failed without a failing test
// (a build error, a crash, a timeout), or, under CI (CI=true), when a test
// skipped: CI installs every tool a test may need (bootstrap/host-setup.sh),
// so a skip there is a check that silently did not run.
//
//	go test -json ./... 2>&1 | go run ./internal/testreport
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
)

func main() {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	flag.BoolVar(&ci, "ci", ci, "treat a skipped test as a failure (default: $CI)")
	flag.Parse()
	r := New(os.Stdout)
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		r.Line(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(1)
	}
	if !r.Finish(ci) {
		os.Exit(1)
	}
}
