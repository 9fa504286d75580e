package policy

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
)

var elfMagic = []byte(elf.ELFMAG)

// checkStatic reports every ELF file that would need a dynamic loader or a shared library at run
// time: target packages are static only.
func checkStatic(dir string, entries []entry) ([]Violation, error) {
	var bad []Violation
	for _, e := range entries {
		if e.kind != kindFile {
			continue
		}
		p := filepath.Join(dir, e.rel)
		head, err := magic(p, len(elfMagic))
		if err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		if !bytes.Equal(head, elfMagic) {
			continue
		}
		for _, problem := range dynamicDeps(p) {
			bad = append(bad, Violation{Path: e.rel, Offset: -1, Problem: problem})
		}
	}
	return bad, nil
}

// dynamicDeps lists why the ELF file at p is not static: its PT_INTERP and each DT_NEEDED.
func dynamicDeps(p string) []string {
	f, err := os.Open(p)
	if err != nil {
		return []string{err.Error()}
	}
	defer f.Close()
	return elfDeps(f)
}

// elfDeps parses an ELF image; debug/elf has panicked on hostile input before, so a panic is
// reported as a broken file rather than taking the build down.
func elfDeps(r interface {
	ReadAt([]byte, int64) (int, error)
}) (problems []string) {
	defer func() {
		if x := recover(); x != nil {
			problems = []string{fmt.Sprintf("is not a readable ELF file (%v); a target package must hold only static executables", x)}
		}
	}()
	ef, err := elf.NewFile(r)
	if err != nil {
		return []string{fmt.Sprintf("is not a readable ELF file (%v); a target package must hold only static executables", err)}
	}
	defer ef.Close()
	for _, prog := range ef.Progs {
		if prog.Type != elf.PT_INTERP {
			continue
		}
		interp := make([]byte, prog.Filesz)
		n, _ := prog.ReadAt(interp, 0)
		interp = bytes.TrimRight(interp[:n], "\x00")
		problems = append(problems, fmt.Sprintf("has a program interpreter %q (PT_INTERP): link it with -static", interp))
	}
	libs, err := ef.ImportedLibraries()
	if err != nil && ef.Section(".dynamic") != nil {
		problems = append(problems, fmt.Sprintf("has an unreadable dynamic section (%v)", err))
	}
	for _, lib := range libs {
		problems = append(problems, fmt.Sprintf("needs the shared library %s (DT_NEEDED): link it with -static", lib))
	}
	return problems
}
