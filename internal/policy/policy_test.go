package policy

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStatic(t *testing.T) {
	for _, tc := range []struct {
		name   string
		file   string // test ELF copied to bin/prog
		static bool   // Options.Static
		want   []string
	}{
		{"static exe in target", "static", true, nil},
		{"static-pie exe in target", "static-pie", true, nil},
		{"dynamic exe in target", "dynamic", true, []string{"bin/prog: has a program interpreter", "PT_INTERP", "bin/prog: needs the shared library libc.so.6 (DT_NEEDED)"}},
		{"shared lib in target", "libx.so", true, []string{"bin/prog: needs the shared library libc.so.6 (DT_NEEDED)"}},
		{"object in target", "lib.o", true, nil},
		{"archive in target", "libx.a", true, nil},
		{"dynamic exe in host package", "dynamic", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := testELF(t, tc.file)
			dir := t.TempDir()
			unseal(t, dir)
			copyFile(t, src, dir, "bin/prog", 0o755)
			writeFile(t, dir, "share/readme", []byte("not an ELF\n"), 0o644)
			err := Apply(dir, Options{Epoch: 1, Static: tc.static})
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected: %v", err)
				}
				return
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a policy error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestStaticOracle checks the ELF verdicts against readelf, the reference reader.
func TestStaticOracle(t *testing.T) {
	if _, err := exec.LookPath("readelf"); err != nil {
		t.Skip("needs readelf (apt-get install binutils)")
	}
	for _, name := range []string{"static", "dynamic", "static-pie", "libx.so", "lib.o"} {
		t.Run(name, func(t *testing.T) {
			p := testELF(t, name)
			out, err := exec.Command("readelf", "-W", "-l", "-d", p).CombinedOutput()
			if err != nil {
				t.Fatalf("readelf: %v\n%s", err, out)
			}
			wantDynamic := bytes.Contains(out, []byte("Requesting program interpreter")) || bytes.Contains(out, []byte("(NEEDED)"))
			gotDynamic := len(dynamicDeps(p)) > 0
			if gotDynamic != wantDynamic {
				t.Errorf("dynamicDeps says dynamic=%v, readelf says %v:\n%s", gotDynamic, wantDynamic, out)
			}
		})
	}
}

func TestBuildPath(t *testing.T) {
	padding := strings.Repeat("x", 3000)
	leak := padding + " -I/build/src/include -O2\n"
	for _, tc := range []struct {
		name  string
		files map[string]string // rel → content; "->target" makes a symlink
		allow []string
		want  []string // rel paths reported, with their offsets checked against the content
	}{
		{"clean", map[string]string{"lib/pkgconfig/x.pc": "prefix=/ix/store/abc\n", "share/doc/a": "see ./docs/build.txt\n"}, nil, nil},
		{"pkg-config leak", map[string]string{"lib/pkgconfig/x.pc": leak}, nil, []string{"lib/pkgconfig/x.pc"}},
		{"leak at start", map[string]string{"a": "/build/src/x.c"}, nil, []string{"a"}},
		{"two files", map[string]string{"a": leak, "b/c": leak, "d": "fine"}, nil, []string{"a", "b/c"}},
		{"symlink into build", map[string]string{"lib/l": "->/build/src/lib.so"}, nil, []string{"lib/l"}},
		{"allowed by glob", map[string]string{"lib/x.la": leak}, []string{"lib/*.la"}, nil},
		{"allowed by tree", map[string]string{"share/doc/x/y": leak, "share/z": leak}, []string{"share/doc/**"}, []string{"share/z"}},
		{"glob does not cross dirs", map[string]string{"lib/sub/x.la": leak}, []string{"lib/*.la"}, []string{"lib/sub/x.la"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			unseal(t, dir)
			for rel, content := range tc.files {
				if target, ok := strings.CutPrefix(content, "->"); ok {
					os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755)
					if err := os.Symlink(target, filepath.Join(dir, rel)); err != nil {
						t.Fatal(err)
					}
					continue
				}
				writeFile(t, dir, rel, []byte(content), 0o644)
			}
			err := Apply(dir, Options{Epoch: 1, AllowBuildPath: tc.allow})
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected: %v", err)
				}
				return
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a policy error", err)
			}
			if len(pe.Violations) != len(tc.want) {
				t.Errorf("got %d violations, want %d: %v", len(pe.Violations), len(tc.want), err)
			}
			for i, rel := range tc.want {
				if i >= len(pe.Violations) {
					break
				}
				v := pe.Violations[i]
				wantOff := int64(strings.Index(tc.files[rel], DefaultBuildPath))
				if strings.HasPrefix(tc.files[rel], "->") {
					wantOff = -1
				}
				if v.Path != rel || v.Offset != wantOff {
					t.Errorf("violation %d = %s at %d, want %s at %d", i, v.Path, v.Offset, rel, wantOff)
				}
			}
			if !strings.Contains(err.Error(), "allow_build_path") {
				t.Errorf("the error does not say how to opt out: %v", err)
			}
		})
	}
}

