package fetch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPublishAppendOnly(t *testing.T) {
	src := t.TempDir()
	var wants []Want
	for _, s := range []string{"one", "two", "three"} {
		b := []byte("source " + s)
		os.WriteFile(filepath.Join(src, sum(b)), b, 0o644)
		wants = append(wants, Want{Recipe: "r/" + s, File: s + ".tar", SHA256: sum(b)})
	}
	f := &Fetcher{Cache: t.TempDir(), Mirrors: []string{src}}
	dir := filepath.Join(t.TempDir(), "mirror")
	ctx := context.Background()

	res, err := f.Publish(ctx, dir, wants[:2])
	if err != nil || res.Copied != 2 || res.Present != 0 {
		t.Fatalf("first: %+v %v", res, err)
	}
	res, err = f.Publish(ctx, dir, wants)
	if err != nil || res.Copied != 1 || res.Present != 2 {
		t.Fatalf("second: %+v %v", res, err)
	}
	res, err = f.Publish(ctx, dir, wants)
	if err != nil || res.Copied != 0 || res.Present != 3 {
		t.Fatalf("third: %+v %v", res, err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		t.Errorf("mirror holds %d files (temporary ones left?), want 3", len(ents))
	}
	for _, w := range wants {
		fi, err := os.Stat(filepath.Join(dir, w.SHA256))
		if err != nil || fi.Mode().Perm() != 0o444 {
			t.Errorf("%s: %v %v", w.File, fi.Mode(), err)
		}
	}

	// A file that does not match its name is reported and left alone.
	bad := filepath.Join(dir, wants[0].SHA256)
	os.Chmod(bad, 0o644)
	os.WriteFile(bad, []byte("tampered"), 0o444)
	_, err = f.Publish(ctx, dir, wants)
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("tampered file: %v", err)
	}
	if b, _ := os.ReadFile(bad); string(b) != "tampered" {
		t.Error("Publish rewrote a file already in the mirror")
	}
}
