package session

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"stalix.dev/stalix-build/internal/project"
)

// Open is where every verb's PROFILE|PKG argument is checked: each way of
// asking for the wrong thing is an ArgError (the command line's fault, exit
// 2), a name that is nothing is a plain error, and a right one plans.
func TestOpen(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	profile := Takes{N: 1, Want: "one PROFILE", Profile: true}
	for _, tc := range []struct {
		name    string
		args    []string
		targets []string
		takes   Takes
		argErr  string // an ArgError with this text
		err     string // another error containing this
		planned []string
	}{
		{name: "too few", args: nil, takes: profile, argErr: "want one PROFILE"},
		{name: "too many", args: []string{"minimal", "busybox"}, takes: profile, argErr: "want one PROFILE"},
		{name: "package for profile", args: []string{"busybox"}, takes: profile, argErr: "busybox is a package; this command wants a profile"},
		{name: "profile for package", args: []string{"minimal"}, takes: Takes{N: 1, Want: "one PKG", Pkg: true}, argErr: "want a package, not a profile"},
		{name: "two targets for one", args: []string{"minimal"}, targets: []string{"x86_64", "aarch64"},
			takes: Takes{N: 1, Want: "one PROFILE", Profile: true, One: true}, argErr: "one target at a time: give one --target, or none for the profile's first"},
		{name: "nothing of that name", args: []string{"no-such-thing"}, takes: Takes{N: 1, Want: "one PROFILE or PKG"}, err: "no-such-thing"},
		{name: "one target: the profile's first", args: []string{"minimal"}, takes: Takes{N: 1, Want: "one PROFILE", Profile: true, One: true},
			planned: []string{"x86_64"}},
		{name: "every target", args: []string{"minimal"}, takes: profile, planned: []string{"x86_64", "aarch64"}},
		{name: "a package for a target", args: []string{"busybox"}, targets: []string{"aarch64"}, takes: Takes{N: 1, Want: "one PKG", Pkg: true},
			planned: []string{"aarch64"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{Project: project.Options{Root: root, Dir: root}, Store: t.TempDir(), Targets: tc.targets}
			ss, err := Open(o, tc.args, tc.takes)
			var ae *ArgError
			switch {
			case tc.argErr != "":
				if !errors.As(err, &ae) || ae.Msg != tc.argErr {
					t.Fatalf("err = %v, want the ArgError %q", err, tc.argErr)
				}
				return
			case tc.err != "":
				if err == nil || errors.As(err, &ae) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want a plain error naming %q", err, tc.err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			defer ss.Close()
			if !reflect.DeepEqual(ss.Plan.Targets, tc.planned) {
				t.Errorf("planned %v, want %v", ss.Plan.Targets, tc.planned)
			}
			if len(ss.Wanted()) == 0 {
				t.Error("nothing wanted")
			}
		})
	}
}
