package tree

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestAdd(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
		wantErr string
		want    []string // path type mode
	}{
		{
			name:    "parents are created",
			entries: []Entry{{Path: "etc/ssl/certs/ca.pem", Type: File, Mode: 0o644, Data: []byte("x")}},
			want:    []string{"/etc dir 755", "/etc/ssl dir 755", "/etc/ssl/certs dir 755", "/etc/ssl/certs/ca.pem file 644"},
		},
		{
			name: "later entry replaces",
			entries: []Entry{
				{Path: "/init", Type: File, Mode: 0o644, Data: []byte("a")},
				{Path: "/init", Type: File, Mode: 0o755, Data: []byte("b")},
			},
			want: []string{"/init file 755"},
		},
		{
			name: "directory metadata update keeps children",
			entries: []Entry{
				{Path: "/tmp/x", Type: File},
				{Path: "/tmp", Type: Dir, Mode: 0o1777},
			},
			want: []string{"/tmp dir 1777", "/tmp/x file 0"},
		},
		{
			name:    "non-empty directory cannot become a file",
			entries: []Entry{{Path: "/a/b", Type: File}, {Path: "/a", Type: File}},
			wantErr: "non-empty directory",
		},
		{
			name:    "file as parent",
			entries: []Entry{{Path: "/bin", Type: Symlink, Target: "usr/bin"}, {Path: "/bin/sh", Type: File}},
			wantErr: "parent /bin is a symlink",
		},
		{name: "root", entries: []Entry{{Path: "/", Type: Dir}}, wantErr: "root"},
		{name: "type bits in mode", entries: []Entry{{Path: "/x", Type: File, Mode: 0o100644}}, wantErr: "07777"},
		{name: "symlink without target", entries: []Entry{{Path: "/x", Type: Symlink}}, wantErr: "without a target"},
		{name: "no type", entries: []Entry{{Path: "/x"}}, wantErr: "unknown entry type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := New(1)
			var err error
			for _, e := range tt.entries {
				if err = tr.Add(e); err != nil {
					break
				}
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range tr.Entries() {
				got = append(got, e.Path+" "+e.Type.String()+" "+strconvOct(e.Mode))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func strconvOct(m uint32) string {
	s := ""
	for m > 0 {
		s = string(rune('0'+m%8)) + s
		m /= 8
	}
	if s == "" {
		return "0"
	}
	return s
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
		wantErr string
	}{
		{"ok", []Entry{{Path: "/a", Type: File}, {Path: "/b", Type: Hardlink, Target: "/a"}}, ""},
		{"missing", []Entry{{Path: "/b", Type: Hardlink, Target: "/a"}}, "not in the tree"},
		{"to symlink", []Entry{{Path: "/a", Type: Symlink, Target: "x"}, {Path: "/b", Type: Hardlink, Target: "/a"}}, "only regular files"},
		{"sorts after", []Entry{{Path: "/z", Type: File}, {Path: "/b", Type: Hardlink, Target: "/z"}}, "sorts after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := New(0)
			for _, e := range tt.entries {
				if err := tr.Add(e); err != nil {
					t.Fatal(err)
				}
			}
			err := tr.Check()
			if (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Check() = %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestFromDir(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "a"), 0o750))
	must(os.WriteFile(filepath.Join(dir, "a/x"), []byte("hello"), 0o4755))
	must(unix.Chmod(filepath.Join(dir, "a/x"), 0o4755))
	// "/a-b" sorts before "/a/x" though WalkDir visits a/ first: it must be the file.
	must(os.Link(filepath.Join(dir, "a/x"), filepath.Join(dir, "a-b")))
	must(os.Link(filepath.Join(dir, "a/x"), filepath.Join(dir, "z")))
	must(os.Symlink("a/x", filepath.Join(dir, "s")))
	wantDev := os.Geteuid() == 0
	if wantDev {
		must(unix.Mknod(filepath.Join(dir, "console"), unix.S_IFCHR|0o600, int(unix.Mkdev(5, 1))))
	}

	tr, err := FromDir(dir, 42)
	must(err)
	must(tr.Check())
	got := map[string]Entry{}
	for _, e := range tr.Entries() {
		got[e.Path] = *e
		if e.UID != 0 || e.GID != 0 {
			t.Errorf("%s: owner %d:%d, want 0:0", e.Path, e.UID, e.GID)
		}
	}
	if e := got["/a-b"]; e.Type != File || e.Size != 5 || e.Mode != 0o4755 {
		t.Errorf("/a-b = %+v, want the 5-byte setuid file", e)
	}
	for _, p := range []string{"/a/x", "/z"} {
		if e := got[p]; e.Type != Hardlink || e.Target != "/a-b" {
			t.Errorf("%s = %+v, want hard link to /a-b", p, e)
		}
	}
	if e := got["/a"]; e.Type != Dir || e.Mode != 0o750 {
		t.Errorf("/a = %+v, want dir 0750", e)
	}
	if e := got["/s"]; e.Type != Symlink || e.Target != "a/x" {
		t.Errorf("/s = %+v", e)
	}
	if wantDev {
		if e := got["/console"]; e.Type != CharDev || e.Major != 5 || e.Minor != 1 {
			t.Errorf("/console = %+v, want char 5:1", e)
		}
	}
	if links := tr.Links(); links["/a-b"] != 3 {
		t.Errorf("Links()[/a-b] = %d, want 3", links["/a-b"])
	}
	e := got["/a-b"]
	rc, err := e.Open()
	must(err)
	rc.Close()
	must(os.WriteFile(filepath.Join(dir, "a-b"), []byte("longer now"), 0o644))
	if _, err := e.Open(); err == nil || !strings.Contains(err.Error(), "changed size") {
		t.Errorf("Open after change: %v, want a changed-size error", err)
	}
}

func TestFromDirRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := unix.Mkfifo(filepath.Join(dir, "p"), 0o644); err != nil {
		t.Fatal("mkfifo:", err)
	}
	if _, err := FromDir(dir, 0); err == nil || !strings.Contains(err.Error(), "remove it") {
		t.Fatalf("FromDir = %v, want an error about the FIFO", err)
	}
}

func TestGraft(t *testing.T) {
	sub := New(1)
	for _, e := range []Entry{
		{Path: "/bin/busybox", Type: File, Mode: 0o755, Data: []byte("bb")},
		{Path: "/bin/sh", Type: Hardlink, Target: "/bin/busybox"},
		{Path: "/etc/motd", Type: Symlink, Target: "/ix/x"},
		{Path: "/dev/console", Type: CharDev, Mode: 0o600, Major: 5, Minor: 1},
	} {
		if err := sub.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	top := New(1)
	if err := top.Graft(sub, "/ix/install/root", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := top.Check(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"/ix":                          "dir 755 ",
		"/ix/install":                  "dir 755 ",
		"/ix/install/root":             "dir 700 ",
		"/ix/install/root/bin":         "dir 755 ",
		"/ix/install/root/bin/busybox": "file 755 ",
		"/ix/install/root/bin/sh":      "hardlink 0 /ix/install/root/bin/busybox",
		"/ix/install/root/dev":         "dir 755 ",
		"/ix/install/root/dev/console": "chardev 600 ",
		"/ix/install/root/etc":         "dir 755 ",
		"/ix/install/root/etc/motd":    "symlink 777 /ix/x", // a symlink's target is the system's own path
	}
	got := map[string]string{}
	for _, e := range top.Entries() {
		got[e.Path] = fmt.Sprintf("%s %o %s", e.Type, e.Mode, e.Target)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("grafted:\n%v\nwant:\n%v", got, want)
	}
}
