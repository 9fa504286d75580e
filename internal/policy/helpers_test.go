package policy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// elfs are the test binaries, built once with the host's compilers.
var elfs struct {
	once sync.Once
	dir  string
	err  error             // the directory could not be made
	skip map[string]string // name -> the missing tool, for a test to skip on
	fail map[string]string // name -> why its build failed with the tools present
}

const helloC = `#include <stdio.h>
int main(void) { puts("hi"); return 0; }
`

// libC calls into libc so that a shared library built from it needs libc.so (DT_NEEDED).
const libC = `#include <stdio.h>
int stalix_answer(void) { puts("42"); return 42; }
`

// builds are the host commands behind each named test file, in order (libx.a archives lib.o).
// tools are what each needs on PATH and pkg the packages that hold them: only a missing tool
// skips the tests that use the file; a build that fails with its tools present fails them.
var builds = []struct {
	name  string
	tools []string
	pkg   string
	args  []string
}{
	{"static", []string{"cc"}, "gcc libc6-dev", []string{"cc", "-static", "-g", "-o", "static", "hello.c"}},
	{"dynamic", []string{"cc"}, "gcc libc6-dev", []string{"cc", "-g", "-o", "dynamic", "hello.c"}},
	{"static-pie", []string{"cc"}, "gcc libc6-dev", []string{"cc", "-static-pie", "-fPIE", "-g", "-o", "static-pie", "hello.c"}},
	{"libx.so", []string{"cc"}, "gcc libc6-dev", []string{"cc", "-shared", "-fPIC", "-g", "-o", "libx.so", "lib.c"}},
	{"lib.o", []string{"cc"}, "gcc libc6-dev", []string{"cc", "-c", "-g", "-o", "lib.o", "lib.c"}},
	{"libx.a", []string{"ar"}, "binutils", []string{"ar", "rcs", "libx.a", "lib.o"}},
	// Linked by lld as the real builds are: llvm-strip rejects GNU ld's static glibc layout
	// (.rela.plt linked to .symtab), which is not what stalix produces.
	{"static-lld", []string{"clang-14", "ld.lld-14"}, "clang-14 lld-14", []string{"clang-14", "-static", "-fuse-ld=lld", "-g", "-o", "static-lld", "hello.c"}},
}

// testELF returns the path of a test ELF (or libx.a), building them on first use. It skips
// when a tool the file needs is missing, and fails when the build fails anyway.
func testELF(t *testing.T, name string) string {
	t.Helper()
	elfs.once.Do(func() {
		elfs.dir, elfs.err = os.MkdirTemp("", "policy-elf-")
		if elfs.err != nil {
			return
		}
		os.WriteFile(filepath.Join(elfs.dir, "hello.c"), []byte(helloC), 0o644)
		os.WriteFile(filepath.Join(elfs.dir, "lib.c"), []byte(libC), 0o644)
		elfs.skip, elfs.fail = map[string]string{}, map[string]string{}
		for _, b := range builds {
			if why := missing(b.tools, b.pkg); why != "" {
				elfs.skip[b.name] = why
				continue
			}
			cmd := exec.Command(b.args[0], b.args[1:]...)
			cmd.Dir = elfs.dir
			if out, err := cmd.CombinedOutput(); err != nil {
				elfs.fail[b.name] = fmt.Sprintf("%s: %v\n%s", strings.Join(b.args, " "), err, out)
			}
		}
	})
	switch {
	case elfs.err != nil:
		t.Fatal(elfs.err)
	case elfs.skip[name] != "":
		t.Skip(elfs.skip[name])
	case elfs.fail[name] != "":
		t.Fatalf("building %s with the host's tools: %s", name, elfs.fail[name])
	}
	return filepath.Join(elfs.dir, name)
}

// missing names the first of tools not on PATH, with the packages to install.
func missing(tools []string, pkg string) string {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Sprintf("needs %s (apt-get install %s)", tool, pkg)
		}
	}
	return ""
}

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
