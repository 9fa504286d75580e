package profile

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name, text, err string
	}{
		{"defaults", "name = \"m\"\n[outputs.disk]\n", ""},
		{"bad target", "name = \"m\"\ntargets = [\"riscv\"]\n", "target \"riscv\" is not supported"},
		{"bad init", "name = \"m\"\ninit = \"systemd\"\n", "init \"systemd\" is not supported"},
		{"bad size", "name = \"m\"\n[outputs.disk]\nsize = \"big\"\n", "outputs.disk.size"},
		{"bad file", "name = \"m\"\n[files]\n\"etc/x\" = \"y\"\n", "must be an absolute path"},
		{"root user", "name = \"m\"\n[[users]]\nname = \"root\"\n", "not root"},
		{"syntax", "name = \"m\n", "p.toml:1:"},
		{"options typed", "name = \"m\"\n[outputs.disk]\n[options.busybox]\nstatic = false\n", ""},
		{"options wrong type", "name = \"m\"\n[options.linux]\ncmdline = \"x\"\n[options.busybox]\nno_strip = \"yes\"\n", `p.toml:5:1: [options.busybox]: option no_strip = "yes": want true or false`},
		{"options list", "name = \"m\"\n[options.e2fsprogs]\nallow_build_path = [true]\n", "p.toml:3:1: [options.e2fsprogs]: option allow_build_path = [true]"},
		{"empty check command", "name = \"m\"\n[check]\ncommands = [\"ls\", \" \"]\n", "check.commands[1]"},
		{"two-line check command", "name = \"m\"\n[check]\ncommands = [\"ls\\ntrue\"]\n", "one non-empty command line"},
		{"screen", "name = \"m\"\n[outputs.disk]\n[screen]\ntimeout = \"2m\"\n[[screen.regions]]\nname = \"b\"\ncolor = \"#ff00ff\"\nmin_pixels = 10\n", ""},
		{"screen no regions", "name = \"m\"\n[screen]\ntolerance = 10\n", "[screen] has no [[screen.regions]]"},
		{"screen bad colour", "name = \"m\"\n[[screen.regions]]\nname = \"b\"\ncolor = \"red\"\nmin_pixels = 1\n", `colour "red"`},
		{"screen bad timeout", "name = \"m\"\n[screen]\ntimeout = \"soon\"\n[[screen.regions]]\nname = \"b\"\ncolor = \"#000000\"\nmin_pixels = 1\n", `timeout "soon"`},
		{"screen unknown key", "name = \"m\"\n[[screen.regions]]\nname = \"b\"\ncolour = \"#000000\"\n", "unknown key screen.regions.colour"},
		{"unknown check key", "name = \"m\"\n[check]\ncommand = [\"ls\"]\n", "unknown key check.command"},
		{"install path", "name = \"m\"\n[install]\nprofile = \"../x\"\n", "install.profile \"../x\""},
		{"install empty", "name = \"m\"\n[install]\n", "install.profile \"\""},
		{"install itself", "name = \"m\"\n[install]\nprofile = \"m\"\n", "is this profile"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse("p.toml", []byte(c.text))
			if c.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if p.Init != "busybox-runit" || p.Kernel != "linux" || p.Outputs.Disk.Size != "256M" || p.Targets[0] != "x86_64" {
					t.Errorf("defaults not applied: %+v", p)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("error %v, want %q", err, c.err)
			}
		})
	}
}

func TestCheckCommands(t *testing.T) {
	p, err := Parse("p.toml", []byte("name = \"m\"\n[check]\ncommands = [\"curl --version\", \"ip -V\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Check.Commands, "|"); got != "curl --version|ip -V" {
		t.Errorf("check.commands = %q", got)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"64M": 64 << 20, "1G": 1 << 30, "4096": 4096, "256MiB": 256 << 20, "8k": 8 << 10} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "M", "-1M", "x"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("name = \"m\"\npackages = [\"busybox\"]\n[outputs.disk]\nsize = \"1G\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("f.toml", data)
		if err == nil && (p.Name == "" || len(p.Targets) == 0) {
			t.Fatal("accepted a profile without name or targets")
		}
		if err == nil {
			for _, c := range p.Check.Commands {
				if strings.TrimSpace(c) == "" || strings.ContainsAny(c, "\r\n") {
					t.Fatalf("accepted check command %q", c)
				}
			}
		}
	})
}
