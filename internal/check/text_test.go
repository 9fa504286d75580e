package check

import (
	"bytes"
	"testing"
)

// What check and compare print: a verdict per output, and for each
// differing file its sizes, hashes and first differing byte, or its note.
func TestWriteText(t *testing.T) {
	diff := FileDiff{Path: "bin/x", SizeA: 10, SizeB: 12, HashA: "aaaaaaaaaaaaaaaaaaaa", HashB: "bbbbbbbbbbbbbbbbbbbb", Offset: 7}
	rep := &Report{
		Packages: []Result{
			{Name: "musl", Version: "1.2.3", Target: "x86_64", Out: "/ix/store/a-musl", Reproducible: true},
			{Name: "linux", Version: "6.1", Target: "aarch64", Out: "/ix/store/b-linux", Files: []FileDiff{diff, {Path: "lib/y", Note: "only in the first build"}}},
			{Name: "zlib", Version: "1.2.13", Target: "x86_64", Out: "/ix/store/c-zlib", Error: "rebuild failed"},
		},
		Images: []ImageResult{{Name: "minimal-x86_64.img", Identical: true}, {Name: "minimal-x86_64.tar.zst", Note: "the tars differ"}},
	}
	var got bytes.Buffer
	rep.WriteText(&got)
	want := `reproducible x86_64   musl-1.2.3  /ix/store/a-musl
DIFFERS      aarch64  linux-6.1  /ix/store/b-linux
    bin/x: 10 bytes sha256 aaaaaaaaaaaaaaaa vs 12 bytes sha256 bbbbbbbbbbbbbbbb, first difference at byte 7
    lib/y: only in the first build
ERROR        x86_64   zlib-1.2.13  /ix/store/c-zlib
    rebuild failed
identical    image    minimal-x86_64.img
DIFFERS      image    minimal-x86_64.tar.zst
    the tars differ
`
	if got.String() != want {
		t.Errorf("Report.WriteText:\n%s\nwant:\n%s", got.String(), want)
	}
	got.Reset()
	(&Comparison{A: "llvm@x86_64", B: "llvm@x86_64/toolchain2", OutA: "/ix/store/a", OutB: "/ix/store/b", Files: []FileDiff{diff}}).WriteText(&got)
	want = `llvm@x86_64 (/ix/store/a)
llvm@x86_64/toolchain2 (/ix/store/b)
DIFFER in 1 files
    bin/x: 10 bytes sha256 aaaaaaaaaaaaaaaa vs 12 bytes sha256 bbbbbbbbbbbbbbbb, first difference at byte 7
`
	if got.String() != want {
		t.Errorf("Comparison.WriteText:\n%s\nwant:\n%s", got.String(), want)
	}
}
