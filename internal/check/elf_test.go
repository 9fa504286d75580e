package check

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The fixtures are real lld output (testdata/elf/gen.sh): one program linked with and without a
// build-id note, and once with a constant changed.
func fixture(name string) string { return filepath.Join("testdata", "elf", name) }

func TestExplainELF(t *testing.T) {
	for _, c := range []struct {
		name, a, b       string
		explained        bool
		onlyA, onlyB     []string
		moved            bool   // some values moved by a shift
		unexplainedStart string // where every unexplained value is, "" for none
	}{
		{"build-id only", "p-buildid", "p", true, []string{".note.gnu.build-id"}, nil, true, ""},
		{"the other way", "p", "p-buildid", true, nil, []string{".note.gnu.build-id"}, true, ""},
		{"one constant", "p", "p-changed", false, nil, nil, false, ".text+"},
		{"a constant among shifts", "p-buildid", "p-changed", false, []string{".note.gnu.build-id"}, nil, true, ".text+"},
		{"itself", "p", "p", true, nil, nil, false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := ExplainELF(fixture(c.a), fixture(c.b))
			if err != nil || d == nil {
				t.Fatalf("ExplainELF: %v, %v", d, err)
			}
			if d.Explained() != c.explained {
				t.Errorf("Explained() = %v, want %v: %s", d.Explained(), c.explained, d)
			}
			if !slices.Equal(d.OnlyA, c.onlyA) || !slices.Equal(d.OnlyB, c.onlyB) {
				t.Errorf("only in a %q, b %q; want %q, %q", d.OnlyA, d.OnlyB, c.onlyA, c.onlyB)
			}
			if len(d.Resized) != 0 {
				t.Errorf("resized %q: the name table should follow the note", d.Resized)
			}
			if (d.Moved > 0) != c.moved || (len(d.Shifts) > 0) != c.moved {
				t.Errorf("moved %d values by shifts %v, want some: %v", d.Moved, d.Shifts, c.moved)
			}
			if c.unexplainedStart == "" && len(d.Unexplained) != 0 || c.unexplainedStart != "" && len(d.Unexplained) == 0 {
				t.Errorf("unexplained %q, want values at %q", d.Unexplained, c.unexplainedStart)
			}
			for _, u := range d.Unexplained {
				if !strings.HasPrefix(u, c.unexplainedStart) {
					t.Errorf("unexplained value at %s, want only in %s", u, c.unexplainedStart)
				}
			}
			if c.a == c.b && (d.Values != 0 || d.Same != d.Common) {
				t.Errorf("a file against itself: %s", d)
			}
		})
	}
}

func TestExplainELFInput(t *testing.T) {
	if d, err := ExplainELF(fixture("prog.c"), fixture("p")); d != nil || err != nil {
		t.Errorf("a C file is not ELF: got %v, %v", d, err)
	}
	data, err := os.ReadFile(fixture("p"))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut")
	os.WriteFile(cut, data[:100], 0o644)
	if _, err := ExplainELF(fixture("p"), cut); err == nil || !strings.Contains(err.Error(), cut) {
		t.Errorf("a truncated ELF: err %v, want one naming %s", err, cut)
	}
}

// CompareTrees explains an ELF file that differs, and only that.
func TestCompareTreesELF(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for dir, files := range map[string][2]string{a: {"p-buildid", "prog.c"}, b: {"p", "p-changed"}} {
		for i, name := range []string{"bin/p", "src/prog.c"} {
			data, err := os.ReadFile(fixture(files[i]))
			if err != nil {
				t.Fatal(err)
			}
			os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
			os.WriteFile(filepath.Join(dir, name), data, 0o644)
		}
	}
	diffs, err := CompareTrees(a, b)
	if err != nil || len(diffs) != 2 {
		t.Fatalf("CompareTrees: %+v, %v", diffs, err)
	}
	if diffs[0].Path != "bin/p" || diffs[0].ELF == nil || !diffs[0].ELF.Explained() {
		t.Errorf("bin/p: %+v, want an ELF diff explained by layout", diffs[0])
	}
	if diffs[1].ELF != nil || diffs[1].ELFError != "" {
		t.Errorf("src/prog.c (a C file against an ELF one): %+v, want no ELF diff", diffs[1])
	}
}

// FuzzExplainELF feeds a damaged second file: never a panic, and counts that add up.
func FuzzExplainELF(f *testing.F) {
	for _, name := range []string{"p", "p-buildid", "p-changed"} {
		data, err := os.ReadFile(fixture(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:64])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		b := filepath.Join(dir, "b")
		if err := os.WriteFile(b, data, 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := ExplainELF(fixture("p-buildid"), b)
		if err != nil || d == nil {
			return
		}
		if d.Moved > d.Values || d.Same > d.Common {
			t.Errorf("counts do not add up: %+v", d)
		}
		_ = d.String()
	})
}
