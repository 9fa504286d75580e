package progress

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/term"
)

// redraw replaces the live block: lines that finished since the last frame
// go above it and stay, the running nodes and the status line are drawn
// anew. Called with v.mu held.
func (v *View) redraw() {
	var b strings.Builder
	// To the start of the block, and clear everything below.
	v.erase(&b)
	for _, l := range v.pending {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	v.pending = v.pending[:0]
	frame := v.frame(v.now())
	for _, l := range frame {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	v.drawn = len(frame)
	fmt.Fprint(v.out, b.String())
}

// erase removes the live block from the screen.
func (v *View) erase(b *strings.Builder) {
	if v.drawn > 0 {
		fmt.Fprintf(b, "\r\x1b[%dA\x1b[J", v.drawn)
		v.drawn = 0
	}
}

// frame is the live block at now: one line per running node, oldest first,
// then the status line; every line fits the terminal's width so none wraps
// and the cursor arithmetic of redraw stays right.
func (v *View) frame(now time.Time) []string {
	width, height := v.size()
	rows := len(v.order)
	// Keep the block on screen: a status line, and one line to say how many
	// running nodes did not fit.
	if limit := max(height-2, 1); rows > limit {
		rows = limit - 1
	}
	nameWidth := 0
	for _, id := range v.order[:rows] {
		nameWidth = max(nameWidth, len(id))
	}
	var lines []string
	for _, id := range v.order[:rows] {
		lines = append(lines, fit(fmt.Sprintf("  %-*s %8s", nameWidth, id, Duration(now.Sub(v.started[id]))), width))
	}
	if more := len(v.order) - rows; more > 0 {
		lines = append(lines, fit(fmt.Sprintf("  ... and %d more", more), width))
	}
	status := fmt.Sprintf("[%d/%d] %d running%s, elapsed %s, ETA %s", v.done, v.plan.Len(), len(v.order),
		v.counts.substitutedText(), Duration(now.Sub(v.began)), Duration(v.eta(now)))
	return append(lines, fit(status, width))
}

func (v *View) size() (width, height int) {
	width, height = v.o.Width, v.o.Height
	if v.tty >= 0 && (width <= 0 || height <= 0) {
		if w, h, err := term.GetSize(v.tty); err == nil {
			width, height = cond(width > 0, width, w), cond(height > 0, height, h)
		}
	}
	return cond(width > 0, width, 80), cond(height > 0, height, 24)
}

func cond[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}

// fit cuts s to less than width runes: writing into the last column makes
// some terminals wrap.
func fit(s string, width int) string {
	r := []rune(s)
	if width > 1 && len(r) >= width {
		return string(r[:width-1])
	}
	return s
}
