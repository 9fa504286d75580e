package check

import (
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/store"
)

// Comparison is one package built two ways, by two toolchains.
type Comparison struct {
	A         string     `json:"a"`
	B         string     `json:"b"`
	OutA      string     `json:"out_a"`
	OutB      string     `json:"out_b"`
	Identical bool       `json:"identical"`
	Files     []FileDiff `json:"files,omitempty"`
}

// CompareBuilds compares the store entries of a and b file by file.
func CompareBuilds(s *store.Store, a, b *plan.Node) (*Comparison, error) {
	files, err := CompareTrees(s.Path(a.Base()), s.Path(b.Base()))
	if err != nil {
		return nil, err
	}
	return &Comparison{A: a.ID(), B: b.ID(), OutA: a.Out(), OutB: b.Out(), Identical: len(files) == 0, Files: files}, nil
}
