package sched_test

import (
	"testing"
	"time"

	"stalix.dev/stalix-build/internal/sched"
	"stalix.dev/stalix-build/internal/sched/schedbench"
)

// BenchmarkSchedule runs the 200-node generated DAG with j=2 and reports
// the figures `make bench` prints: wall time against the critical path and
// sum/j, the scheduler's overhead and the worker utilisation.
func BenchmarkSchedule(b *testing.B) {
	plan, err := sched.NewPlan(schedbench.Generate(1, 200, 10*time.Millisecond, 100*time.Millisecond), 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name string
		js   bool
	}{{"plain", false}, {"jobserver", true}} {
		b.Run(mode.name, func(b *testing.B) {
			var f schedbench.Figures
			for b.Loop() {
				if f, err = schedbench.Measure(plan, 2, mode.js); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(f.Wall.Seconds(), "wall-s")
			b.ReportMetric(f.CriticalPath.Seconds(), "cp-s")
			b.ReportMetric(f.PerJob.Seconds(), "sum/j-s")
			b.ReportMetric(f.Overhead(), "overhead-%")
			b.ReportMetric(f.Utilisation(), "util-%")
		})
	}
}
