package bootstrap

import (
	"fmt"
	"os"
	"path/filepath"
)

// LLVMVersion is the major version of Debian's LLVM in the seed.
const LLVMVersion = "14"

// llvmTools get unversioned names in usr/bin: Debian only ships clang-14,
// llvm-ar-14 and so on (the unversioned ones come from packages or
// alternatives we do not install), and recipes say clang, llvm-ar, ld.lld.
var llvmTools = []string{
	"clang", "clang++", "clang-cpp", "ld.lld", "llvm-ar", "llvm-nm", "llvm-objcopy",
	"llvm-strip", "llvm-ranlib", "llvm-readelf", "llvm-objdump", "llvm-size",
	"llvm-as", "llvm-link", "llvm-config", "llvm-dwarfdump", "llvm-addr2line",
	"llvm-symbolizer", "llvm-cxxfilt", "llvm-strings", "llvm-tblgen",
}

// alternatives are the links update-alternatives would make in postinst,
// which never runs here; name -> target, both in usr/bin. A link is made
// only when its target exists and the name is free.
var alternatives = [][2]string{
	{"awk", "gawk"},
	{"nawk", "gawk"},
	{"yacc", "bison.yacc"},
	{"lex", "flex"},
	{"which", "which.debianutils"},
	{"lzma", "xz"},
	{"unlzma", "unxz"},
	{"lzcat", "xzcat"},
}

// AddLinks makes the names builds call that no package ships as files:
// sh -> dash, the unversioned LLVM tools, cc and c++ -> clang, and the
// alternatives above. dest is an unpacked, usr-merged seed.
func AddLinks(dest string) error {
	bin := filepath.Join(dest, "usr", "bin")
	llvmBin := filepath.Join(dest, "usr", "lib", "llvm-"+LLVMVersion, "bin")
	force := func(name, target string) error {
		p := filepath.Join(bin, name)
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("seed links: %w", err)
		}
		if err := os.Symlink(target, p); err != nil {
			return fmt.Errorf("seed links: %w", err)
		}
		return nil
	}
	if _, err := os.Stat(filepath.Join(bin, "dash")); err == nil {
		// #!/bin/sh must be dash whatever else the seed holds.
		if err := force("sh", "dash"); err != nil {
			return err
		}
	}
	for _, t := range llvmTools {
		if _, err := os.Stat(filepath.Join(llvmBin, t)); err != nil {
			continue
		}
		if err := force(t, "../lib/llvm-"+LLVMVersion+"/bin/"+t); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(llvmBin, "clang")); err == nil {
		if err := force("cc", "clang"); err != nil {
			return err
		}
		if err := force("c++", "clang++"); err != nil {
			return err
		}
	}
	for _, a := range alternatives {
		if _, err := os.Lstat(filepath.Join(bin, a[0])); err == nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(bin, a[1])); err != nil {
			continue
		}
		if err := force(a[0], a[1]); err != nil {
			return err
		}
	}
	return nil
}
