package build

import (
	"fmt"
	"io"

	"stalix.dev/stalix-build/internal/patch"
	"stalix.dev/stalix-build/internal/plan"
)

// applyPatches applies n's patches to its unpacked source in order,
// noting in the log where a hunk applied away from its stated line.
func applyPatches(n *plan.Node, src string, log io.Writer) error {
	for _, p := range n.Patches {
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
				n.Recipe.File, n.Recipe.PatchesLine, err, p.Name, n.Name, n.Version)
		}
		fmt.Fprintf(log, "# stalix-build: applied %s\n", p.Name)
	}
	return nil
}
