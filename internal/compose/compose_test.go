package compose

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"stalix.dev/stalix-build/image/tree"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/recipe"
	"stalix.dev/stalix-build/internal/store"
)

// fixture plans the plan package's test tree and fills a store with a
// small fake output per node: hello ships bin/hello and an etc file with
// a service; libz ships etc/passwd.
func fixture(t *testing.T) (*store.Store, *plan.Plan, *profile.Profile) {
	t.Helper()
	root := "../plan/testdata/tree"
	repo, err := recipe.Open(filepath.Join(root, "recipes"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := plan.LoadStages(filepath.Join(root, "stages", "stages.toml"))
	if err != nil {
		t.Fatal(err)
	}
	prof := &profile.Profile{
		Name: "demo", Targets: []string{"x86_64"}, Packages: []string{"libz", "hello"},
		Hostname: "box", Init: "busybox-runit", Toolchain: "seed", Services: []string{"hi"},
		Users: []profile.User{{Name: "ann", UID: 1000, GID: 1000}}, RootPasswordSet: true,
		Files: map[string]string{"/etc/motd": "welcome\n"},
	}
	pl, err := plan.ForProfile(plan.Config{Repo: repo, Stages: st, SeedHash: "s"}, prof)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	files := map[string]map[string]string{
		"hello": {"bin/hello": "#!/bin/sh\necho hi\n", "etc/sv/hi/run": "#!/bin/sh\nexec hello\n", "etc/hello.conf": "x=1\n"},
		"libz":  {"lib/libz.a": "!<arch>\n", "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n", "etc/shadow": "root:!:1::::::\n"},
	}
	for _, n := range pl.Nodes {
		txn, err := s.Begin(n.Base())
		if err != nil {
			t.Fatal(err)
		}
		for p, c := range files[n.Name] {
			os.MkdirAll(filepath.Join(txn.Out, filepath.Dir(p)), 0o755)
			os.WriteFile(filepath.Join(txn.Out, p), []byte(c), 0o755)
		}
		if err := txn.Commit(store.Manifest{Name: n.Name}); err != nil {
			t.Fatal(err)
		}
	}
	return s, pl, prof
}

func TestRealmAndRoot(t *testing.T) {
	s, pl, prof := fixture(t)
	r, err := MakeRealm(s, pl, prof, "x86_64", 1)
	if err != nil {
		t.Fatal(err)
	}
	again, err := MakeRealm(s, pl, prof, "x86_64", 1)
	if err != nil || again.Base != r.Base {
		t.Fatalf("the same profile gave realms %s and %s (%v)", r.Base, again.Base, err)
	}
	root, err := Root(s, r, 1)
	if err != nil {
		t.Fatal(err)
	}
	hello := pl.Find("hello@x86_64")
	want := map[string]string{
		"/bin":                 "ix/realm/system/bin",
		"/ix/realm/system":     r.Out(),
		"/init":                "sbin/init",
		r.Out() + "/bin/hello": hello.Out() + "/bin/hello",
		"/etc/service/hi":      "/etc/sv/hi",
	}
	for p, target := range want {
		e := root.Get(p)
		if e == nil || e.Type != tree.Symlink || e.Target != target {
			t.Errorf("%s: %+v, want a link to %s", p, e, target)
		}
	}
	content := map[string]string{
		"/etc/hostname":   "box\n",
		"/etc/motd":       "welcome\n",
		"/etc/hello.conf": "x=1\n",
	}
	for p, c := range content {
		e := root.Get(p)
		if e == nil || e.Type != tree.File {
			t.Errorf("%s: %+v, want a file", p, e)
			continue
		}
		data, _ := os.ReadFile(e.Source)
		if len(e.Data) > 0 {
			data = e.Data
		}
		if string(data) != c {
			t.Errorf("%s holds %q, want %q", p, data, c)
		}
	}
	passwd, _ := os.ReadFile(root.Get("/etc/passwd").Source)
	if !strings.Contains(string(passwd), "ann:x:1000:1000::/home/ann:/bin/sh") {
		t.Errorf("user not added: %s", passwd)
	}
	shadow := root.Get("/etc/shadow")
	data, _ := os.ReadFile(shadow.Source)
	if shadow.Mode != 0o600 || !strings.HasPrefix(string(data), "root::") {
		t.Errorf("shadow mode %o, content %q: want 0600 and an empty root password", shadow.Mode, data)
	}
	if e := root.Get("/dev/console"); e == nil || e.Type != tree.CharDev || e.Major != 5 || e.Minor != 1 {
		t.Errorf("/dev/console: %+v", e)
	}
	if e := root.Get(hello.Out() + "/bin/hello"); e == nil || e.Type != tree.File {
		t.Errorf("package file missing from the store in the root: %+v", e)
	}
}

func TestUnknownService(t *testing.T) {
	s, pl, prof := fixture(t)
	prof.Services = []string{"nope"}
	if _, err := MakeRealm(s, pl, prof, "x86_64", 1); err == nil || !strings.Contains(err.Error(), `service "nope"`) {
		t.Errorf("error %v", err)
	}
}

// TestRealmIgnoresUmask: the tool writes the realm itself, so a caller's
// umask must not reach its modes (check runs with umask 077).
func TestRealmIgnoresUmask(t *testing.T) {
	s, pl, prof := fixture(t)
	old := syscall.Umask(0o077)
	r, err := MakeRealm(s, pl, prof, "x86_64", 1)
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{"etc": 0o555, "etc/hostname": 0o444} {
		fi, err := os.Stat(filepath.Join(s.Path(r.Base), p))
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode().Perm(), err, want)
		}
	}
}

