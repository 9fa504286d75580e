package check

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"slices"
	"strings"
)

// ELFDiff says where two builds of one ELF file differ, section by section. Its question is the
// bootstrap's: is the difference only a layout shift (one side has a section the other lacks, so
// everything after it moved), or does code or data really differ?
//
// Values are read as numbers, not decoded as instructions. That covers x86-64, where an address or
// a PC-relative offset is a whole 4- or 8-byte field; on AArch64 a moved reference is split across
// instruction bits (ADRP, ADD, LDR) and shows as unexplained. The ELF and program headers are not
// read: they describe the layout and follow it.
type ELFDiff struct {
	OnlyA   []string `json:"only_in_a,omitempty"`
	OnlyB   []string `json:"only_in_b,omitempty"`
	Resized []string `json:"resized,omitempty"` // "name: size vs size"
	// NameTable is set when .shstrtab differs only by the names of the sections in OnlyA and OnlyB.
	NameTable bool `json:"name_table_follows,omitempty"`
	Common    int  `json:"common"`         // sections in both with one name and size
	Same      int  `json:"byte_identical"` // of those, the ones with the same bytes
	// Shifts are the distinct amounts (B's address minus A's) by which common sections moved.
	Shifts []int64 `json:"shifts,omitempty"`
	// Values counts the differing values inside common sections; Moved, those whose two sides
	// differ by what layout alone explains (see accepted), read as a 4- or 8-byte number in the
	// file's byte order. A symbol table is compared entry by entry (see compareSymbols).
	Values      int64    `json:"differing_values"`
	Moved       int64    `json:"moved_by_a_shift"`
	Unexplained []string `json:"unexplained,omitempty"` // the first few, as section+offset

	order binary.ByteOrder
}

const maxUnexplained = 8

// Explained reports whether every difference found is a section only one side has and values
// that moved by a layout shift. It is evidence, not proof: a real change by exactly a shift's
// amount would pass too.
func (d *ELFDiff) Explained() bool {
	return len(d.Resized) == 0 && d.Moved == d.Values
}

// String is the one-line summary compare and check print.
func (d *ELFDiff) String() string {
	var parts []string
	if len(d.OnlyA) > 0 {
		parts = append(parts, "only in the first: "+strings.Join(d.OnlyA, " "))
	}
	if len(d.OnlyB) > 0 {
		parts = append(parts, "only in the second: "+strings.Join(d.OnlyB, " "))
	}
	if d.NameTable {
		parts = append(parts, ".shstrtab longer or shorter by just their names")
	}
	if len(d.Resized) > 0 {
		parts = append(parts, "resized: "+strings.Join(d.Resized, ", "))
	}
	parts = append(parts, fmt.Sprintf("%d sections alike in name and size, %d byte-identical", d.Common, d.Same))
	if len(d.Shifts) > 0 {
		s := make([]string, len(d.Shifts))
		for i, v := range d.Shifts {
			s[i] = signedHex(v)
		}
		parts = append(parts, "moved by "+strings.Join(s, " "))
	}
	parts = append(parts, fmt.Sprintf("%d differing values, %d of them moved by a shift", d.Values, d.Moved))
	if len(d.Unexplained) > 0 {
		parts = append(parts, "unexplained at "+strings.Join(d.Unexplained, " "))
	}
	verdict := "NOT explained by layout"
	if d.Explained() {
		verdict = "explained by layout"
	}
	return "ELF " + verdict + ": " + strings.Join(parts, "; ")
}

func signedHex(v int64) string {
	if v < 0 {
		return fmt.Sprintf("-%#x", -v)
	}
	return fmt.Sprintf("+%#x", v)
}

// ExplainELF compares two ELF files section by section. It returns nil, nil when either is not
// ELF, and an error when one claims to be ELF but cannot be read as such.
func ExplainELF(a, b string) (*ELFDiff, error) {
	fa, err := openELF(a)
	if fa == nil || err != nil {
		return nil, err
	}
	defer fa.Close()
	fb, err := openELF(b)
	if fb == nil || err != nil {
		return nil, err
	}
	defer fb.Close()
	return explainELF(fa.File, fb.File)
}

// elfFile is an ELF file read from an open file, which elf.File does not close itself.
type elfFile struct {
	*elf.File
	f *os.File
}

func (e *elfFile) Close() error { return e.f.Close() }

