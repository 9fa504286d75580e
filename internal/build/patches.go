package build

import (
	"fmt"
	"io"

	"stalix.dev/stalix-build/internal/patch"
)

// applyPatches applies a's patches to its unpacked source in order,
// noting in the log where a hunk applied away from its stated line.
func applyPatches(a *Action, src string, log io.Writer) error {
	for _, p := range a.Patches {
		pp, err := patch.Parse(p.Name, p.Data)
		if err == nil {
			var notes []string
			notes, err = pp.Apply(src)
			for _, note := range notes {
				fmt.Fprintf(log, "# stalix-build: %s\n", note)
			}
		}
		if err != nil {
			return fmt.Errorf("%s:%d: patches: %w. Fix: refresh %s against %s-%s's source (diff -u from the unpacked tree), or drop it from patches",
				a.Recipe, a.PatchesLine, err, p.Name, a.Name, a.Version)
		}
		fmt.Fprintf(log, "# stalix-build: applied %s\n", p.Name)
	}
	return nil
}
