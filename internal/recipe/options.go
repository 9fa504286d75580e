package recipe

import (
	"fmt"
	"sort"

	"github.com/BurntSushi/toml"
)

// PolicyOptions are the options the build reads itself, for the output
// policy; templates read the others as they are written. The tags let a
// recipe or profile be decoded again into them, for the line of a wrong one.
type PolicyOptions struct {
	NoStrip        bool     `toml:"no_strip"`
	Static         bool     `toml:"static"`
	AllowBuildPath []string `toml:"allow_build_path"`
}

// Policy reads the policy options out of opts. A missing one takes its
// default; one of the wrong type is an error, never the default, since a
// static = "no" read as static = true would check what the author turned off.
func Policy(opts map[string]any) (PolicyOptions, error) {
	p := PolicyOptions{Static: true}
	for _, b := range []struct {
		key  string
		into *bool
	}{{"no_strip", &p.NoStrip}, {"static", &p.Static}} {
		v, ok := opts[b.key]
		if !ok {
			continue
		}
		if *b.into, ok = v.(bool); !ok {
			return p, fmt.Errorf("option %s = %s: want true or false", b.key, tomlValue(v))
		}
	}
	if v, ok := opts["allow_build_path"]; ok {
		bad := fmt.Errorf(`option allow_build_path = %s: want a list of globs, such as ["share/doc/**"]`, tomlValue(v))
		switch list := v.(type) {
		case []string:
			p.AllowBuildPath = list
		case []any:
			for _, e := range list {
				s, ok := e.(string)
				if !ok {
					return p, bad
				}
				p.AllowBuildPath = append(p.AllowBuildPath, s)
			}
		default:
			return p, bad
		}
	}
	return p, nil
}

func tomlValue(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

// AtLine places err, found in a value decoded from path, at its line: data
// is decoded again into shadow, a struct whose types make the same value a
// mismatch, and the decoder names the line. Without one, err names the file.
func AtLine(path string, data []byte, shadow any, err error) error {
	if _, derr := toml.Decode(string(data), shadow); derr != nil {
		if m := lineRE.FindStringSubmatch(derr.Error()); m != nil {
			return fmt.Errorf("%s:%s:1: %w", path, m[1], err)
		}
	}
	return fmt.Errorf("%s: %w", path, err)
}

// checkOptions checks the policy options of the recipe's [options] and
// every [target.<arch>.options].
func (r *Recipe) checkOptions(data []byte) error {
	tables := []map[string]any{r.Options}
	arches := make([]string, 0, len(r.Target))
	for a := range r.Target {
		arches = append(arches, a)
	}
	sort.Strings(arches)
	for _, a := range arches {
		tables = append(tables, r.Target[a].Options)
	}
	for _, opts := range tables {
		if _, err := Policy(opts); err != nil {
			var shadow struct {
				Options PolicyOptions `toml:"options"`
				Target  map[string]struct {
					Options PolicyOptions `toml:"options"`
				} `toml:"target"`
			}
			return AtLine(r.File, data, &shadow, err)
		}
	}
	return nil
}