// openELF opens path once and reads it as ELF when it starts with the ELF magic, so other files
// are never parsed; it returns nil, nil for them.
func openELF(path string) (*elfFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var magic [len(elf.ELFMAG)]byte
	if _, err := f.ReadAt(magic[:], 0); err != nil || string(magic[:]) != elf.ELFMAG {
		f.Close()
		return nil, nil
	}
	ef, err := elf.NewFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &elfFile{File: ef, f: f}, nil
}

func explainELF(fa, fb *elf.File) (*ELFDiff, error) {
	if fa.ByteOrder != fb.ByteOrder || fa.Class != fb.Class || fa.Machine != fb.Machine {
		return nil, fmt.Errorf("not the same kind of ELF: %v %v %v vs %v %v %v",
			fa.Class, fa.ByteOrder, fa.Machine, fb.Class, fb.ByteOrder, fb.Machine)
	}
	d := &ELFDiff{order: fa.ByteOrder}
	secB := map[string]*elf.Section{}
	for _, s := range fb.Sections {
		secB[s.Name] = s
	}
	seenA := map[string]bool{}
	// How far each common section moved: B's address minus A's, absent when it did not move or
	// has no address.
	moved := map[string]int64{}
	type pair struct{ a, b *elf.Section }
	var common []pair
	var names *pair // .shstrtab, when its size differs: judged once OnlyA and OnlyB are known
	// Sections in A's order, so the report reads like the file.
	for _, sa := range fa.Sections {
		if sa.Name == "" {
			continue
		}
		seenA[sa.Name] = true
		sb, ok := secB[sa.Name]
		switch {
		case !ok:
			d.OnlyA = append(d.OnlyA, sa.Name)
		case sa.Name == ".shstrtab" && sa.Size != sb.Size && sa.Type == sb.Type:
			names = &pair{a: sa, b: sb}
		case sa.Size != sb.Size || sa.Type != sb.Type:
			d.Resized = append(d.Resized, fmt.Sprintf("%s: %d vs %d bytes", sa.Name, sa.Size, sb.Size))
		default:
			d.Common++
			if sa.Flags&elf.SHF_ALLOC != 0 && sa.Addr != sb.Addr {
				moved[sa.Name] = int64(sb.Addr - sa.Addr)
			}
			common = append(common, pair{a: sa, b: sb})
		}
	}
	for _, sb := range fb.Sections {
		if sb.Name != "" && !seenA[sb.Name] {
			d.OnlyB = append(d.OnlyB, sb.Name)
		}
	}
	if names != nil {
		if d.NameTable = d.nameTableFollows(names.a.Size, names.b.Size); !d.NameTable {
			d.Resized = append(d.Resized, fmt.Sprintf("%s: %d vs %d bytes", names.a.Name, names.a.Size, names.b.Size))
		}
	}
	for _, s := range moved {
		if !slices.Contains(d.Shifts, s) {
			d.Shifts = append(d.Shifts, s)
		}
	}
	slices.Sort(d.Shifts)
	for _, p := range common {
		if p.a.Type == elf.SHT_NOBITS {
			d.Same++ // no bytes in the file; its size was compared above
			continue
		}
		da, err := p.a.Data()
		if err != nil {
			return nil, fmt.Errorf("section %s: %w", p.a.Name, err)
		}
		db, err := p.b.Data()
		if err != nil {
			return nil, fmt.Errorf("section %s: %w", p.b.Name, err)
		}
		if bytes.Equal(da, db) {
			d.Same++
			continue
		}
		if p.a.Type == elf.SHT_SYMTAB || p.a.Type == elf.SHT_DYNSYM {
			if err := d.compareSymbols(fa, fb, p.a.Type, moved); err != nil {
				return nil, err
			}
			continue
		}
		d.compareValues(p.a.Name, da, db, d.accepted(moved[p.a.Name]))
	}
	return d, nil
}

// nameTableFollows reports whether .shstrtab changed by exactly the names of the sections only
// one side has (each with its NUL): that is the layout change itself, not a second one.
func (d *ELFDiff) nameTableFollows(sizeA, sizeB uint64) bool {
	grow := 0
	for _, n := range d.OnlyA {
		grow += len(n) + 1
	}
	for _, n := range d.OnlyB {
		grow -= len(n) + 1
	}
	return int64(sizeA)-int64(sizeB) == int64(grow)
}

