package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// stalixEnv runs the tool with extra environment and returns its output
// and whether it succeeded.
func stalixEnv(t *testing.T, bin string, env []string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err == nil
}

// A mirror made by `mirror` carries a machine with an empty source cache
// and every Debian route off through `seed` and `fetch` for minimal, over
// HTTP on loopback; a second `mirror` copies nothing; and a file that
// does not match its name is refused and left as it is.
func TestMirrorReplacesTheArchive(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: copies the seed and minimal's sources (~430 MB)")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		t.Skip("needs apt-get (a Debian host) to fill the mirror")
	}
	bin := binary(t)
	dir := filepath.Join(t.TempDir(), "mirror")
	out, ok := stalixEnv(t, bin, nil, "mirror", dir, "profiles/minimal.toml")
	if !ok || !strings.Contains(out, "mirror: copied ") {
		t.Fatalf("first mirror run:\n%s", tailText(out, 20))
	}
	out, ok = stalixEnv(t, bin, nil, "mirror", dir, "profiles/minimal.toml")
	if !ok || !strings.Contains(out, "mirror: nothing to copy") {
		t.Fatalf("second mirror run copied something or failed:\n%s", tailText(out, 20))
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	env := []string{
		"STALIX_SOURCES=" + filepath.Join(t.TempDir(), "sources"),
		"STALIX_MIRRORS=" + srv.URL + "/",
		"STALIX_NO_DEBIAN=1",
		"STALIX_SNAPSHOT=",
	}
	store := filepath.Join(t.TempDir(), "store")
	if out, ok := stalixEnv(t, bin, env, "seed", "--store", store); !ok {
		t.Fatalf("seed from the mirror:\n%s", tailText(out, 20))
	}
	out, ok = stalixEnv(t, bin, env, "fetch", "profiles/minimal.toml", "--store", store)
	if !ok {
		t.Fatalf("fetch from the mirror:\n%s", tailText(out, 20))
	}
	// The image step's mke2fs is built from e2fsprogs: fetch must get its
	// source too, or an --offline image after fetch fails.
	if !strings.Contains(out, "fetched e2fsprogs-") {
		t.Errorf("fetch left out the image tools' sources:\n%s", tailText(out, 20))
	}
	// Without the mirror and with Debian off, the same fetch must fail:
	// the mirror was what served it.
	env[1] = "STALIX_MIRRORS="
	env[0] = "STALIX_SOURCES=" + filepath.Join(t.TempDir(), "sources")
	if out, ok := stalixEnv(t, bin, env, "fetch", "profiles/minimal.toml", "--store", store); ok {
		t.Fatalf("fetch with no mirror and Debian off succeeded:\n%s", out)
	}

	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) == 0 {
		t.Fatalf("mirror dir: %v", err)
	}
	victim := filepath.Join(dir, ents[0].Name())
	os.Chmod(victim, 0o644)
	if err := os.WriteFile(victim, []byte("not what the name says"), 0o444); err != nil {
		t.Fatal(err)
	}
	out, ok = stalixEnv(t, bin, nil, "mirror", dir, "profiles/minimal.toml")
	if ok || !strings.Contains(out, victim) || !strings.Contains(out, "append-only") {
		t.Fatalf("a mismatching file in the mirror was not refused:\n%s", tailText(out, 20))
	}
	if b, _ := os.ReadFile(victim); string(b) != "not what the name says" {
		t.Error("the mirror changed a file that was there")
	}
}
