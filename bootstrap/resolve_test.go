package bootstrap

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestDepNames(t *testing.T) {
	got := depNames("libc6 (>= 2.34), perl:any, mawk | awk, foo [amd64] <!nocheck>, libx (= 1:2) | liby")
	want := [][]string{{"libc6"}, {"perl"}, {"mawk", "awk"}, {"foo"}, {"libx", "liby"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzDepNames(f *testing.F) {
	f.Add("libc6 (>= 2.34), perl:any, mawk | awk")
	f.Fuzz(func(t *testing.T, s string) {
		for _, g := range depNames(s) {
			if len(g) == 0 {
				t.Fatalf("%q: empty group", s)
			}
			for _, n := range g {
				if n == "" || strings.ContainsAny(n, " ,|(:") {
					t.Fatalf("%q: bad name %q", s, n)
				}
			}
		}
	})
}

func TestParseShowpkg(t *testing.T) {
	out := `Package: awk
Versions: 

Reverse Depends: 
  base-files,awk
Dependencies: 
Provides: 
Reverse Provides: 
original-awk 2022-09-12-1 (= )
mawk:i386 1.3.4 (= )
gawk 1:5.2.1-2 (= )
mawk 1.3.4.20200120-3.1 (= )
Package: c-compiler
Versions: 

Reverse Provides: 
tcc 0.9.27 (= )
`
	got := parseShowpkg(out, "amd64")
	want := map[string][]string{"awk": {"gawk", "mawk", "original-awk"}, "c-compiler": {"tcc"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// fakeApt answers apt-cache like a tiny archive.
func fakeApt(pkgs map[string]string, provides map[string][]string) *Apt {
	return &Apt{run: func(ctx context.Context, name string, args ...string) ([]byte, error) {
		var b strings.Builder
		switch args[0] {
		case "show":
			for _, a := range args[2:] {
				n, _, _ := strings.Cut(a, ":")
				if deps, ok := pkgs[n]; ok {
					fmt.Fprintf(&b, "Package: %s\nVersion: 1.0-1\nArchitecture: amd64\nDepends: %s\nSize: 10\nSHA256: %s\n\n", n, deps, shaA)
				}
			}
		case "showpkg":
			for _, n := range args[1:] {
				fmt.Fprintf(&b, "Package: %s\nVersions: \n\nReverse Provides: \n", n)
				for _, p := range provides[n] {
					fmt.Fprintf(&b, "%s 1.0-1 (= )\n", p)
				}
			}
		}
		return []byte(b.String()), nil
	}}
}

func TestClosure(t *testing.T) {
	pkgs := map[string]string{
		"app":    "libc (>= 2), missing | libfoo, awk, perl:any",
		"libc":   "",
		"libfoo": "libc",
		"gawk":   "libc",
		"mawk":   "libc",
		"perl":   "libc",
		"other":  "",
	}
	provides := map[string][]string{"awk": {"mawk", "gawk"}}
	tests := []struct {
		wanted []string
		want   string
	}{
		// awk: first provider by name.
		{[]string{"app"}, "app gawk libc libfoo perl"},
		// awk: a provider already wanted wins.
		{[]string{"mawk", "app"}, "app libc libfoo mawk perl"},
		// A virtual package asked for by name.
		{[]string{"awk"}, "gawk libc"},
	}
	for _, tc := range tests {
		es, err := fakeApt(pkgs, provides).Closure(context.Background(), tc.wanted)
		if err != nil {
			t.Fatalf("%v: %v", tc.wanted, err)
		}
		var names []string
		for _, e := range es {
			names = append(names, e.Name)
		}
		if got := strings.Join(names, " "); got != tc.want {
			t.Errorf("%v: got %s, want %s", tc.wanted, got, tc.want)
		}
	}
	_, err := fakeApt(map[string]string{"xx": "nothere | alsonot"}, nil).Closure(context.Background(), []string{"xx"})
	if err == nil || !strings.Contains(err.Error(), "xx depends on nothing installable for nothere | alsonot") {
		t.Errorf("unresolvable: %v", err)
	}
}