func TestIndex(t *testing.T) {
	pat := []byte("/build/")
	for _, tc := range []struct {
		data  string
		chunk int
	}{
		{"", 4}, {"/build/", 1}, {"xx/build/", 3}, {"xxxxx/bu" + "ild/", 6}, {"/buil", 2},
		{strings.Repeat("/buil", 100) + "/build/", 7}, {"a/build/b/build/", 5},
	} {
		want := int64(bytes.Index([]byte(tc.data), pat))
		got, err := index(strings.NewReader(tc.data), pat, tc.chunk)
		if err != nil || got != want {
			t.Errorf("index(%q, chunk %d) = %d, %v; want %d", tc.data, tc.chunk, got, err, want)
		}
	}
}

// FuzzIndex checks the chunked search against bytes.Index on the whole input.
func FuzzIndex(f *testing.F) {
	f.Add([]byte("xx/build/yy"), []byte("/build/"), 3)
	f.Add([]byte("/bu/build"), []byte("/build/"), 1)
	f.Add([]byte("aaaa"), []byte("aa"), 1)
	f.Fuzz(func(t *testing.T, data, pat []byte, chunk int) {
		if len(pat) == 0 || chunk > 1<<16 {
			return
		}
		want := int64(bytes.Index(data, pat))
		got, err := index(bytes.NewReader(data), pat, chunk)
		if err != nil || got != want {
			t.Fatalf("index = %d, %v; want %d", got, err, want)
		}
	})
}

// FuzzELFDeps feeds arbitrary bytes to the ELF reader: it may reject them, never crash.
func FuzzELFDeps(f *testing.F) {
	f.Add([]byte(elf.ELFMAG))
	if b, err := os.ReadFile("/bin/true"); err == nil {
		f.Add(b[:min(len(b), 4096)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		elfDeps(bytes.NewReader(data))
	})
}

func TestSealModesAndTimes(t *testing.T) {
	dir := t.TempDir()
	unseal(t, dir)
	const epoch = 1700000000
	writeFile(t, dir, "bin/tool", []byte("#!/bin/sh\n"), 0o755)
	writeFile(t, dir, "share/data", []byte("data"), 0o644)
	writeFile(t, dir, "share/ro", []byte("ro"), 0o444)
	writeFile(t, dir, "private/secret", []byte("s"), 0o600)
	os.Chmod(filepath.Join(dir, "private"), 0o700)
	if err := os.Symlink("../share/data", filepath.Join(dir, "bin/link")); err != nil {
		t.Fatal(err)
	}
	if err := Apply(dir, Options{Epoch: epoch}); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{
		".": 0o555 | os.ModeDir, "bin": 0o555 | os.ModeDir, "share": 0o555 | os.ModeDir,
		"private": 0o555 | os.ModeDir, "bin/tool": 0o555, "share/data": 0o444, "share/ro": 0o444,
		"private/secret": 0o400, "bin/link": 0o777 | os.ModeSymlink,
	}
	checkSealed(t, dir, epoch, want)
}

// checkSealed checks every entry's mode against want (when listed) and its mtime against epoch.
func checkSealed(t *testing.T, dir string, epoch int64, want map[string]os.FileMode) {
	t.Helper()
	seen := 0
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if m, ok := want[rel]; ok {
			seen++
			if fi.Mode() != m {
				t.Errorf("%s: mode %v, want %v", rel, fi.Mode(), m)
			}
		}
		if fi.Mode()&0o222 != 0 && fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is still writable: %v", rel, fi.Mode())
		}
		if !fi.ModTime().Equal(time.Unix(epoch, 0)) {
			t.Errorf("%s: mtime %v, want %v", rel, fi.ModTime().UTC(), time.Unix(epoch, 0).UTC())
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Atim.Sec != epoch {
			t.Errorf("%s: atime %d, want %d", rel, st.Atim.Sec, epoch)
		}
		return nil
	})
	if want != nil && seen != len(want) {
		t.Errorf("saw %d of the %d expected entries", seen, len(want))
	}
}

