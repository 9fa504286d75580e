// Package profile loads image definitions from profiles/*.toml.
package profile

import (
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"stalix.dev/stalix-build/internal/recipe"
	"stalix.dev/stalix-build/internal/screen"
)

// User is an account the image carries besides root.
type User struct {
	Name     string `toml:"name"`
	UID      int    `toml:"uid"`
	GID      int    `toml:"gid"`
	Home     string `toml:"home"`
	Shell    string `toml:"shell"`
	Password string `toml:"password"` // a crypt(3) hash; empty locks the account
}

// Initramfs, Disk and Tar describe the outputs; a nil pointer means "not built".
type Initramfs struct {
	Compression string `toml:"compression"` // zstd (default) or gzip
}

type Disk struct {
	Size string `toml:"size"` // e.g. "256M"
	ESP  string `toml:"esp"`  // e.g. "64M"
}

type Tar struct{}

// Check is what boot --check runs on the booted system besides its fixed
// questions: each command must exit 0.
type Check struct {
	Commands []string `toml:"commands"`
}

// Install makes a profile an install media: it carries another profile's
// system, which stalix-install writes onto a disk.
type Install struct {
	// Profile is the system installed, a profile's name: NAME.toml beside
	// this file, else the tree's profiles/NAME.toml.
	Profile string `toml:"profile"`
	// Options are laid over the system profile's [options.<pkg>]: an
	// installed system usually wants the generic kernel, whatever the
	// system profile builds for QEMU.
	Options map[string]map[string]any `toml:"options"`
}

type Outputs struct {
	Initramfs *Initramfs `toml:"initramfs"`
	Disk      *Disk      `toml:"disk"`
	Tar       *Tar       `toml:"tar"`
}

// Profile is what an image holds.
type Profile struct {
	Name         string                    `toml:"name"`
	Description  string                    `toml:"description"`
	Targets      []string                  `toml:"targets"`
	Packages     []string                  `toml:"packages"`
	Services     []string                  `toml:"services"`
	Hostname     string                    `toml:"hostname"`
	Init         string                    `toml:"init"`
	Toolchain    string                    `toml:"toolchain"`
	Kernel       string                    `toml:"kernel"`
	KernelConfig []string                  `toml:"kernel_config"`
	RootPassword string                    `toml:"root_password"`
	Users        []User                    `toml:"users"`
	Files        map[string]string         `toml:"files"`
	Options      map[string]map[string]any `toml:"options"`
	Outputs      Outputs                   `toml:"outputs"`
	Check        Check                     `toml:"check"`
	Install      *Install                  `toml:"install"`
	// Screen is what boot --screen --check looks for in screendumps; nil
	// when the profile has no display.
	Screen *screen.Spec `toml:"screen"`

	File string `toml:"-"`
	// RootPasswordSet tells root_password = "" (no password, Buildroot's
	// default for development images) from no root_password (locked).
	RootPasswordSet bool `toml:"-"`
}

// Inits are the PID 1 choices a profile may make.
var Inits = []string{"busybox-runit", "runit"}

// Load reads and checks a profile file.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// LoadFS reads and checks the profile at path in fsys; name is what
// errors call the file.
func LoadFS(fsys fs.FS, path, name string) (*Profile, error) {
	data, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, err
	}
	return Parse(name, data)
}

