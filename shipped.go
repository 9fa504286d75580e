// Package stalixbuild carries the shipped tree inside the binary: the
// recipes, profiles, stages and seed locks, so that stalix-build runs
// outside its checkout. A checkout found from the working directory, or
// --root, takes its place (internal/project).
package stalixbuild

import "embed"

// Tree holds recipes/, profiles/, stages/ and bootstrap/seed-*.lock, at
// the paths a checkout has them.
//
//go:embed all:recipes profiles stages bootstrap/seed-*.lock
var Tree embed.FS
