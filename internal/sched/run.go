package sched

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"
)

// ErrStopped marks the error of a build that was running when the run
// stopped (see Observer.Finish).
var ErrStopped = errors.New("stopped because the run was stopping")

// BuildError lists the nodes whose builds failed.
type BuildError struct {
	Failed []Failure
}

func (e *BuildError) Error() string {
	ids := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		ids[i] = f.ID
	}
	if len(e.Failed) == 1 {
		return fmt.Sprintf("build of %s failed: %v", ids[0], e.Failed[0].Err)
	}
	return fmt.Sprintf("%d builds failed: %s", len(ids), strings.Join(ids, ", "))
}

func (e *BuildError) Unwrap() []error {
	errs := make([]error, len(e.Failed))
	for i, f := range e.Failed {
		errs[i] = f.Err
	}
	return errs
}

// Run validates nodes into a Plan and runs it; see RunPlan.
func Run(ctx context.Context, nodes []Node, o Options, build BuildFunc) (Result, error) {
	p, err := NewPlan(nodes, o.DefaultEstimate)
	if err != nil {
		return Result{}, err
	}
	return RunPlan(ctx, p, o, build)
}

type nodeState uint8

const (
	pending nodeState = iota
	queued
	running
	built
	failed
	stopped
	skipped
)

type slot uint8

const (
	slotPlain    slot = iota // no jobserver: Jobs bounds the running builds
	slotImplicit             // the scheduler's own jobserver slot
	slotToken                // a token taken from the jobserver pipe
)

type finish struct {
	i    int
	err  error
	d    time.Duration
	slot slot
}

type nopObserver struct{}

func (nopObserver) Start(string)                        {}
func (nopObserver) Finish(string, error, time.Duration) {}
func (nopObserver) Skip(string, string)                 {}

// RunPlan builds every node of p, each after its dependencies, at most
// o.Jobs at once, the ready node with the longest chain first.
//
// With o.Jobserver, a build may start only with a slot: the scheduler's one
// implicit slot or a token acquired from the jobserver, held until the build
// returns (see Jobserver for why this keeps all make jobs within j). A
// Jobserver serves one run at a time.
//
// It returns a *CycleError (from Run) before anything runs, a *BuildError
// when builds failed, or ctx's error when ctx was cancelled.
func RunPlan(ctx context.Context, p *Plan, o Options, build BuildFunc) (Result, error) {
	js := o.Jobserver
	jobs := o.Jobs
	if jobs < 1 {
		jobs = runtime.NumCPU()
		if js != nil {
			jobs = js.Size()
		}
	}
	if js != nil {
		jobs = min(jobs, js.Size())
		// No build runs yet, so tokens lost by an earlier run come back.
		if _, err := js.Reconcile(); err != nil {
			return Result{}, err
		}
	}
	var obs Observer = nopObserver{}
	if o.Observer != nil {
		obs = o.Observer
	}
	r := &run{
		p: p, obs: obs, js: js, jobs: jobs, keepGoing: o.KeepGoing, build: build,
		state:        make([]nodeState, p.Len()),
		waiting:      make([]int, p.Len()),
		cause:        make([]string, p.Len()),
		ready:        &readyQueue{chain: make([]int64, p.Len())},
		done:         make(chan finish),
		implicitFree: js != nil,
	}
	for i := range p.Len() {
		r.ready.chain[i] = int64(p.chain[i])
		r.waiting[i] = len(p.deps[i])
		if r.waiting[i] == 0 {
			r.state[i] = queued
			r.ready.push(i)
		}
	}
	t0 := time.Now()
	var cancel context.CancelFunc
	r.ctx, cancel = context.WithCancel(ctx)
	defer cancel()
	r.cancel = cancel
	r.parent = ctx
	r.loop(ctx)
	if js != nil {
		// Every build has returned, so tokens that killed builds took with
		// them can be restored for whoever uses the jobserver next.
		if _, err := js.Reconcile(); err != nil && r.fatal == nil {
			r.fatal = err
		}
	}
	return r.result(time.Since(t0))
}

// run is the state of one RunPlan; only the loop goroutine touches it.
type run struct {
	p         *Plan
	obs       Observer
	js        *Jobserver
	jobs      int
	keepGoing bool
	build     BuildFunc

	parent context.Context
	ctx    context.Context // parent, also cancelled when the run stops
	cancel context.CancelFunc

	state   []nodeState
	waiting []int    // dependencies not built yet
	cause   []string // for skipped nodes: the failed node they need
	ready   *readyQueue
	done    chan finish
	running int

	implicitFree bool
	acq          chan error // result of the Acquire in flight, if any
	acqCancel    context.CancelFunc

	errs []Failure

	stopping    bool
	interrupted error // ctx's error, if it ended the run
	fatal       error // the jobserver broke
}

func (r *run) loop(ctx context.Context) {
	ctxDone := ctx.Done()
	for {
		r.fill()
		if r.running == 0 && (r.stopping || r.ready.Len() == 0) {
			if r.acq == nil {
				return
			}
			r.acqCancel()
		}
		select {
		case f := <-r.done:
			r.finished(f)
		case err := <-r.acq:
			r.acquired(err)
		case <-ctxDone:
			ctxDone = nil
			if r.interrupted == nil {
				r.interrupted = ctx.Err()
			}
			r.stop()
		}
	}
}

