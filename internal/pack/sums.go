package pack

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"stalix.dev/stalix-build/internal/atomicfile"
	"stalix.dev/stalix-build/internal/store"
)

// WriteSums lists every image in out, sorted, in sha256sum's format, as
// out/SHA256SUMS.
func WriteSums(out string) error {
	des, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	var names []string
	for _, de := range des {
		n := de.Name()
		if de.Type().IsRegular() && n != "SHA256SUMS" && !strings.HasSuffix(n, ".tmp") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		sum, err := store.FileSHA256(filepath.Join(out, n))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, n)
	}
	return atomicfile.Write(filepath.Join(out, "SHA256SUMS"), func(w io.Writer) error {
		_, err := io.WriteString(w, b.String())
		return err
	})
}
