package check

import (
	"fmt"
	"io"
)

// WriteText writes the report as check prints it: a verdict line per
// package and image, then where each differing file differs.
func (rep *Report) WriteText(w io.Writer) {
	for _, r := range rep.Packages {
		verdict := "reproducible"
		if !r.Reproducible {
			verdict = "DIFFERS"
			if r.Error != "" {
				verdict = "ERROR"
			}
		}
		fmt.Fprintf(w, "%-12s %-8s %s-%s  %s\n", verdict, r.Target, r.Name, r.Version, r.Out)
		if r.Error != "" {
			fmt.Fprintf(w, "    %s\n", r.Error)
		}
		writeDiffs(w, r.Files)
		if r.Diffoscope != "" {
			fmt.Fprintf(w, "    diffoscope:\n%s\n", r.Diffoscope)
		}
	}
	for _, r := range rep.Images {
		verdict := "identical"
		if !r.Identical {
			verdict = "DIFFERS"
		}
		fmt.Fprintf(w, "%-12s image    %s\n", verdict, r.Name)
		writeDiffs(w, r.Files)
		if r.Note != "" {
			fmt.Fprintf(w, "    %s\n", r.Note)
		}
	}
}

// WriteText writes the comparison as compare prints it: the two builds,
// the verdict, and where each differing file differs.
func (c *Comparison) WriteText(w io.Writer) {
	verdict := "identical"
	if !c.Identical {
		verdict = fmt.Sprintf("DIFFER in %d files", len(c.Files))
	}
	fmt.Fprintf(w, "%s (%s)\n%s (%s)\n%s\n", c.A, c.OutA, c.B, c.OutB, verdict)
	writeDiffs(w, c.Files)
}

func writeDiffs(w io.Writer, files []FileDiff) {
	for _, f := range files {
		if f.Note != "" {
			fmt.Fprintf(w, "    %s: %s\n", f.Path, f.Note)
			continue
		}
		fmt.Fprintf(w, "    %s: %d bytes sha256 %.16s vs %d bytes sha256 %.16s, first difference at byte %d\n",
			f.Path, f.SizeA, f.HashA, f.SizeB, f.HashB, f.Offset)
		switch {
		case f.ELF != nil:
			fmt.Fprintf(w, "      %s\n", f.ELF)
		case f.ELFError != "":
			fmt.Fprintf(w, "      ELF not readable: %s\n", f.ELFError)
		}
	}
}