// accepted lists the differences a value in a section that moved by own may show from layout
// alone: an address of a target that moved (the target's shift), and an offset from this section
// to a target that moved or did not (the target's shift, or 0, minus own).
func (d *ELFDiff) accepted(own int64) []int64 {
	var out []int64
	add := func(v int64) {
		if v != 0 && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	add(-own)
	for _, s := range d.Shifts {
		add(s)
		add(s - own)
	}
	return out
}

// compareSymbols checks a symbol table entry by entry, since its entries name sections by index
// and a section one side lacks renumbers the rest. An entry that differs is explained when it
// names the same section by name, and its value moved by exactly that section's shift.
func (d *ELFDiff) compareSymbols(fa, fb *elf.File, typ elf.SectionType, moved map[string]int64) error {
	read := func(f *elf.File) ([]elf.Symbol, error) {
		if typ == elf.SHT_DYNSYM {
			return f.DynamicSymbols()
		}
		return f.Symbols()
	}
	sa, err := read(fa)
	if err != nil {
		return fmt.Errorf("symbols: %w", err)
	}
	sb, err := read(fb)
	if err != nil {
		return fmt.Errorf("symbols: %w", err)
	}
	name := typ.String()
	for i := range max(len(sa), len(sb)) {
		if i >= len(sa) || i >= len(sb) {
			d.Values++
			d.unexplained(fmt.Sprintf("%s[%d]", name, i))
			continue
		}
		a, b := sa[i], sb[i]
		secA, secB := sectionName(fa, a.Section), sectionName(fb, b.Section)
		if a == b && secA == secB {
			continue
		}
		d.Values++
		if a.Name == b.Name && a.Info == b.Info && a.Other == b.Other && a.Size == b.Size &&
			secA == secB && int64(b.Value-a.Value) == moved[secA] {
			d.Moved++
			continue
		}
		d.unexplained(fmt.Sprintf("%s[%d] %s", name, i, a.Name))
	}
	return nil
}

// sectionName names a symbol's section the same way on both sides, whatever its index.
func sectionName(f *elf.File, i elf.SectionIndex) string {
	if i > 0 && i < elf.SHN_LORESERVE && int(i) < len(f.Sections) {
		return f.Sections[i].Name
	}
	return i.String()
}

func (d *ELFDiff) unexplained(where string) {
	if len(d.Unexplained) < maxUnexplained {
		d.Unexplained = append(d.Unexplained, where)
	}
}

// compareValues walks the differing bytes of one section. Each run of them is read as one or more
// values: from the run's start, the first 4- or 8-byte window (starting up to 7 bytes before it,
// since a shift that is a multiple of 256 leaves the low bytes alone) whose two sides differ by
// an accepted amount takes the bytes it covers; a run no window explains counts as one
// unexplained value.
func (d *ELFDiff) compareValues(name string, a, b []byte, accepted []int64) {
	n := min(len(a), len(b))
	lo := 0 // bytes before lo belong to a value already counted
	for i := 0; i < n; {
		if a[i] == b[i] {
			i++
			continue
		}
		d.Values++
		if end, ok := d.movedValue(a, b, lo, i, accepted); ok {
			d.Moved++
			i, lo = end, end
			continue
		}
		d.unexplained(fmt.Sprintf("%s+%#x", name, i))
		for i < n && a[i] != b[i] {
			i++
		}
		lo = i
	}
}

// movedValue looks for a window covering byte i, and no byte before lo, whose sides differ by a
// shift, and returns the window's end.
func (d *ELFDiff) movedValue(a, b []byte, lo, i int, accepted []int64) (int, bool) {
	for _, w := range []int{4, 8} {
		for s := max(lo, i-w+1); s <= i && s+w <= len(a); s++ {
			if d.isShift(a[s:s+w], b[s:s+w], accepted) {
				return s + w, true
			}
		}
	}
	return 0, false
}

func (d *ELFDiff) isShift(a, b []byte, accepted []int64) bool {
	var diff int64
	if len(a) == 4 {
		diff = int64(int32(d.order.Uint32(b) - d.order.Uint32(a)))
	} else {
		diff = int64(d.order.Uint64(b) - d.order.Uint64(a))
	}
	return slices.Contains(accepted, diff)
}
