package report

import (
	"strings"
	"testing"
	"time"
)

const s = time.Second

// twoSlots: on 2 slots, a (40s) then d (60s, needs a) in one lane; b (20s)
// then c (30s, needs b) in the other; e and f were in the store. The
// critical path is a > d, 100s, the whole wall time.
func twoSlots() *Run {
	return &Run{
		Title: "build test", Began: time.Unix(1686355200, 0), Wall: 100 * s, Jobs: 2,
		Nodes: []Node{
			{ID: "a", Status: Built, Start: 0, End: 40 * s, User: 60 * s, Sys: 10 * s, Size: 3 << 20},
			{ID: "b", Status: Built, Start: 0, End: 20 * s, User: 15 * s, Sys: 5 * s, Size: 1 << 10},
			{ID: "c", Deps: []string{"b", "e"}, Status: Substituted, Start: 20 * s, End: 50 * s, User: 2 * s},
			{ID: "d", Deps: []string{"a", "f"}, Status: Built, Start: 40 * s, End: 100 * s, User: 50 * s, Sys: 8 * s, Size: 5 << 30},
			{ID: "e", Status: InStore, Size: 10},
			{ID: "f", Status: InStore},
		},
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name  string
		run   *Run
		lines []string
	}{
		{"two slots", twoSlots(), []string{
			"wall 1m40s, CPU 2m30s (builds: user 2m07s, sys 23.0s; stalix-build 0.0s), utilisation 75% of 2 jobs",
			"critical path 1m40s: a 40.0s > d 1m00s",
		}},
		// stalix-build's own CPU (unpacking in Go) counts: the cores did it for the build.
		{"two slots and unpacking", func() *Run { r := twoSlots(); r.Self = 20 * s; return r }(), []string{
			"wall 1m40s, CPU 2m50s (builds: user 2m07s, sys 23.0s; stalix-build 20.0s), utilisation 85% of 2 jobs",
			"critical path 1m40s: a 40.0s > d 1m00s",
		}},
		{"a chain through a failure", &Run{Wall: 10 * s, Jobs: 1, Nodes: []Node{
			{ID: "x", Status: Built, End: 4 * s, User: 4 * s},
			{ID: "y", Deps: []string{"x"}, Status: Failed, Start: 4 * s, End: 10 * s, User: 5 * s},
			{ID: "z", Deps: []string{"y"}, Status: Skipped},
		}}, []string{
			"wall 10.0s, CPU 9.0s (builds: user 9.0s, sys 0.0s; stalix-build 0.0s), utilisation 90% of 1 job",
			"critical path 10.0s: x 4.0s > y 6.0s",
		}},
		{"nothing ran", &Run{Wall: 0, Jobs: 4, Nodes: []Node{{ID: "x", Status: InStore}}}, []string{
			"wall 0.0s, CPU 0.0s (builds: user 0.0s, sys 0.0s; stalix-build 0.0s), utilisation 0% of 4 jobs",
			"critical path: nothing ran",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.run.Summary().Lines()
			if strings.Join(got, "\n") != strings.Join(tc.lines, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.lines, "\n"))
			}
		})
	}
}

func TestLanes(t *testing.T) {
	tests := []struct {
		name  string
		nodes []Node
		jobs  int
		lanes string // lane of each node in order
		n     int
	}{
		{"two slots", twoSlots().Nodes, 2, "0 1 1 0", 2},
		{"idle slots still drawn", []Node{{ID: "a", Status: Built, End: s}}, 4, "0", 4},
		{"a node ending as another starts reuses its slot", []Node{
			{ID: "a", Status: Built, End: s}, {ID: "b", Status: Built, Start: s, End: 2 * s},
		}, 2, "0 0", 2},
		{"overlap beyond -j gets a lane of its own", []Node{
			{ID: "a", Status: Built, End: 2 * s}, {ID: "b", Status: Built, End: 2 * s},
		}, 1, "0 1", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lane, n := assignLanes(tc.nodes, tc.jobs)
			var got []string
			for _, nd := range tc.nodes {
				if nd.Status.ran() {
					got = append(got, string(rune('0'+lane[nd.ID])))
				}
			}
			if strings.Join(got, " ") != tc.lanes || n != tc.n {
				t.Errorf("lanes %s of %d, want %s of %d", strings.Join(got, " "), n, tc.lanes, tc.n)
			}
		})
	}
}

func TestHTMLTable(t *testing.T) {
	var b strings.Builder
	if err := twoSlots().WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		"<td>a</td><td>built</td>", "<td>c</td><td>substituted</td>", "<td>e</td><td>in store</td>",
		"<td class=\"num\">5.00 GiB</td><td>yes</td>", "began 2023-06-10T00:00:00Z",
		"critical path 1m40s: a 40.0s &gt; d 1m00s",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