// The base passwd, group and shadow come from the packages. Only one that
// no package ships takes the default; one shipped but unreadable is an
// error naming it, not a silent default that drops its users.
func TestBaseEtcFiles(t *testing.T) {
	const pkg = "00000000000000000000000000000000-base-1"
	cases := []struct {
		name  string
		setup func(dir string) // dir is the package's etc/ on the host
		link  bool             // the package ships etc/passwd
		want  string           // a line of /etc/passwd
		err   string
	}{
		{"not shipped", func(string) {}, false, "root:x:0:0:root:/root:/bin/sh", ""},
		{"shipped", func(d string) { os.WriteFile(filepath.Join(d, "passwd"), []byte("root:x:0:0::/:/bin/ash\n"), 0o644) }, true, "root:x:0:0::/:/bin/ash", ""},
		{"a directory", func(d string) { os.Mkdir(filepath.Join(d, "passwd"), 0o755) }, true, "", "/etc/passwd, shipped as /ix/store/" + pkg + "/etc/passwd"},
		{"dangling", func(d string) { os.Symlink("nowhere", filepath.Join(d, "passwd")) }, true, "", "/etc/passwd, shipped as"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := store.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			etc := filepath.Join(s.Path(pkg), "etc")
			if err := os.MkdirAll(etc, 0o755); err != nil {
				t.Fatal(err)
			}
			c.setup(etc)
			links := map[string]string{}
			if c.link {
				links["etc/passwd"] = plan.StoreDir + "/" + pkg + "/etc/passwd"
			}
			prof := &profile.Profile{Name: "p", Hostname: "h"}
			gen, _, err := generatedEtc(s, prof, links)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %v, want an error containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(gen["etc/passwd"], c.want+"\n") {
				t.Errorf("/etc/passwd = %q, want the line %q", gen["etc/passwd"], c.want)
			}
		})
	}
}

// A realm is a store entry named as packages are: 32 characters of Nix's
// base32, then its name.
func TestRealmNamedLikePackages(t *testing.T) {
	s, pl, prof := fixture(t)
	r, err := MakeRealm(s, pl, prof, "x86_64", 1)
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^[0-9abcdfghijklmnpqrsvwxyz]{32}-`)
	for _, base := range []string{pl.Nodes[0].Base(), r.Base} {
		if !name.MatchString(base) {
			t.Errorf("%s: want 32 characters of Nix base32 before the name", base)
		}
	}
	if want := "-realm-demo-x86_64"; !strings.HasSuffix(r.Base, want) {
		t.Errorf("realm %s, want it to end in %s", r.Base, want)
	}
}
