package plan

import (
	"fmt"
	"io"
	"strings"
)

// Row is one node as `plan --json` lists it.
type Row struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Target    string `json:"target"`
	Stage     string `json:"stage"`
	Toolchain string `json:"toolchain"`
	Out       string `json:"out"`
	Cached    bool   `json:"cached"`
	// Installs names the system profile a node belongs to, for an install media.
	Installs string `json:"installs,omitempty"`
}

// Rows lists p's nodes in build order; installs is the system profile
// they belong to, "" for the profile's own.
func (p *Plan) Rows(installs string) []Row {
	rows := make([]Row, 0, len(p.Nodes))
	for _, n := range p.Nodes {
		rows = append(rows, Row{n.Name, n.Version, n.Target.Arch, n.Stage, n.Toolchain, n.Out(), n.Cached, installs})
	}
	return rows
}

// WriteTable lists p's nodes in build order, a line each: * when the
// store has it, the stage, name-version, the ID without the name (the
// arch, and /toolchain when not the seed's) and the store path.
func (p *Plan) WriteTable(w io.Writer) {
	for _, n := range p.Nodes {
		mark := " "
		if n.Cached {
			mark = "*"
		}
		fmt.Fprintf(w, "%s %-10s %-22s %-8s %s\n", mark, n.Stage, n.Name+"-"+n.Version, strings.TrimPrefix(n.ID(), n.Name+"@"), n.Out())
	}
	fmt.Fprintf(w, "%d nodes (* = in the store)\n", len(p.Nodes))
}
