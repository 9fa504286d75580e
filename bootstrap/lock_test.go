package bootstrap

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	shaA = "e66721b4fd2c47aa326a4100d9dfdbd8838e04c17479da560d88ac1aab5ea863"
	shaB = "3f6f833ae2fd533a0c9238310aef1148f51a64aa5d5f1278451ddc793d4d6d15"
)

func TestParseLock(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Entry // nil: an error containing err
		err      string
	}{
		{name: "good", in: "# header\n\nclang-14 1:14.0.6-12 amd64 " + shaA + " 101936\nzstd 1.5.4+dfsg2-5 amd64 " + shaB + " 700656\n",
			want: []Entry{{"clang-14", "1:14.0.6-12", "amd64", shaA, 101936}, {"zstd", "1.5.4+dfsg2-5", "amd64", shaB, 700656}}},
		{name: "arch all", in: "libclang-common-14-dev 1:14.0.6-12 all " + shaA + " 1\n",
			want: []Entry{{"libclang-common-14-dev", "1:14.0.6-12", "all", shaA, 1}}},
		{name: "empty", in: "# only comments\n", err: "no packages"},
		{name: "fields", in: "a 1 amd64 " + shaA + "\n", err: "got 4 fields"},
		{name: "short sha", in: "ab 1 amd64 abc 1\n", err: "not 64 lowercase hex"},
		{name: "upper sha", in: "ab 1 amd64 " + strings.ToUpper(shaA) + " 1\n", err: "not 64 lowercase hex"},
		{name: "bad name", in: "Ab 1 amd64 " + shaA + " 1\n", err: "bad package name"},
		{name: "bad version", in: "ab x/y amd64 " + shaA + " 1\n", err: "bad version"},
		{name: "bad size", in: "ab 1 amd64 " + shaA + " -3\n", err: "bad size"},
		{name: "size not a number", in: "ab 1 amd64 " + shaA + " big\n", err: "bad size"},
		{name: "unsorted", in: "zz 1 amd64 " + shaA + " 1\naa 1 amd64 " + shaB + " 1\n", err: "line 2: aa is out of order"},
		{name: "duplicate", in: "aa 1 amd64 " + shaA + " 1\naa 2 amd64 " + shaB + " 1\n", err: "out of order or repeated"},
	}
	for _, tc := range tests {
		got, err := ParseLock(strings.NewReader(tc.in))
		if tc.want != nil {
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: got %v, %v; want %v", tc.name, got, err, tc.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: got %v, want error with %q", tc.name, err, tc.err)
		}
	}
}

func TestFormatLockRoundTrip(t *testing.T) {
	es := []Entry{{"zstd", "1.5.4+dfsg2-5", "amd64", shaB, 700656}, {"clang-14", "1:14.0.6-12", "amd64", shaA, 101936}}
	text := FormatLock("line one\nline two", es)
	if !bytes.HasPrefix(text, []byte("# line one\n# line two\nclang-14 ")) {
		t.Errorf("unexpected lock text:\n%s", text)
	}
	got, err := ParseLock(bytes.NewReader(text))
	if err != nil || len(got) != 2 || got[0] != es[1] || got[1] != es[0] {
		t.Errorf("round trip: %v %v", got, err)
	}
}

func TestLockHash(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	line := "clang-14 1:14.0.6-12 amd64 " + shaA + " 101936\n"
	a := write("a", "# one comment\n"+line)
	b := write("b", "# another\n\n"+line)
	c := write("c", strings.Replace(line, shaA, shaB, 1))
	ha, err := LockHash(a)
	if err != nil {
		t.Fatal(err)
	}
	hb, _ := LockHash(b)
	hc, _ := LockHash(c)
	if ha != hb || len(ha) != 64 {
		t.Errorf("comments changed the hash: %s vs %s", ha, hb)
	}
	if ha == hc {
		t.Error("a different .deb sha256 kept the same lock hash")
	}
	if _, err := LockHash(write("bad", "nonsense\n")); err == nil {
		t.Error("LockHash accepted a bad lock")
	}
}

// The committed lock parses and covers what the issue asks the seed to run.
func TestCommittedLock(t *testing.T) {
	es, err := ReadLock("seed-x86_64.lock")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range es {
		have[e.Name] = true
	}
	list, err := ReadList("seed.list")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range list {
		if !have[n] {
			t.Errorf("seed.list wants %s but the lock lacks it: regenerate the lock", n)
		}
	}
}

func FuzzParseLock(f *testing.F) {
	f.Add("clang-14 1:14.0.6-12 amd64 " + shaA + " 101936\n")
	f.Add("# c\naa 1 all " + shaA + " 1\nab 2 amd64 " + shaB + " 2\n")
	f.Fuzz(func(t *testing.T, s string) {
		es, err := ParseLock(strings.NewReader(s))
		if err != nil {
			return
		}
		// Whatever parses survives a round trip unchanged.
		again, err := ParseLock(bytes.NewReader(FormatLock("", es)))
		if err != nil || !reflect.DeepEqual(es, again) {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
	})
}

func TestParseList(t *testing.T) {
	got, err := ParseList(strings.NewReader("# c\nclang-14   # why\n\n  make\nperl-base#x\n"))
	if err != nil || !reflect.DeepEqual(got, []string{"clang-14", "make", "perl-base"}) {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{"make\nmake\n", "a b\n", "Clang\n"} {
		if _, err := ParseList(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseList(%q) accepted", bad)
		}
	}
}

func FuzzParseList(f *testing.F) {
	f.Add("clang-14 # c\nmake\n")
	f.Fuzz(func(t *testing.T, s string) {
		names, err := ParseList(strings.NewReader(s))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, n := range names {
			if !pkgNameRE.MatchString(n) || seen[n] {
				t.Fatalf("%q: bad or repeated name %q", s, n)
			}
			seen[n] = true
		}
	})
}