// canStart reports whether a freed or new slot should start a build now.
func (r *run) canStart() bool {
	return !r.stopping && r.ready.Len() > 0 && r.running < r.jobs && r.ctx.Err() == nil
}

func (r *run) fill() {
	for r.canStart() {
		switch {
		case r.js == nil:
			r.launch(slotPlain)
		case r.implicitFree:
			r.implicitFree = false
			r.launch(slotImplicit)
		default:
			if r.acq == nil {
				actx, cancel := context.WithCancel(r.ctx)
				ch := make(chan error, 1)
				go func() { ch <- r.js.Acquire(actx) }()
				r.acq, r.acqCancel = ch, cancel
			}
			return
		}
	}
}

func (r *run) launch(s slot) {
	i := r.ready.pop()
	r.state[i] = running
	r.running++
	id := r.p.ids[i]
	r.obs.Start(id)
	go func() {
		t := time.Now()
		err := call(r.ctx, r.build, id)
		r.done <- finish{i: i, err: err, d: time.Since(t), slot: s}
	}()
}

// call runs one build, turning a panic into that build's failure rather
// than a crash of the whole run.
func call(ctx context.Context, build BuildFunc, id string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("build of %s panicked: %v", id, v)
		}
	}()
	return build(ctx, id)
}

func (r *run) acquired(err error) {
	stale := r.ctx.Err() != nil
	r.acqCancel()
	r.acq, r.acqCancel = nil, nil
	switch {
	case err == nil && r.canStart():
		r.launch(slotToken)
	case err == nil:
		r.releaseToken()
	case !stale && !errors.Is(err, context.Canceled):
		r.fail(err)
	}
}

func (r *run) releaseToken() {
	if err := r.js.Release(); err != nil {
		r.fail(err)
	}
}

// fail stops the run for a reason that is not a build's failure.
func (r *run) fail(err error) {
	if r.fatal == nil {
		r.fatal = err
	}
	r.stop()
}

func (r *run) stop() {
	r.stopping = true
	r.cancel()
}

func (r *run) finished(f finish) {
	r.running--
	if err := r.parent.Err(); err != nil && r.interrupted == nil {
		// The build may have seen the cancellation before this loop did.
		r.interrupted = err
		r.stop()
	}
	id := r.p.ids[f.i]
	switch {
	case f.err == nil:
		r.state[f.i] = built
		r.obs.Finish(id, nil, f.d)
		for _, d := range r.p.dependents[f.i] {
			if r.waiting[d]--; r.waiting[d] == 0 && r.state[d] == pending {
				r.state[d] = queued
				r.ready.push(d)
			}
		}
	case r.stopping:
		r.state[f.i] = stopped
		r.obs.Finish(id, fmt.Errorf("%w: %w", ErrStopped, f.err), f.d)
	default:
		r.state[f.i] = failed
		r.errs = append(r.errs, Failure{ID: id, Err: f.err, Elapsed: f.d})
		r.obs.Finish(id, f.err, f.d)
		r.skipDependents(f.i)
		if !r.keepGoing {
			r.stop()
		}
	}
	switch f.slot {
	case slotImplicit:
		r.implicitFree = true
	case slotToken:
		// Hand the token straight to the next build rather than through
		// the pipe, where a make could take it first.
		if r.canStart() && !r.implicitFree {
			r.launch(slotToken)
		} else {
			r.releaseToken()
		}
	}
	if r.js != nil && r.running == 0 && r.acq == nil && !r.stopping {
		// Nothing runs: a build killed while its make held tokens cannot
		// keep them, so restore the pool before the next build starts.
		if _, err := r.js.Reconcile(); err != nil {
			r.fail(err)
		}
	}
}

// skipDependents marks everything that needs node i as skipped, in ID
// order so observers see the same sequence every time.
func (r *run) skipDependents(i int) {
	var out []int
	stack := []int{i}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range r.p.dependents[n] {
			if r.state[d] == pending {
				r.state[d] = skipped
				r.cause[d] = r.p.ids[i]
				out = append(out, d)
				stack = append(stack, d)
			}
		}
	}
	slices.Sort(out)
	for _, d := range out {
		r.obs.Skip(r.p.ids[d], r.cause[d])
	}
}

func (r *run) result(elapsed time.Duration) (Result, error) {
	res := Result{Elapsed: elapsed}
	for i, st := range r.state {
		id := r.p.ids[i]
		switch st {
		case pending, queued:
			r.obs.Skip(id, "")
			res.Skipped = append(res.Skipped, Skip{ID: id})
		case skipped:
			res.Skipped = append(res.Skipped, Skip{ID: id, Because: r.cause[i]})
		case built:
			res.Built = append(res.Built, id)
		case stopped:
			res.Stopped = append(res.Stopped, id)
		}
	}
	// Indexes are in ID order, so the lists above are sorted; failures are
	// sorted here.
	res.Failed = slices.SortedFunc(slices.Values(r.errs), func(a, b Failure) int { return cmpString(a.ID, b.ID) })
	switch {
	case r.fatal != nil:
		return res, r.fatal
	case len(res.Failed) > 0:
		return res, &BuildError{Failed: res.Failed}
	case r.interrupted != nil && len(res.Built) < len(r.state):
		return res, fmt.Errorf("build interrupted: %w", r.interrupted)
	}
	return res, nil
}
