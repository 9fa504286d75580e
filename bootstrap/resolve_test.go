package bootstrap

import (
	"context"
	"fmt"
	"os/exec"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestParseDeps(t *testing.T) {
	got := parseDeps("libc6 (>= 2.34), perl:any, mawk | awk, foo [amd64] <!nocheck>, libx (= 1:2) | liby, libz (<<3~)")
	want := [][]Dep{
		{{"libc6", Relation{">=", "2.34"}}},
		{{"perl", Relation{}}},
		{{"mawk", Relation{}}, {"awk", Relation{}}},
		{{"foo", Relation{}}},
		{{"libx", Relation{"=", "1:2"}}, {"liby", Relation{}}},
		{{"libz", Relation{"<<", "3~"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func FuzzParseDeps(f *testing.F) {
	f.Add("libc6 (>= 2.34), perl:any, mawk | awk")
	f.Add("a (>>1) | b (<= 2:3-4~)")
	f.Fuzz(func(t *testing.T, s string) {
		for _, g := range parseDeps(s) {
			if len(g) == 0 {
				t.Fatalf("%q: empty group", s)
			}
			for _, d := range g {
				if d.Name == "" || strings.ContainsAny(d.Name, " ,|(:") {
					t.Fatalf("%q: bad name %q", s, d.Name)
				}
				d.Rel.Allows("1.0") // must not panic
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

func TestParseMadison(t *testing.T) {
	out := `linux-libc-dev |  6.1.192-3 | ARCHIVE/debian-security bookworm-security/main amd64 Packages
linux-libc-dev |  6.1.176-1 | ARCHIVE/debian bookworm/main amd64 Packages
     linux |  6.1.176-1 | ARCHIVE/debian bookworm/main Sources
      dash |   0.5.12-2 | ARCHIVE/debian bookworm/main amd64 Packages
      dash |   0.5.12-3 | ARCHIVE/debian bookworm-backports/main amd64 Packages
`
	got := parseMadison(out)
	want := map[string][]string{
		"linux-libc-dev 6.1.192-3": {"bookworm-security"},
		"linux-libc-dev 6.1.176-1": {"bookworm"},
		"dash 0.5.12-2":            {"bookworm"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// pkg is one version of a package in fakeArchive.
type pkg struct {
	name, version, suite, depends string
}

// fakeArchive answers apt-cache show, madison and showpkg like a tiny
// archive. A package with suite "" is known only to dpkg's status file.
func fakeArchive(pkgs []pkg, provides map[string][]string) *Apt {
	return &Apt{run: func(ctx context.Context, name string, args ...string) ([]byte, error) {
		var b strings.Builder
		switch args[0] {
		case "show":
			for _, a := range args[1:] {
				n, _, _ := strings.Cut(a, ":")
				for _, p := range pkgs {
					if p.name == n {
						sha := ""
						if p.suite != "" {
							sha = fakeSHA(p)
						}
						fmt.Fprintf(&b, "Package: %s\nVersion: %s\nArchitecture: amd64\nDepends: %s\nSize: 10\nSHA256: %s\n\n", n, p.version, p.depends, sha)
					}
				}
			}
		case "madison":
			for _, n := range args[1:] {
				for _, p := range pkgs {
					if p.name == n && p.suite != "" {
						fmt.Fprintf(&b, "%s | %s | ARCHIVE %s/main amd64 Packages\n", n, p.version, p.suite)
					}
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

func fakeSHA(p pkg) string {
	s := fmt.Sprintf("%x", p.name+p.version)
	return (s + strings.Repeat("0", 64))[:64]
}

func entries(es []Entry) string {
	var s []string
	for _, e := range es {
		s = append(s, e.Name+"="+e.Version)
	}
	return strings.Join(s, " ")
}

func TestResolve(t *testing.T) {
	archive := []pkg{
		{"app", "1.0-1", "bookworm", "libc (>= 2), missing | libfoo, awk, perl:any"},
		{"libc", "2.36-9", "bookworm", ""},
		{"libc", "2.36-9+deb12u7", "bookworm-security", ""},
		{"libc", "2.36-1", "", ""}, // installed only: not served
		{"libfoo", "1.0-1", "bookworm", "libc"},
		{"gawk", "1:5.2-1", "bookworm", "libc"},
		{"mawk", "1.3-1", "bookworm", "libc"},
		{"perl", "5.36-7", "bookworm", "libc"},
		{"perl", "5.36-7+deb12u4", "bookworm-security", "libc (>= 2.36-9+deb12u7)"},
		{"tool", "2.0-1", "bookworm", "libc (>= 2.36-9+deb12u1)"},
	}
	provides := map[string][]string{"awk": {"mawk", "gawk"}}
	pin := func(name, version string) Entry {
		for _, p := range archive {
			if p.name == name && p.version == version {
				return Entry{Name: name, Version: version, Arch: "amd64", SHA256: fakeSHA(p), Size: 10}
			}
		}
		t.Fatalf("no %s=%s", name, version)
		return Entry{}
	}
	tests := []struct {
		name   string
		wanted []string
		keep   []Entry
		want   string
	}{
		{"base suite preferred; awk is the first provider by name",
			[]string{"app"}, nil, "app=1.0-1 gawk=1:5.2-1 libc=2.36-9 libfoo=1.0-1 perl=5.36-7"},
		{"a provider already wanted wins",
			[]string{"mawk", "app"}, nil, "app=1.0-1 libc=2.36-9 libfoo=1.0-1 mawk=1.3-1 perl=5.36-7"},
		{"a virtual package asked for by name", []string{"awk"}, nil, "gawk=1:5.2-1 libc=2.36-9"},
		{"a served pin is kept, and forces its dependency up",
			[]string{"app"}, []Entry{pin("perl", "5.36-7+deb12u4")},
			"app=1.0-1 gawk=1:5.2-1 libc=2.36-9+deb12u7 libfoo=1.0-1 perl=5.36-7+deb12u4"},
		{"a pin nothing serves moves",
			[]string{"libc"}, []Entry{{Name: "libc", Version: "2.36-1", Arch: "amd64", SHA256: strings.Repeat("a", 64), Size: 1}},
			"libc=2.36-9"},
		{"a constraint met after the choice redoes it",
			[]string{"libc", "tool"}, nil, "libc=2.36-9+deb12u7 tool=2.0-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			es, err := fakeArchive(archive, provides).Resolve(context.Background(), tc.wanted, tc.keep)
			if err != nil {
				t.Fatal(err)
			}
			if got := entries(es); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		archive []pkg
		wanted  string
		err     string
	}{
		{[]pkg{{"xx", "1", "bookworm", "nothere | alsonot"}}, "xx",
			"xx 1 depends on nothing installable for nothere | alsonot"},
		{[]pkg{{"xx", "1", "bookworm", "yy (>= 3)"}, {"yy", "2", "bookworm", ""}}, "xx",
			"xx 1 depends on nothing installable for yy (>= 3)"},
	} {
		_, err := fakeArchive(tc.archive, nil).Resolve(context.Background(), []string{tc.wanted}, nil)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("got %v, want %q", err, tc.err)
		}
	}
}

func TestDiff(t *testing.T) {
	e := func(n, v, sha string) Entry {
		return Entry{Name: n, Version: v, Arch: "amd64", SHA256: strings.Repeat(sha, 64), Size: 1}
	}
	old := []Entry{e("a", "1", "a"), e("b", "1", "b"), e("c", "1", "c"), e("d", "1", "d")}
	new := []Entry{e("a", "1", "a"), e("b", "2", "b"), e("c", "1", "e"), e("z", "9", "f")}
	var got []string
	for _, c := range Diff(old, new) {
		got = append(got, c.String())
	}
	want := []string{"b 1 -> 2", "c 1 sha256 cccccccccccc -> 1 sha256 eeeeeeeeeeee", "d 1 -> (gone)", "z (new) -> 9"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if d := Diff(old, old); len(d) != 0 {
		t.Errorf("a lock against itself: %v", d)
	}
}

func TestCompareVersions(t *testing.T) {
	// Each row is in increasing order, per dpkg --compare-versions.
	rows := [][]string{
		{"1.0~rc1", "1.0", "1.0-1", "1.0-1+b1", "1.0+dfsg-1", "1.0.1", "1:0.1"},
		{"2.36-9", "2.36-9+deb12u1", "2.36-9+deb12u7", "2.36-9+deb12u14", "2.36-10"},
		{"6.1.176-1", "6.1.192-2", "6.1.192-3"},
		{"5.4.1-1", "5.4.1-1+deb12u1", "5.4.1-1+deb12u2"},
		{"1.0~~", "1.0~", "1.0", "1.0a", "1.0+"},
		{"0001", "2", "10"},
	}
	for _, row := range rows {
		for i := range row {
			for j := range row {
				want := 0
				if i < j {
					want = -1
				} else if i > j {
					want = 1
				}
				if got := CompareVersions(row[i], row[j]); got != want {
					t.Errorf("compare(%s, %s) = %d, want %d", row[i], row[j], got, want)
				}
			}
		}
		shuffled := append([]string(nil), row...)
		sort.Slice(shuffled, func(i, j int) bool { return CompareVersions(shuffled[i], shuffled[j]) < 0 })
		if !reflect.DeepEqual(shuffled, row) {
			t.Errorf("sorted %v, want %v", shuffled, row)
		}
	}
}

// The host's dpkg is the reference: a few hundred version pairs from the
// lock and their neighbours compare as dpkg --compare-versions says.
func TestCompareVersionsWithDpkg(t *testing.T) {
	dpkgCompare := dpkgOracle(t)
	es, err := ReadLock("seed-x86_64.lock")
	if err != nil {
		t.Fatal(err)
	}
	vs := []string{"1.0~rc1", "1.0", "1:0.9", "1.0-1~bpo1", "1.0-1+b1"}
	for _, e := range es {
		vs = append(vs, e.Version)
	}
	for i := 0; i+1 < len(vs); i += 3 {
		a, b := vs[i], vs[(i*7+1)%len(vs)]
		if got, want := CompareVersions(a, b), dpkgCompare(a, b); got != want {
			t.Errorf("compare(%s, %s) = %d, dpkg says %d", a, b, got, want)
		}
	}
}

func FuzzCompareVersions(f *testing.F) {
	f.Add("1.0~rc1-1", "1:1.0-1+b1")
	f.Fuzz(func(t *testing.T, a, b string) {
		if x, y := CompareVersions(a, b), CompareVersions(b, a); x != -y {
			t.Fatalf("compare(%q, %q) = %d but compare(%q, %q) = %d", a, b, x, b, a, y)
		}
	})
}

// dpkgOracle compares two versions with the host's dpkg.
func dpkgOracle(t *testing.T) func(a, b string) int {
	t.Helper()
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("needs dpkg (a Debian host)")
	}
	return func(a, b string) int {
		for _, c := range []struct {
			op  string
			res int
		}{{"lt", -1}, {"eq", 0}, {"gt", 1}} {
			if exec.Command("dpkg", "--compare-versions", a, c.op, b).Run() == nil {
				return c.res
			}
		}
		t.Fatalf("dpkg compares %s and %s as neither lt, eq nor gt", a, b)
		return 0
	}
}
