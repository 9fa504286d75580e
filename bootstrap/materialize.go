package bootstrap

import (
	"context"
	"fmt"
	"os"
	"strings"

	"stalix.dev/stalix-build/internal/fetch"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/store"
	"stalix.dev/stalix-build/internal/unpack"
)

// DebFile is the name apt-get download gives a package's .deb (an epoch's
// colon is escaped as %3a).
func DebFile(e Entry) string {
	return fmt.Sprintf("%s_%s_%s.deb", e.Name, strings.ReplaceAll(e.Version, ":", "%3a"), e.Arch)
}

// Wants are the lock's .debs as the source cache asks for them: by
// sha256, from a mirror, apt's exact version or the snapshot archive.
func Wants(lockPath string, es []Entry) []fetch.Want {
	ws := make([]fetch.Want, 0, len(es))
	for _, e := range es {
		ws = append(ws, fetch.Want{
			Recipe: lockPath, File: DebFile(e), SHA256: e.SHA256,
			Deb: e.Name + "=" + e.Version, Arch: e.Arch,
		})
	}
	return ws
}

// Materialize builds the seed tree in dest (absent or empty) from the
// lock at lockPath: it has f put every .deb of the lock in the source
// cache (each checked against its sha256), and only when all are there
// unpacks every package in Go, merges /bin, /sbin and /lib* into /usr,
// and adds the names builds expect (sh, cc, clang, ld.lld, llvm-ar, awk,
// ...). No maintainer script runs.
func Materialize(ctx context.Context, lockPath string, f *fetch.Fetcher, dest string) error {
	es, err := ReadLock(lockPath)
	if err != nil {
		return err
	}
	if err := f.Fetch(ctx, Wants(lockPath, es)); err != nil {
		return err // it names the lock and every .deb missing
	}
	if ents, err := os.ReadDir(dest); err == nil && len(ents) > 0 {
		return fmt.Errorf("seed: %s is not empty; materialize into a fresh directory", dest)
	}
	for _, e := range es {
		if err := unpack.Deb(f.Path(e.SHA256), dest); err != nil {
			return fmt.Errorf("seed: %s %s: %w", e.Name, e.Version, err)
		}
	}
	if err := MergeUsr(dest); err != nil {
		return err
	}
	return AddLinks(dest)
}

// Import materializes the lock into the store entry base and commits it,
// unless the store has it already. It returns the entry's host path.
func Import(ctx context.Context, s *store.Store, base, host, lockPath string, f *fetch.Fetcher) (string, error) {
	if s.Has(base) {
		return s.Path(base), nil
	}
	txn, err := s.Begin(base)
	if err != nil {
		return "", err
	}
	if txn.Done() { // another process committed it while we waited
		txn.Abort()
		return s.Path(base), nil
	}
	if err := Materialize(ctx, lockPath, f, txn.Out); err != nil {
		txn.Abort()
		return "", err
	}
	m := store.Manifest{Name: "seed", Version: host, Out: plan.StoreDir + "/" + base, Target: host, Stage: "seed"}
	if err := txn.Commit(m); err != nil {
		return "", err
	}
	return s.Path(base), nil
}
