package fetch

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseMirrors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"/srv/a:/srv/b", []string{"/srv/a", "/srv/b"}},
		{"/srv/a /srv/b\t/srv/c", []string{"/srv/a", "/srv/b", "/srv/c"}},
		{"https://m.example/src:/srv/m", []string{"https://m.example/src", "/srv/m"}},
		{"http://h:8080/src:file:///srv/x", []string{"http://h:8080/src", "file:///srv/x"}},
		{"http://h:8080:/d", []string{"http://h:8080", "/d"}},
		{"::/a::", []string{"/a"}},
		{"http", []string{"http"}},
	}
	for _, tc := range tests {
		if got := ParseMirrors(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseMirrors(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzParseMirrors: no mirror is empty or holds a space, and joining the
// mirrors back with ":" loses no non-separator character.
func FuzzParseMirrors(f *testing.F) {
	f.Add("http://h:8080/src:file:///srv/x /srv/a")
	f.Fuzz(func(t *testing.T, s string) {
		ms := ParseMirrors(s)
		kept := 0
		for _, m := range ms {
			if m == "" || strings.ContainsAny(m, " \t\n") {
				t.Fatalf("bad mirror %q from %q", m, s)
			}
			kept += len(strings.ReplaceAll(m, ":", ""))
		}
		in := len(strings.Join(strings.Fields(strings.ReplaceAll(s, ":", " ")), ""))
		if kept != in {
			t.Fatalf("%q: mirrors %q keep %d characters, input has %d", s, ms, kept, in)
		}
	})
}