func TestSpecialFilesRefused(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	err := Apply(dir, Options{Epoch: 1})
	if err == nil || !strings.Contains(err.Error(), "fifo") {
		t.Errorf("got %v, want the fifo refused", err)
	}
}

// stripTools are the strip programs the strip test runs, whichever the host has.
func stripTools(t *testing.T) []string {
	var tools []string
	for _, name := range []string{"llvm-strip", "llvm-strip-14", "strip"} {
		if p, err := exec.LookPath(name); err == nil {
			tools = append(tools, p)
		}
	}
	if len(tools) == 0 {
		t.Skip("needs a strip tool (apt-get install llvm-14 or binutils)")
	}
	return tools
}

func TestStrip(t *testing.T) {
	for _, tool := range stripTools(t) {
		for _, noStrip := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/nostrip=%v", filepath.Base(tool), noStrip), func(t *testing.T) {
				dir := t.TempDir()
				unseal(t, dir)
				static := "static"
				if strings.HasPrefix(filepath.Base(tool), "llvm-") {
					static = "static-lld"
				}
				files := map[string]string{"bin/static": static, "bin/dynamic": "dynamic", "lib/libx.so": "libx.so", "lib/libx.a": "libx.a"}
				for rel, name := range files {
					copyFile(t, testELF(t, name), dir, rel, 0o555) // read-only, as `install -m 555` leaves them
				}
				before := sizes(t, dir, files)
				const epoch = 86400
				if err := Apply(dir, Options{Epoch: epoch, Strip: tool, NoStrip: noStrip}); err != nil {
					t.Fatal(err)
				}
				checkSealed(t, dir, epoch, nil)
				after := sizes(t, dir, files)
				for rel := range files {
					if noStrip != (after[rel] == before[rel]) {
						t.Errorf("%s: %d bytes before, %d after, nostrip=%v", rel, before[rel], after[rel], noStrip)
					}
				}
				if noStrip {
					return
				}
				for _, rel := range []string{"bin/static", "bin/dynamic", "lib/libx.so"} {
					f, err := elf.Open(filepath.Join(dir, rel))
					if err != nil {
						t.Fatal(err)
					}
					if f.Section(".symtab") != nil || f.Section(".debug_info") != nil {
						t.Errorf("%s still has .symtab or .debug_info", rel)
					}
					f.Close()
				}
				// The shared library must still export its function, the archive must still
				// define it (nm is the oracle), and the stripped program must still run.
				for _, c := range [][]string{{"nm", "-D", "lib/libx.so"}, {"nm", "lib/libx.a"}} {
					cmd := exec.Command(c[0], c[1:]...)
					cmd.Dir = dir
					out, err := cmd.CombinedOutput()
					if err != nil || !bytes.Contains(out, []byte("T stalix_answer")) {
						t.Errorf("%v: %v\n%s", c, err, out)
					}
				}
				if out, err := exec.Command(filepath.Join(dir, "bin/static")).Output(); err != nil || string(out) != "hi\n" {
					t.Errorf("stripped static program: %q, %v", out, err)
				}
			})
		}
	}
}

func sizes(t *testing.T, dir string, files map[string]string) map[string]int64 {
	m := map[string]int64{}
	for rel := range files {
		fi, err := os.Stat(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		m[rel] = fi.Size()
	}
	return m
}

// TestForbidden: a world output naming the seed's libraries is refused,
// with the file named.
func TestForbidden(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tool"), []byte("rpath=/usr/lib/x86_64-linux-gnu/libc.so"), 0o644)
	err := Apply(dir, Options{Epoch: 1, Forbidden: []string{"/usr/lib/x86_64-linux-gnu/"}})
	if err == nil || !strings.Contains(err.Error(), "tool") {
		t.Fatalf("error %v, want one naming tool", err)
	}
	clean := t.TempDir()
	os.WriteFile(filepath.Join(clean, "tool"), []byte("nothing to see"), 0o644)
	if err := Apply(clean, Options{Epoch: 1, Forbidden: []string{"/usr/lib/x86_64-linux-gnu/"}}); err != nil {
		t.Fatal(err)
	}
}
