package plan

import "testing"

// A cross build may take its own recipe, built for the build host, as a
// tool (ncurses runs the host's tic to compile its terminfo database);
// the build host's node does not depend on itself.
func TestOwnHostBuildAsTool(t *testing.T) {
	cfg := shipped(t)
	for _, tc := range []struct {
		arch string
		want bool
	}{
		{"aarch64", true},
		{Host, false},
	} {
		pl, err := ForPackages(cfg, tc.arch, "ncurses")
		if err != nil {
			t.Fatal(err)
		}
		n := pl.Find("ncurses@" + tc.arch)
		if n == nil {
			t.Fatalf("no ncurses@%s in %v", tc.arch, pl.Nodes)
		}
		var host *Node
		for _, d := range n.Deps {
			if d.Name == "ncurses" {
				host = d
			}
		}
		if got := host != nil; got != tc.want {
			t.Fatalf("ncurses@%s depends on an ncurses: %v, want %v (deps %v)", tc.arch, got, tc.want, depIDs(n))
		}
		if host != nil && host.Target.Arch != Host {
			t.Errorf("ncurses@%s's tool is built for %s, want the build host %s", tc.arch, host.Target.Arch, Host)
		}
	}
}
