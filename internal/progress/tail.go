package progress

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Tail returns the last n lines of the file at path, split as
// bufio.ScanLines splits them (no line ends, a final "\r" dropped, no empty
// line for a trailing newline). It reads backwards from the end, so a huge
// log costs only its last lines.
func Tail(path string, n int) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tail of log: %w", err)
	}
	defer f.Close()
	if n <= 0 {
		return nil, nil
	}
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("tail of %s: %w", path, err)
	}
	const chunk = 8 << 10
	var buf []byte
	pos := size
	// n lines need n newlines before them (or the start of the file), plus
	// possibly one that ends the last line.
	for pos > 0 && bytes.Count(buf, []byte{'\n'}) <= n {
		step := min(int64(chunk), pos)
		pos -= step
		b := make([]byte, step)
		if _, err := f.ReadAt(b, pos); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("tail of %s: %w", path, err)
		}
		buf = append(b, buf...)
	}
	buf = bytes.TrimSuffix(buf, []byte{'\n'})
	if len(buf) == 0 && (pos == 0 || size == 0) {
		if size == 0 {
			return nil, nil
		}
		// The file is a single "\n": one empty line.
		return []string{""}, nil
	}
	lines := strings.Split(string(buf), "\n")
	if pos > 0 {
		// The first piece starts mid-line; more than n remain anyway.
		lines = lines[1:]
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines, nil
}

// Report prints a failed node for the person at the terminal: the node and
// its error, the last n lines of its log, and the log's path. Control
// characters in the log are shown as ^X so they cannot drive the terminal.
func Report(w io.Writer, id string, buildErr error, logPath string, n int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "FAILED %s: %v\n", id, buildErr)
	lines, err := Tail(logPath, n)
	if err != nil {
		fmt.Fprintf(&b, "(no log: %v)\n", err)
	} else {
		fmt.Fprintf(&b, "--- last %d lines of the log:\n", len(lines))
		for _, l := range lines {
			b.WriteString("  | ")
			b.WriteString(visible(l))
			b.WriteByte('\n')
		}
	}
	fmt.Fprintf(&b, "log: %s\n", logPath)
	_, werr := io.WriteString(w, b.String())
	return werr
}

// carets shows each C0 control (but tab) and DEL in caret notation.
var carets = func() *strings.Replacer {
	var pairs []string
	for c := 0; c < 0x20; c++ {
		if c != '\t' {
			pairs = append(pairs, string(rune(c)), "^"+string(rune(c+64)))
		}
	}
	return strings.NewReplacer(append(pairs, "\x7f", "^?")...)
}()

func visible(s string) string { return carets.Replace(s) }
