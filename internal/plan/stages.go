package plan

import (
	"fmt"
	"os"

	"github.com/BurntSushi/toml"
)

// Stage says how the nodes of one stage are built: whether their sandbox
// gets the seed, and which packages every node of the stage depends on.
type Stage struct {
	Name     string   `toml:"name"`
	Seed     bool     `toml:"seed"`
	Implicit []string `toml:"implicit"`
}

// Stages is the ordered list from stages/stages.toml.
type Stages struct {
	Stage []Stage `toml:"stage"`
}

// LoadStages reads the stage definitions.
func LoadStages(path string) (*Stages, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Stages
	if _, err := toml.Decode(string(data), &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(s.Stage) == 0 {
		return nil, fmt.Errorf("%s: no [[stage]] tables", path)
	}
	return &s, nil
}

// Get returns the named stage.
func (s *Stages) Get(name string) (Stage, error) {
	for _, st := range s.Stage {
		if st.Name == name {
			return st, nil
		}
	}
	names := make([]string, len(s.Stage))
	for i, st := range s.Stage {
		names[i] = st.Name
	}
	return Stage{}, fmt.Errorf("unknown stage %q (stages: %v)", name, names)
}
