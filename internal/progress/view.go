// Package progress shows a scheduler run: on a terminal a live view of the
// running nodes with their elapsed time, done/total and an ETA from past
// build times; elsewhere (CI, a pipe) one plain line per start and finish.
package progress

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"stalix.dev/stalix-build/internal/sched"
)

// Options tunes a View.
type Options struct {
	// Jobs is the scheduler's -j, for the ETA; below 1 means 1.
	Jobs int
	// Width and Height are the terminal's size for the live view; zero asks
	// the terminal (New) or assumes 80x24.
	Width, Height int
	// Interval is how often the live view is redrawn; zero means 250ms.
	// Events never redraw by themselves, so a burst of them costs nothing.
	Interval time.Duration
}

// View is a sched.Observer that reports progress; Close it when the run
// ends.
type View struct {
	out  io.Writer
	plan *sched.Plan
	o    Options
	live bool
	tty  int // fd to ask for the terminal size, or -1
	now  func() time.Time

	mu       sync.Mutex
	began    time.Time
	started  map[string]time.Time
	order    []string // running IDs in start order
	finished map[string]bool
	done     int
	counts   counts
	pending  []string // lines to print above the live block
	drawn    int      // lines of the live block on screen
	closed   bool

	stop chan struct{}
	wg   sync.WaitGroup
}

type counts struct{ built, failed, stopped, skipped, substituted int }

// Substituted tells the view how many nodes came from binary caches before
// this run, so its lines count them apart from the ones built.
func (v *View) Substituted(n int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.counts.substituted = n
}

// substitutedText is the count's part of a status or summary line.
func (c counts) substitutedText() string {
	if c.substituted == 0 {
		return ""
	}
	return fmt.Sprintf(", %d substituted", c.substituted)
}

var _ sched.Observer = (*View)(nil)

// New picks the live view when out is a terminal and plain lines otherwise.
func New(out *os.File, plan *sched.Plan, o Options) *View {
	if fd := int(out.Fd()); term.IsTerminal(fd) {
		v := newView(out, plan, o, true)
		v.tty = fd
		v.start()
		return v
	}
	return NewPlain(out, plan, o)
}

// NewPlain writes one line per event: "[3/12] start musl-1.2.3",
// "[4/12] done musl-1.2.3 28.1s", "[5/12] FAILED zlib-1.3 2.0s: exit
// status 2". The count is the number of nodes finished so far.
func NewPlain(out io.Writer, plan *sched.Plan, o Options) *View {
	return newView(out, plan, o, false)
}

// NewLive redraws a block of running nodes and a status line on out every
// Interval, with finished nodes scrolling above it.
func NewLive(out io.Writer, plan *sched.Plan, o Options) *View {
	v := newView(out, plan, o, true)
	v.start()
	return v
}

func newView(out io.Writer, plan *sched.Plan, o Options, live bool) *View {
	o.Jobs = max(o.Jobs, 1)
	if o.Interval <= 0 {
		o.Interval = 250 * time.Millisecond
	}
	return &View{
		out: out, plan: plan, o: o, live: live, tty: -1, now: time.Now,
		began:    time.Now(),
		started:  map[string]time.Time{},
		finished: map[string]bool{},
		stop:     make(chan struct{}),
	}
}

func (v *View) start() {
	v.wg.Go(func() {
		t := time.NewTicker(v.o.Interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				v.mu.Lock()
				v.redraw()
				v.mu.Unlock()
			case <-v.stop:
				return
			}
		}
	})
}

// Start implements sched.Observer.
func (v *View) Start(id string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.started[id] = v.now()
	v.order = append(v.order, id)
	if !v.live {
		v.emit(fmt.Sprintf("[%d/%d] start %s", v.done, v.plan.Len(), id))
	}
}

// Finish implements sched.Observer.
func (v *View) Finish(id string, err error, d time.Duration) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.markFinished(id)
	var line string
	switch {
	case err == nil:
		v.counts.built++
		line = fmt.Sprintf("[%d/%d] done %s %s", v.done, v.plan.Len(), id, Duration(d))
	case errors.Is(err, sched.ErrStopped):
		v.counts.stopped++
		line = fmt.Sprintf("[%d/%d] stopped %s %s", v.done, v.plan.Len(), id, Duration(d))
	default:
		v.counts.failed++
		line = fmt.Sprintf("[%d/%d] FAILED %s %s: %v", v.done, v.plan.Len(), id, Duration(d), err)
	}
	v.emit(line)
}

// Skip implements sched.Observer.
func (v *View) Skip(id, because string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.markFinished(id)
	v.counts.skipped++
	why := "the run stopped"
	if because != "" {
		why = "needs " + because + ", which failed"
	}
	v.emit(fmt.Sprintf("[%d/%d] skipped %s (%s)", v.done, v.plan.Len(), id, why))
}

func (v *View) markFinished(id string) {
	v.finished[id] = true
	v.done++
	if _, ok := v.started[id]; ok {
		delete(v.started, id)
		for k, r := range v.order {
			if r == id {
				v.order = append(v.order[:k], v.order[k+1:]...)
				break
			}
		}
	}
}

// emit prints a line now (plain) or with the next frame (live).
func (v *View) emit(line string) {
	if v.live {
		v.pending = append(v.pending, line)
		return
	}
	fmt.Fprintln(v.out, line)
}

// Close stops the live view and prints a summary line.
func (v *View) Close() error {
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return nil
	}
	v.closed = true
	v.mu.Unlock()
	close(v.stop)
	v.wg.Wait()
	v.mu.Lock()
	defer v.mu.Unlock()
	var b strings.Builder
	if v.live {
		v.erase(&b)
		for _, l := range v.pending {
			b.WriteString(l + "\n")
		}
		v.pending = nil
	}
	c := v.counts
	fmt.Fprintf(&b, "[%d/%d] %d built, %d failed, %d stopped, %d skipped%s in %s\n",
		v.done, v.plan.Len(), c.built, c.failed, c.stopped, c.skipped, c.substitutedText(), Duration(v.now().Sub(v.began)))
	_, err := io.WriteString(v.out, b.String())
	return err
}
