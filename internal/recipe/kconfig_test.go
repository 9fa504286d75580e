package recipe

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// kconfigFuncs is _templates/kconfig.sh as a script: it has no template
// values, only a comment to drop.
func kconfigFuncs(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../recipes/_templates/kconfig.sh")
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`(?s)\{% comment %\}.*?\{% endcomment %\}`).ReplaceAllString(string(b), "")
}

func TestKconfigMergeAndCheck(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("needs sh")
	}
	base := "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=\"x\"\nCONFIG_D=y\n"
	frag := "CONFIG_B=y\n# CONFIG_D is not set\nCONFIG_E=m\nCONFIG_B=n\nCONFIG_B=y\nCONFIG_F=n\n"
	tests := []struct {
		name, config, wantErr string
	}{
		{"merge then check passes", "", ""},
		{"a dropped symbol", "CONFIG_A=y\nCONFIG_D=y\n# CONFIG_B is not set\n",
			"t: asked for CONFIG_B=y, the config has: # CONFIG_B is not set"},
		{"a symbol asked off but set", "CONFIG_B=y\nCONFIG_D=y\nCONFIG_E=m\n",
			"t: asked for CONFIG_D off, the config has: CONFIG_D=y"},
		{"a symbol nowhere", "CONFIG_B=y\nCONFIG_E=y\n", "t: asked for CONFIG_E=m, the config has: CONFIG_E=y"},
		{"=n asked, set", "CONFIG_B=y\nCONFIG_E=m\nCONFIG_F=y\n", "t: asked for CONFIG_F off, the config has: CONFIG_F=y"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg, fr := filepath.Join(dir, ".config"), filepath.Join(dir, "frag")
			os.WriteFile(cfg, []byte(base), 0o644)
			os.WriteFile(fr, []byte(frag), 0o644)
			script := kconfigFuncs(t) + "\nkconfig_merge " + cfg + " " + fr + "\n"
			if tc.config != "" {
				script += "printf '%s' '" + tc.config + "' > " + cfg + "\n"
			}
			script += "kconfig_check " + cfg + " " + fr + " t the-fragment\n"
			out, err := exec.Command(sh, "-ec", script).CombinedOutput()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				got, _ := os.ReadFile(cfg)
				// Unnamed lines stay in place; named ones take the last request, in first-mention order.
				if want := "CONFIG_A=y\nCONFIG_C=\"x\"\nCONFIG_B=y\n# CONFIG_D is not set\nCONFIG_E=m\nCONFIG_F=n\n"; string(got) != want {
					t.Errorf("merged:\n%s\nwant:\n%s", got, want)
				}
				return
			}
			if err == nil || !strings.Contains(string(out), tc.wantErr) || !strings.Contains(string(out), "fix the-fragment") {
				t.Errorf("got %v:\n%s\nwant %q and the fix", err, out, tc.wantErr)
			}
		})
	}
}
