package report

import (
	"fmt"
	"io"
	"strings"

	"stalix.dev/stalix-build/internal/progress"
)

// Lines is the summary as plain lines, the same on a terminal and in a
// CI log:
//
//	wall 5m07s, CPU 9m40s (builds: user 6m43s, sys 1m51s; stalix-build 1m06s), utilisation 94% of 2 jobs
//	critical path 6m39s: musl@x86_64 45.0s > libcxx@x86_64 1m10s > cc@x86_64 1.0s > linux@x86_64 4m43s
func (s Summary) Lines() []string {
	jobs := fmt.Sprintf("%d jobs", s.Jobs)
	if s.Jobs == 1 {
		jobs = "1 job"
	}
	lines := []string{fmt.Sprintf("wall %s, CPU %s (builds: user %s, sys %s; stalix-build %s), utilisation %.0f%% of %s",
		progress.Duration(s.Wall), progress.Duration(s.CPU()), progress.Duration(s.User), progress.Duration(s.Sys),
		progress.Duration(s.Self), 100*s.Utilisation, jobs)}
	if len(s.Path) == 0 {
		return append(lines, "critical path: nothing ran")
	}
	steps := make([]string, len(s.Path))
	for i, n := range s.Path {
		steps[i] = n.ID + " " + progress.Duration(n.Time())
	}
	return append(lines, fmt.Sprintf("critical path %s: %s", progress.Duration(s.PathTime), strings.Join(steps, " > ")))
}

// WriteText writes Lines, one per line.
func (s Summary) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, strings.Join(s.Lines(), "\n")+"\n")
	return err
}
