package bootstrap

import (
	"context"
	"fmt"
)

// LockHeader opens every generated lock.
const LockHeader = `Seed lock: every Debian package the seed unpacks, pinned by .deb sha256.
Generated from seed.list by "go run ./bootstrap/cmd/seed-lock"; do not edit.
Fields: name version architecture sha256 size`

// GenerateLock resolves the packages of the list at listPath and their
// Depends/Pre-Depends closure with the host's apt as configured, for the
// Debian architecture arch (amd64 when empty), and returns the lock text.
func GenerateLock(ctx context.Context, listPath, arch string) ([]byte, error) {
	names, err := ReadList(listPath)
	if err != nil {
		return nil, err
	}
	es, err := (&Apt{Arch: arch}).Closure(ctx, names)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", listPath, err)
	}
	return FormatLock(LockHeader, es), nil
}
