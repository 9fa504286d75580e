package plan

import (
	"fmt"
	"strings"
)

// DOT is the build graph in Graphviz's language: an edge points from a
// node to what it needs, dashed for what it needs at run time.
func (pl *Plan) DOT() string {
	var b strings.Builder
	b.WriteString("digraph stalix {\n  rankdir=LR;\n")
	for _, n := range pl.Nodes {
		fmt.Fprintf(&b, "  %q [label=%q];\n", n.ID(), n.Name+"-"+n.Version+"\\n"+n.Target.Arch+" "+n.Stage)
	}
	for _, n := range pl.Nodes {
		for _, d := range n.Deps {
			fmt.Fprintf(&b, "  %q -> %q;\n", n.ID(), d.ID())
		}
		for _, d := range n.Runtime {
			fmt.Fprintf(&b, "  %q -> %q [style=dashed];\n", n.ID(), d.ID())
		}
	}
	b.WriteString("}\n")
	return b.String()
}
