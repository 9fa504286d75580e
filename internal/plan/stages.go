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
	// ImplicitCXX is added to the nodes of recipes that compile C++
	// (cxx = true), and only to them.
	ImplicitCXX []string `toml:"implicit_cxx"`
	// Toolchain, when set, builds every node of the stage whatever the
	// profile chooses: the inputs of a compiler build cannot wait for it.
	Toolchain string `toml:"toolchain"`
	// SeedlessImplicit replaces the seed under a toolchain that is
	// Seedless: packages planned for the build host whose bin/ directories
	// stand in for the seed's /usr/bin. The first one's bin/ also becomes
	// /bin and /usr/bin, so it must hold sh and env.
	SeedlessImplicit []string `toml:"seedless_implicit"`
	// SeedlessLibs are libraries for the build host that replace the
	// seed's -dev packages under a seedless toolchain: the template hands
	// them to the build's host programs (HOSTCFLAGS, HOSTLDFLAGS).
	SeedlessLibs []string `toml:"seedless_libs"`
}

// Toolchain is a compiler a profile may build with. The seed's clang is
// the one without a Compiler; every other is the Compiler recipe's output
// when built by the toolchain BuiltBy.
type Toolchain struct {
	Name     string `toml:"name"`
	Compiler string `toml:"compiler"`
	BuiltBy  string `toml:"built_by"`
	// Seedless takes the seed away from every stage that says what
	// replaces it (SeedlessImplicit) for nodes built by this toolchain.
	Seedless bool `toml:"seedless"`
}

// SeedToolchain is the seed's own clang, the start of every chain.
const SeedToolchain = "seed"

// Stages is the ordered list from stages/stages.toml.
type Stages struct {
	Stage     []Stage     `toml:"stage"`
	Toolchain []Toolchain `toml:"toolchain"`
}

// LoadStages reads the stage definitions.
func LoadStages(path string) (*Stages, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseStages(path, data)
}

// ParseStages decodes stages.toml text; path is for errors.
func ParseStages(path string, data []byte) (*Stages, error) {
	var s Stages
	if _, err := toml.Decode(string(data), &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(s.Stage) == 0 {
		return nil, fmt.Errorf("%s: no [[stage]] tables", path)
	}
	if err := s.checkToolchains(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// checkToolchains makes sure every chain ends at the seed: a toolchain
// built by one that is not listed, or by itself through others, could
// never be planned.
func (s *Stages) checkToolchains() error {
	for _, t := range s.Toolchain {
		seen := map[string]bool{}
		for cur := t; cur.Name != SeedToolchain; {
			if seen[cur.Name] {
				return fmt.Errorf("toolchain %q is built by itself (through %q)", t.Name, cur.Name)
			}
			seen[cur.Name] = true
			if cur.Compiler == "" || cur.BuiltBy == "" {
				return fmt.Errorf("toolchain %q needs compiler and built_by", cur.Name)
			}
			next, err := s.GetToolchain(cur.BuiltBy)
			if err != nil {
				return fmt.Errorf("toolchain %q: built_by: %w", cur.Name, err)
			}
			cur = next
		}
	}
	for _, st := range s.Stage {
		if len(st.SeedlessImplicit) > 0 && !st.Seed {
			return fmt.Errorf("stage %q: seedless_implicit replaces the seed, but the stage has none (seed = false)", st.Name)
		}
		if st.Toolchain != "" {
			if _, err := s.GetToolchain(st.Toolchain); err != nil {
				return fmt.Errorf("stage %q: %w", st.Name, err)
			}
		}
	}
	return nil
}

// GetToolchain returns the named toolchain; "seed" always exists.
func (s *Stages) GetToolchain(name string) (Toolchain, error) {
	if name == SeedToolchain {
		return Toolchain{Name: SeedToolchain}, nil
	}
	names := []string{SeedToolchain}
	for _, t := range s.Toolchain {
		if t.Name == name {
			return t, nil
		}
		names = append(names, t.Name)
	}
	return Toolchain{}, fmt.Errorf("unknown toolchain %q (toolchains: %v)", name, names)
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
