// Command bench runs the scheduler on a generated DAG whose nodes sleep for
// known durations and prints wall time against the critical path and sum/j,
// the scheduler's overhead and the worker utilisation.
//
//	go run ./internal/sched/bench [-n 200] [-j 2] [-seed 1] [-check]
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"stalix.dev/stalix-build/internal/sched"
	"stalix.dev/stalix-build/internal/sched/schedbench"
)

func main() {
	n := flag.Int("n", 200, "number of nodes")
	j := flag.Int("j", 2, "parallel jobs")
	seed := flag.Uint64("seed", 1, "seed of the generated graph")
	minD := flag.Duration("min", 10*time.Millisecond, "shortest node")
	maxD := flag.Duration("max", 100*time.Millisecond, "longest node")
	maxOverhead := flag.Float64("max-overhead", 3, "target: wall time at most this many percent above the ideal schedule of the measured durations")
	minUtil := flag.Float64("min-util", 90, "target: busy worker time at least this many percent of wall*j")
	check := flag.Bool("check", false, "exit 1 when a target is missed")
	flag.Parse()
	if *n < 1 || *j < 1 || *minD <= 0 || *maxD < *minD {
		fmt.Fprintln(os.Stderr, "bench: need -n >= 1, -j >= 1 and 0 < -min <= -max")
		os.Exit(2)
	}
	plan, err := sched.NewPlan(schedbench.Generate(*seed, *n, *minD, *maxD), 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	cp, perJob := plan.CriticalPath(), plan.Total()/time.Duration(*j)
	fmt.Printf("sched bench: %d nodes (seed %d), each sleeping %v-%v, j=%d\n", *n, *seed, *minD, *maxD, *j)
	fmt.Printf("  critical path   %8.3fs\n", cp.Seconds())
	fmt.Printf("  sum/j           %8.3fs\n", perJob.Seconds())
	fmt.Printf("  ideal schedule  %8.3fs  (same policy, zero overhead, simulated)\n",
		schedbench.Simulate(plan, *j, plan.Estimate).Seconds())
	fmt.Println("overrun: how much longer the sleeps took than asked (timer latency on a loaded host);")
	fmt.Println("overhead: wall against the policy replayed with the durations the sleeps really took.")
	fmt.Printf("%-10s %9s %8s %8s %9s %9s %12s\n", "mode", "wall", "/CP", "/sum/j", "overrun", "overhead", "utilisation")
	ok := true
	for _, withJS := range []bool{false, true} {
		f, err := schedbench.Measure(plan, *j, withJS)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		mode := "plain"
		if withJS {
			mode = "jobserver"
		}
		fmt.Printf("%-10s %8.3fs %7.3fx %7.3fx %8.1f%% %8.1f%% %11.1f%%\n", mode, f.Wall.Seconds(),
			f.Wall.Seconds()/cp.Seconds(), f.Wall.Seconds()/perJob.Seconds(),
			f.Overrun(plan.Total()), f.Overhead(), f.Utilisation())
		ok = ok && f.Overhead() <= *maxOverhead && f.Utilisation() >= *minUtil
	}
	verdict := "met"
	if !ok {
		verdict = "MISSED"
	}
	fmt.Printf("targets: overhead <= %.0f%%, utilisation >= %.0f%%: %s\n", *maxOverhead, *minUtil, verdict)
	if *check && !ok {
		os.Exit(1)
	}
}
