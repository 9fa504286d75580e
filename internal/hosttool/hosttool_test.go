package hosttool

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMissing(t *testing.T) {
	dir := t.TempDir()
	unreadable := filepath.Join(dir, "sub")
	os.WriteFile(unreadable, nil, 0o644)
	_, lookErr := Look("stalix-no-such-program", "stalix-pkg")
	cases := []struct {
		name    string
		err     error
		missing bool
		text    string
	}{
		{"program", lookErr, true, "stalix-no-such-program not found (apt-get install stalix-pkg)"},
		{"wrapped", fmt.Errorf("qemu: %w", lookErr), true, "qemu: stalix-no-such-program not found"},
		{"file", File(filepath.Join(dir, "nope.fd"), "ovmf"), true, "nope.fd not found (apt-get install ovmf)"},
		{"present", File(unreadable, "x"), false, ""},
		// A path through a regular file is not "missing": the host is wrong in another way.
		{"other error", File(filepath.Join(unreadable, "x"), "x"), false, "not a directory"},
		{"plain error", fmt.Errorf("exit status 1"), false, "exit status 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := IsMissing(c.err); got != c.missing {
				t.Errorf("IsMissing(%v) = %v, want %v", c.err, got, c.missing)
			}
			if c.text == "" {
				if c.err != nil {
					t.Errorf("error %v, want none", c.err)
				}
				return
			}
			if c.err == nil || !strings.Contains(c.err.Error(), c.text) {
				t.Errorf("error %v, want %q in it", c.err, c.text)
			}
		})
	}
	if p, err := Look("sh", "dash"); err != nil || p == "" {
		t.Errorf("Look(sh) = %q, %v", p, err)
	}
}
