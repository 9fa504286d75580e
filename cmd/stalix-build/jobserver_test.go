package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// jobsJ is the -j of TestJobserverMesonAndMake: small, so three builds of eight compiles each
// would overrun it at once if any of them ran jobs of its own.
const jobsJ = 3

// compilerLog is a compiler in front of the cc package's: it stamps each compile's start and end
// (nanoseconds, shared across the sandboxes, which have no time namespace) into the build's
// jobs.log and holds each compile for a second, so that jobs overlap whenever slots allow.
const compilerLog = `mkdir -p /build/wrap
cat > /build/wrap/{{ target.triple }}-cc <<'EOT'
#!/bin/sh
case " $* " in
*" -c "*)
  echo "+ $(date +%s%N) {{ name }}" >> /build/jobs.log
  sleep 1
  {{ deps.cc }}/bin/{{ target.triple }}-cc "$@"; rc=$?
  echo "- $(date +%s%N) {{ name }}" >> /build/jobs.log
  exit $rc ;;
esac
exec {{ deps.cc }}/bin/{{ target.triple }}-cc "$@"
EOT
chmod 755 /build/wrap/{{ target.triple }}-cc
export PATH=/build/wrap:$PATH
`

// TestJobserverMesonAndMake runs two meson builds and one make build at once under one
// `stalix-build build -j 3`, each compile going through a compiler that logs its start and end,
// and fails if more than 3 compiles ever ran at once. Meson's ninja joins the pool through the
// fifo bound into its sandbox, make through the fds in MAKEFLAGS.
func TestJobserverMesonAndMake(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: needs the seed, the toolchain and meson")
	}
	bin := binary(t)
	// ninja 1.13 is a git source: a machine whose cache cannot get it (CI's) cannot build meson.
	var rows []struct {
		Name   string
		Cached bool
	}
	if err := json.Unmarshal([]byte(stalix(t, bin, "plan", "meson", "--json")), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !r.Cached {
			t.Skipf("needs meson and what it runs in the store (%s is not): stalix-build build meson", r.Name)
		}
	}
	ov, src := t.TempDir(), t.TempDir()
	nonce := time.Now().UnixNano()
	const files = 8
	var names []string
	for _, name := range []string{"jsmeson1", "jsmeson2", "jsmake"} {
		names = append(names, fmt.Sprintf("%q", name))
		body := map[string]string{}
		var cs []string
		for i := range files {
			c := fmt.Sprintf("f%d.c", i)
			cs = append(cs, c)
			body[c] = fmt.Sprintf("/* %d */\nint f%d(void) { return %d; }\n", nonce, i, i)
		}
		body["main.c"] = "int f0(void);\nint main(void) { return f0(); }\n"
		cs = append(cs, "main.c")
		tmpl, tools := "", `"meson"`
		if name == "jsmake" {
			body["Makefile"] = fmt.Sprintf("%s: %s\n\t$(CC) -o $@ $^\n%%.o: %%.c\n\t$(CC) $(CFLAGS) -c -o $@ $<\ninstall: %s\n\tmkdir -p $(PREFIX)/bin\n\tcp %s $(PREFIX)/bin/\n",
				name, strings.ReplaceAll(strings.Join(cs, " "), ".c", ".o"), name, name)
			tmpl, tools = `{% extends "make.sh" %}{% block prepare %}`+compilerLog+`{% endblock %}`, ""
		} else {
			body["meson.build"] = fmt.Sprintf("project('%s', 'c')\nexecutable('%s', '%s', install: true)\n",
				name, name, strings.Join(cs, "', '"))
			tmpl = `{% extends "meson.sh" %}{% block prepare %}{{ block.Super }}` + compilerLog + `{% endblock %}`
		}
		// The log goes into the output, where the test reads it.
		tmpl += `{% block fixup %}{{ block.Super }}mkdir -p "$out/share" && cp /build/jobs.log "$out/share/"{% endblock %}`
		file := filepath.Join(src, name+"-1.0.tar.gz")
		tarball(t, file, name, body)
		sum := strings.Fields(stalix(t, bin, "sources", "import", file))[1] // "sha256 <sum>  <file>"
		dir := filepath.Join(ov, "local", name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		toml := fmt.Sprintf("name = %q\nversion = \"1.0\"\nlicense = \"MIT\"\n[[source]]\nfile = \"%s-1.0.tar.gz\"\nurl = \"https://example.invalid/%s-1.0.tar.gz\"\nsha256 = %q\nstrip = 1\n[deps]\ntools = [%s]\n",
			name, name, name, sum, tools)
		if err := os.WriteFile(filepath.Join(dir, "recipe.toml"), []byte(toml), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "build.sh"), []byte(tmpl), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prof := filepath.Join(ov, "js.toml")
	if err := os.WriteFile(prof, []byte("name = \"js\"\nkernel = \"\"\npackages = ["+strings.Join(names, ", ")+"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stalix(t, bin, "build", prof, "--recipes", ov, "-j", strconv.Itoa(jobsJ))

	var stamps []stamp
	for _, name := range []string{"jsmeson1", "jsmeson2", "jsmake"} {
		dir := strings.TrimSpace(stalix(t, bin, "path", name, "--recipes", ov))
		stamps = append(stamps, readStamps(t, filepath.Join(dir, "share", "jobs.log"))...)
	}
	peak, compiles, overlap := peakCompiles(stamps)
	t.Logf("%d compiles in 3 builds, at most %d at once (j=%d); two or more builds compiling at once for %v",
		compiles, peak, jobsJ, overlap)
	// Each project's files, and for meson also the compiles of its setup checks.
	if compiles < 3*(files+1) {
		t.Errorf("%d compiles logged, want at least %d", compiles, 3*(files+1))
	}
	if peak > jobsJ {
		t.Errorf("%d compiles ran at once, more than -j %d", peak, jobsJ)
	}
	// The measurement must be able to see an overrun: the builds ran at once and used the pool.
	if peak < 2 || overlap == 0 {
		t.Errorf("at most %d compiles at once, builds overlapping for %v: the builds did not run at once", peak, overlap)
	}
}

type stamp struct {
	at    int64
	delta int
	build string
}

// readStamps reads a jobs.log of "+ NANOS NAME" and "- NANOS NAME" lines.
func readStamps(t *testing.T, path string) []stamp {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []stamp
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || (f[0] != "+" && f[0] != "-") {
			t.Fatalf("%s: bad line %q", path, line)
		}
		at, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		d := 1
		if f[0] == "-" {
			d = -1
		}
		out = append(out, stamp{at, d, f[2]})
	}
	return out
}

// peakCompiles sweeps the stamps of all builds in time order: the most compiles running at one
// instant, how many compiles started, and how long compiles of two or more builds overlapped.
func peakCompiles(stamps []stamp) (peak, compiles int, overlap time.Duration) {
	// Ends before starts at the same instant: touching is not overlap.
	slices.SortFunc(stamps, func(a, b stamp) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return a.delta - b.delta
	})
	cur := 0
	per := map[string]int{}
	var since int64
	for _, s := range stamps {
		busy := func() int {
			n := 0
			for _, c := range per {
				if c > 0 {
					n++
				}
			}
			return n
		}
		if busy() >= 2 {
			overlap += time.Duration(s.at - since)
		}
		since = s.at
		cur += s.delta
		per[s.build] += s.delta
		if s.delta > 0 {
			compiles++
		}
		peak = max(peak, cur)
	}
	return peak, compiles, overlap
}
