package bootstrap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mkTree(t *testing.T, dir string, spec map[string]string) {
	t.Helper()
	for p, v := range spec {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if l, ok := strings.CutPrefix(v, "->"); ok {
			if err := os.Symlink(l, full); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(full, []byte(v), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMergeUsr(t *testing.T) {
	dest := t.TempDir()
	mkTree(t, dest, map[string]string{
		"bin/dash":                         "dash",
		"bin/sh":                           "->dash",
		"bin/x":                            "->../usr/bin/realx",
		"usr/bin/realx":                    "x",
		"usr/bin/sh":                       "->dash",
		"lib/x86_64-linux-gnu/libc.so.6":   "libc",
		"lib/x86_64-linux-gnu/libz.so.1":   "->libz.so.1.2",
		"lib/x86_64-linux-gnu/libz.so.1.2": "z",
		"lib64/ld-linux-x86-64.so.2":       "->/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
		"usr/lib/x86_64-linux-gnu/libc.so": "->/lib/x86_64-linux-gnu/libc.so.6",
		"sbin/up":                          "->../etc/conf",
	})
	if err := MergeUsr(dest); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"bin": "usr/bin", "sbin": "usr/sbin", "lib": "usr/lib", "lib64": "usr/lib64",
		"usr/bin/sh": "dash",
		// Moved one level deeper, so rewritten to mean the same file.
		"usr/bin/x":                          "realx",
		"usr/sbin/up":                        "../../etc/conf",
		"usr/lib/x86_64-linux-gnu/libz.so.1": "libz.so.1.2",
		"usr/lib64/ld-linux-x86-64.so.2":     "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
	}
	for p, want := range links {
		if got, err := os.Readlink(filepath.Join(dest, p)); err != nil || got != want {
			t.Errorf("%s -> %q (%v), want %q", p, got, err, want)
		}
	}
	for _, p := range []string{"usr/bin/dash", "usr/lib/x86_64-linux-gnu/libc.so.6", "usr/bin/x"} {
		if _, err := os.Stat(filepath.Join(dest, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	// Idempotent: a merged tree stays as it is.
	if err := MergeUsr(dest); err != nil {
		t.Errorf("second merge: %v", err)
	}
}

func TestMergeUsrConflict(t *testing.T) {
	dest := t.TempDir()
	mkTree(t, dest, map[string]string{"bin/tool": "one", "usr/bin/tool": "two"})
	err := MergeUsr(dest)
	if err == nil || !strings.Contains(err.Error(), "/bin/tool and /usr/bin/tool both exist and differ") {
		t.Errorf("got %v", err)
	}
}

func TestAddLinks(t *testing.T) {
	dest := t.TempDir()
	mkTree(t, dest, map[string]string{
		"usr/bin/dash":                "dash",
		"usr/bin/sh":                  "->bash",
		"usr/bin/gawk":                "gawk",
		"usr/bin/bison.yacc":          "y",
		"usr/lib/llvm-14/bin/clang":   "clang",
		"usr/lib/llvm-14/bin/clang++": "->clang",
		"usr/lib/llvm-14/bin/ld.lld":  "lld",
		"usr/lib/llvm-14/bin/llvm-ar": "ar",
	})
	if err := AddLinks(dest); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{
		"sh": "dash", "awk": "gawk", "nawk": "gawk", "yacc": "bison.yacc", "cc": "clang", "c++": "clang++",
		"clang": "../lib/llvm-14/bin/clang", "ld.lld": "../lib/llvm-14/bin/ld.lld", "llvm-ar": "../lib/llvm-14/bin/llvm-ar",
	} {
		if got, err := os.Readlink(filepath.Join(dest, "usr/bin", p)); err != nil || got != want {
			t.Errorf("%s -> %q (%v), want %q", p, got, err, want)
		}
	}
	for _, absent := range []string{"llvm-nm", "lex", "which"} {
		if _, err := os.Lstat(filepath.Join(dest, "usr/bin", absent)); err == nil {
			t.Errorf("%s made although its target is missing", absent)
		}
	}
}