// Parse decodes profile TOML; path is for errors.
func Parse(path string, data []byte) (*Profile, error) {
	var p Profile
	md, err := toml.Decode(string(data), &p)
	if err != nil {
		return nil, recipe.TOMLError(path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: unknown key %s", path, und[0].String())
	}
	p.File = path
	if err := p.checkOptions(data); err != nil {
		return nil, err
	}
	p.RootPasswordSet = md.IsDefined("root_password")
	p.setDefaults(md.IsDefined("kernel"))
	return &p, p.validate()
}

// checkOptions checks the policy options of every [options.<package>].
func (p *Profile) checkOptions(data []byte) error {
	names := make([]string, 0, len(p.Options))
	for n := range p.Options {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := recipe.Policy(p.Options[n]); err != nil {
			var shadow struct {
				Options map[string]recipe.PolicyOptions `toml:"options"`
			}
			return recipe.AtLine(p.File, data, &shadow, fmt.Errorf("[options.%s]: %w", n, err))
		}
	}
	return nil
}

func (p *Profile) setDefaults(kernelSet bool) {
	if len(p.Targets) == 0 {
		p.Targets = []string{"x86_64"}
	}
	if p.Hostname == "" {
		p.Hostname = "stalix"
	}
	if p.Init == "" {
		p.Init = "busybox-runit"
	}
	if p.Toolchain == "" {
		p.Toolchain = "seed"
	}
	if p.Kernel == "" && !kernelSet {
		p.Kernel = "linux"
	}
	if p.Outputs.Initramfs != nil && p.Outputs.Initramfs.Compression == "" {
		p.Outputs.Initramfs.Compression = "zstd"
	}
	if p.Outputs.Disk != nil {
		if p.Outputs.Disk.Size == "" {
			p.Outputs.Disk.Size = "256M"
		}
		if p.Outputs.Disk.ESP == "" {
			p.Outputs.Disk.ESP = "64M"
		}
	}
}

func (p *Profile) validate() error {
	if p.Name == "" {
		return fmt.Errorf("%s: missing name", p.File)
	}
	for _, t := range p.Targets {
		if t != "x86_64" && t != "aarch64" {
			return fmt.Errorf("%s: target %q is not supported (use x86_64 or aarch64)", p.File, t)
		}
	}
	if !contains(Inits, p.Init) {
		return fmt.Errorf("%s: init %q is not supported (use %s)", p.File, p.Init, strings.Join(Inits, " or "))
	}
	if c := p.Outputs.Initramfs; c != nil && c.Compression != "zstd" && c.Compression != "gzip" {
		return fmt.Errorf("%s: outputs.initramfs.compression %q: use zstd or gzip", p.File, c.Compression)
	}
	if d := p.Outputs.Disk; d != nil {
		if _, err := ParseSize(d.Size); err != nil {
			return fmt.Errorf("%s: outputs.disk.size: %w", p.File, err)
		}
		if _, err := ParseSize(d.ESP); err != nil {
			return fmt.Errorf("%s: outputs.disk.esp: %w", p.File, err)
		}
	}
	if in := p.Install; in != nil {
		if in.Profile == "" || strings.ContainsAny(in.Profile, "/\\") || strings.HasSuffix(in.Profile, ".toml") {
			return fmt.Errorf("%s: install.profile %q: name a profile by its name, e.g. \"minimal\"", p.File, in.Profile)
		}
		if in.Profile == p.Name {
			return fmt.Errorf("%s: install.profile %q is this profile: an install media installs another system", p.File, in.Profile)
		}
	}
	seen := map[string]bool{}
	for _, u := range p.Users {
		if u.Name == "" || u.Name == "root" || seen[u.Name] {
			return fmt.Errorf("%s: user %q: names must be set, unique and not root", p.File, u.Name)
		}
		seen[u.Name] = true
	}
	if p.Screen != nil {
		if err := p.Screen.Validate(p.File); err != nil {
			return err
		}
		if p.Screen.Timeout != "" {
			if _, err := time.ParseDuration(p.Screen.Timeout); err != nil {
				return fmt.Errorf("%s: [screen] timeout %q: want a duration such as \"6m\"", p.File, p.Screen.Timeout)
			}
		}
	}
	for i, c := range p.Check.Commands {
		// Each is typed as one line on the serial console.
		if strings.TrimSpace(c) == "" || strings.ContainsAny(c, "\r\n") {
			return fmt.Errorf("%s: check.commands[%d] %q: write one non-empty command line per entry", p.File, i, c)
		}
	}
	for path := range p.Files {
		if !strings.HasPrefix(path, "/") || strings.Contains(path, "..") {
			return fmt.Errorf("%s: files: %q must be an absolute path without ..", p.File, path)
		}
	}
	return nil
}

// FilePaths lists the profile's extra files in sorted order.
func (p *Profile) FilePaths() []string {
	out := make([]string, 0, len(p.Files))
	for k := range p.Files {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// HasTarget reports whether the profile is built for arch.
func (p *Profile) HasTarget(arch string) bool { return contains(p.Targets, arch) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ParseSize reads sizes like 256M, 1G, 4096 (bytes) or 64MiB.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "IB"), "B")
	mult := int64(1)
	if t != "" {
		switch t[len(t)-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		}
		if mult > 1 {
			t = t[:len(t)-1]
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: write a positive number with an optional K, M or G suffix", s)
	}
	return n * mult, nil
}
