package policy

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Strip flags by kind of file: executables lose every symbol; shared libraries keep what dynamic
// linking needs; objects and archives keep their symbols (a linker needs them) and lose only
// debug information.
const (
	stripAll      = "--strip-all"
	stripUnneeded = "--strip-unneeded"
	stripDebug    = "--strip-debug"
)

var arMagic = []byte("!<arch>\n")

// batch bounds the files per strip invocation, keeping command lines short.
const batch = 64

// strip runs tool over every ELF file and archive of the output, grouped by flag. -D keeps
// archive headers free of uids and times.
func strip(dir string, entries []entry, cmd []string) error {
	tool := cmd[len(cmd)-1]
	groups := map[string][]string{}
	for _, e := range entries {
		p := filepath.Join(dir, e.rel)
		switch e.kind {
		case kindDir:
			// The tool writes a temporary file next to its target.
			if e.mode&0o200 == 0 {
				if err := os.Chmod(p, e.mode.Perm()|0o200); err != nil {
					return fmt.Errorf("policy: %w", err)
				}
			}
			continue
		case kindFile:
		default:
			continue
		}
		flag, err := stripFlag(p)
		if err != nil {
			return err
		}
		if flag == "" {
			continue
		}
		if e.mode&0o200 == 0 {
			if err := os.Chmod(p, e.mode.Perm()|0o200); err != nil {
				return fmt.Errorf("policy: %w", err)
			}
		}
		groups[flag] = append(groups[flag], p)
	}
	// A fixed order of flags keeps runs identical; the map is only a bucket.
	for _, flag := range []string{stripAll, stripUnneeded, stripDebug} {
		files := groups[flag]
		for len(files) > 0 {
			n := min(batch, len(files))
			args := append(append(append([]string(nil), cmd[1:]...), flag, "-D"), files[:n]...)
			if out, err := exec.Command(cmd[0], args...).CombinedOutput(); err != nil {
				return fmt.Errorf("policy: %s %s: %w\n%s(set no_strip in the recipe to keep the files as built)", tool, flag, err, out)
			}
			files = files[n:]
		}
	}
	return nil
}

// stripFlag says how to strip the file at p, or "" to leave it alone.
func stripFlag(p string) (flag string, err error) {
	// debug/elf has panicked on hostile input before; such a file is left alone.
	defer func() {
		if recover() != nil {
			flag, err = "", nil
		}
	}()
	head, err := magic(p, 8)
	if err != nil {
		return "", fmt.Errorf("policy: %w", err)
	}
	if bytes.Equal(head, arMagic) {
		return stripDebug, nil
	}
	if !bytes.HasPrefix(head, elfMagic) {
		return "", nil
	}
	f, err := elf.Open(p)
	if err != nil {
		// Not ours to fix: an unreadable ELF is left as is (the static check reports it).
		return "", nil
	}
	defer f.Close()
	switch f.Type {
	case elf.ET_EXEC:
		return stripAll, nil
	case elf.ET_REL:
		return stripDebug, nil
	case elf.ET_DYN:
		if isPIE(f) {
			return stripAll, nil
		}
		return stripUnneeded, nil
	}
	return "", nil
}

// isPIE tells a position-independent executable from a shared library: both are ET_DYN, but an
// executable has an interpreter or, when static-pie, the DF_1_PIE flag.
func isPIE(f *elf.File) bool {
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return true
		}
	}
	flags, err := f.DynValue(elf.DT_FLAGS_1)
	if err != nil {
		return false
	}
	for _, v := range flags {
		if elf.DynFlag1(v)&elf.DF_1_PIE != 0 {
			return true
		}
	}
	return false
}
