package policy

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// elfs are the test binaries, built once with the host's cc.
var elfs struct {
	once sync.Once
	dir  string
	err  error
	have map[string]bool
}

const helloC = `#include <stdio.h>
int main(void) { puts("hi"); return 0; }
`

// libC calls into libc so that a shared library built from it needs libc.so (DT_NEEDED).
const libC = `#include <stdio.h>
int stalix_answer(void) { puts("42"); return 42; }
`

// builds are the host cc invocations behind each named test ELF; the optional ones (static-pie)
// are dropped when the host toolchain cannot make them.
var builds = []struct {
	name     string
	cc       string
	args     []string
	optional bool
}{
	{"static", "cc", []string{"-static", "-g", "-o", "static", "hello.c"}, false},
	{"dynamic", "cc", []string{"-g", "-o", "dynamic", "hello.c"}, false},
	{"static-pie", "cc", []string{"-static-pie", "-fPIE", "-g", "-o", "static-pie", "hello.c"}, true},
	{"libx.so", "cc", []string{"-shared", "-fPIC", "-g", "-o", "libx.so", "lib.c"}, false},
	{"lib.o", "cc", []string{"-c", "-g", "-o", "lib.o", "lib.c"}, false},
	// Linked by lld as the real builds are: llvm-strip rejects GNU ld's static glibc layout
	// (.rela.plt linked to .symtab), which is not what stalix produces.
	{"static-lld", "clang-14", []string{"-static", "-fuse-ld=lld", "-g", "-o", "static-lld", "hello.c"}, true},
}

// testELF returns the path of a test ELF (or libx.a), building them on first use, or skips.
func testELF(t *testing.T, name string) string {
	t.Helper()
	elfs.once.Do(func() {
		if _, err := exec.LookPath("cc"); err != nil {
			elfs.err = err
			return
		}
		elfs.dir, elfs.err = os.MkdirTemp("", "policy-elf-")
		if elfs.err != nil {
			return
		}
		os.WriteFile(filepath.Join(elfs.dir, "hello.c"), []byte(helloC), 0o644)
		os.WriteFile(filepath.Join(elfs.dir, "lib.c"), []byte(libC), 0o644)
		elfs.have = map[string]bool{}
		for _, b := range builds {
			cmd := exec.Command(b.cc, b.args...)
			cmd.Dir = elfs.dir
			if out, err := cmd.CombinedOutput(); err != nil {
				if b.optional {
					continue
				}
				elfs.err = &buildError{b.name, string(out)}
				return
			}
			elfs.have[b.name] = true
		}
		cmd := exec.Command("ar", "rcs", "libx.a", "lib.o")
		cmd.Dir = elfs.dir
		if err := cmd.Run(); err == nil {
			elfs.have["libx.a"] = true
		}
	})
	if elfs.err != nil {
		t.Skipf("needs cc with static libc (apt-get install gcc libc6-dev): %v", elfs.err)
	}
	if !elfs.have[name] {
		t.Skipf("the host cc cannot build %s", name)
	}
	return filepath.Join(elfs.dir, name)
}

type buildError struct{ name, out string }

func (e *buildError) Error() string { return "building " + e.name + ": " + e.out }

func TestMain(m *testing.M) {
	code := m.Run()
	if elfs.dir != "" {
		os.RemoveAll(elfs.dir)
	}
	os.Exit(code)
}

// copyFile copies src to dir/rel with mode.
func copyFile(t *testing.T, src, dir, rel string, mode os.FileMode) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, rel, b, mode)
}

func writeFile(t *testing.T, dir, rel string, b []byte, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// unseal makes a sealed tree removable again, for t.TempDir's cleanup as non-root.
func unseal(t *testing.T, dir string) {
	t.Cleanup(func() {
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
	})
}
