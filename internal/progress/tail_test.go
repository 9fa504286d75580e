package progress

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// scanTail is the oracle: every line as bufio.ScanLines splits them, then
// the last n.
func scanTail(data []byte, n int) []string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, len(data)+1), len(data)+1)
	var all []string
	for sc.Scan() {
		all = append(all, sc.Text())
	}
	if n <= 0 {
		return nil
	}
	return all[max(0, len(all)-n):]
}

func writeTemp(t testing.TB, data []byte) string {
	path := filepath.Join(t.TempDir(), "build.log")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTail(t *testing.T) {
	var long strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&long, "line %d\n", i)
	}
	tests := []struct {
		name string
		data string
		n    int
	}{
		{"empty", "", 30},
		{"one newline", "\n", 30},
		{"no final newline", "a\nb", 30},
		{"final newline", "a\nb\n", 30},
		{"crlf", "a\r\nb\r\n", 30},
		{"blank lines", "a\n\n\nb\n\n", 3},
		{"fewer than n", "x\ny\n", 30},
		{"exactly n", "1\n2\n3\n", 3},
		{"n is zero", "1\n2\n", 0},
		{"across chunks", long.String(), 30},
		{"longer than a chunk", strings.Repeat("z", 20000) + "\nend\n", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Tail(writeTemp(t, []byte(tc.data)), tc.n)
			if err != nil {
				t.Fatal(err)
			}
			if want := scanTail([]byte(tc.data), tc.n); !slices.Equal(got, want) {
				t.Errorf("Tail = %q, want %q", got, want)
			}
		})
	}
	if _, err := Tail(filepath.Join(t.TempDir(), "missing.log"), 3); err == nil {
		t.Error("Tail of a missing file succeeded")
	}
}

func FuzzTail(f *testing.F) {
	f.Add([]byte("a\nb\n"), uint8(1))
	f.Add([]byte("\n\n\r\n"), uint8(2))
	f.Add(bytes.Repeat([]byte("0123456789\n"), 2000), uint8(30))
	f.Fuzz(func(t *testing.T, data []byte, n uint8) {
		got, err := Tail(writeTemp(t, data), int(n))
		if err != nil {
			t.Fatal(err)
		}
		if want := scanTail(data, int(n)); !slices.Equal(got, want) {
			t.Fatalf("Tail(%q, %d) = %q, want %q", data, n, got, want)
		}
	})
}

func TestReport(t *testing.T) {
	var log strings.Builder
	for i := range 40 {
		fmt.Fprintf(&log, "cc -c file%d.c\n", i)
	}
	log.WriteString("error: \x1b[31mboom\x1b[0m\tat line 3\n")
	path := writeTemp(t, []byte(log.String()))
	var out bytes.Buffer
	if err := Report(&out, "musl-1.2.3", fmt.Errorf("exit status 2"), path, 30); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"FAILED musl-1.2.3: exit status 2\n",
		"--- last 30 lines of the log:\n",
		"  | cc -c file11.c\n",
		"  | error: ^[[31mboom^[[0m\tat line 3\n",
		"log: " + path + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "file10.c") || strings.Contains(got, "\x1b") {
		t.Errorf("report shows more than 30 lines or raw escapes:\n%s", got)
	}
}
