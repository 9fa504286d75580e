package plan

import (
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/profile"
)

// rename_symbols becomes a -D per symbol, prefixed by the recipe's name,
// in that recipe's CFLAGS and no one else's.
func TestRenameSymbols(t *testing.T) {
	prof := &profile.Profile{
		Name: "t", Toolchain: "seed", Targets: []string{"x86_64"}, Packages: []string{"libelf"},
		Options: map[string]map[string]any{"zlib": {"rename_symbols": []any{"crc32", "adler32"}}},
	}
	pl, err := ForProfile(shipped(t), prof)
	if err != nil {
		t.Fatal(err)
	}
	z, elf := pl.Find("zlib"), pl.Find("libelf")
	want := `-Dcrc32=stalix_zlib_crc32 -Dadler32=stalix_zlib_adler32"`
	if !strings.Contains(z.Script, want) {
		t.Errorf("zlib's script lacks %s", want)
	}
	if strings.Contains(elf.Script, "stalix_zlib_") {
		t.Error("a user of the library got its renames")
	}
}
