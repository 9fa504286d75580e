package sched

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Jobserver is a GNU make jobserver: a named fifo holding j-1 tokens, shared
// by every build so that all `make` and `ninja` processes together run at most
// j jobs.
//
// Accounting: the scheduler owns one implicit slot, like a top-level make.
// The first running build uses it; every further concurrently running build
// first takes a token from the pool (Acquire) and gives it back when it ends
// (Release). Inside a build, make's (or ninja's) own implicit job is that
// slot, and each extra job runs on one more token from the same pool. So
// running builds + extra jobs <= 1 + (j-1) = j at every moment.
//
// Two clients, two forms of one pool. GNU make 4.3 (the seed's and ours)
// takes only inherited fds (--jobserver-auth=R,W: Files, MakeFlags) and
// fails on make 4.4's fifo form; ninja 1.13 takes only the fifo form
// (--jobserver-auth=fifo:PATH: Path, FifoMakeFlags) and ignores the fds.
// Both parse MAKEFLAGS with the last --jobserver-auth winning, so one
// MAKEFLAGS cannot serve both: builds get the fds form in MAKEFLAGS and the
// fifo's path apart. A named fifo gives both: the fds are two opens of it,
// and a path also survives process trees that close inherited fds (Python's
// subprocess does, so meson's own ninja calls would lose fds 3 and 4).
//
// Make 4.3 switches the read end to non-blocking mode, which would break a
// blocking reader sharing that open file description, so this process reads
// through its own open of the fifo.
type Jobserver struct {
	size int
	r, w *os.File
	// dir holds the fifo and nothing else; Close removes it.
	dir string
	// fifo is the pool's path; Acquire and Reconcile open it for their own
	// open file descriptions.
	fifo string

	mu   sync.Mutex
	held int // tokens taken through Acquire and not yet released
}

// token is what GNU make writes into its own jobserver pool.
const token = '+'

// New makes a jobserver for j parallel jobs (j >= 1). Its fifo lives in a
// private directory of its own under os.TempDir until Close.
func New(j int) (*Jobserver, error) {
	if j < 1 {
		return nil, fmt.Errorf("jobserver for %d jobs: -j must be at least 1", j)
	}
	dir, err := os.MkdirTemp("", "stalix-jobserver-")
	if err != nil {
		return nil, fmt.Errorf("jobserver: %w", err)
	}
	js := &Jobserver{size: j, dir: dir, fifo: filepath.Join(dir, "fifo")}
	if err := js.open(); err != nil {
		js.Close()
		return nil, err
	}
	if err := js.put(j - 1); err != nil {
		js.Close()
		return nil, err
	}
	return js, nil
}

// open makes the fifo and opens the ends children inherit.
func (js *Jobserver) open() error {
	if err := unix.Mkfifo(js.fifo, 0o600); err != nil {
		return fmt.Errorf("jobserver: mkfifo %s: %w", js.fifo, err)
	}
	// Opening a fifo's read end blocks until there is a writer, unless
	// non-blocking; the write end then opens at once, a reader being there.
	r, err := os.OpenFile(js.fifo, os.O_RDONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		return fmt.Errorf("jobserver: open %s: %w", js.fifo, err)
	}
	js.r = r
	w, err := os.OpenFile(js.fifo, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("jobserver: open %s: %w", js.fifo, err)
	}
	js.w = w
	// Fd puts both ends in blocking mode, which simple jobserver clients
	// expect.
	r.Fd()
	w.Fd()
	return nil
}

// Size is the j the jobserver was made for.
func (js *Jobserver) Size() int { return js.size }

// Path is the fifo on the host, for a ninja that runs outside a sandbox and
// for the sandbox to bind in; it exists until Close.
func (js *Jobserver) Path() string { return js.fifo }

// FifoMakeFlags is the MAKEFLAGS value for ninja 1.13 (or make 4.4), which
// open the pool by path: the fifo as the client sees it (inside a sandbox, the
// path it is bound at). Give it to ninja alone: make 4.3 rejects this form.
func (js *Jobserver) FifoMakeFlags(path string) string {
	return fmt.Sprintf("-j%d --jobserver-auth=fifo:%s", js.size, path)
}

// Files are the fifo's read and write ends, to pass as the first two
// exec.Cmd.ExtraFiles so the child sees them as fds 3 and 4.
func (js *Jobserver) Files() []*os.File { return []*os.File{js.r, js.w} }

// MakeFlags is the MAKEFLAGS value for a child that got Files as fds 3 and 4.
// Builds must run plain `make` (no -jN of their own: GNU make would then
// leave the shared pool and warn "-jN forced in submake").
func (js *Jobserver) MakeFlags() string { return js.MakeFlagsFor(3, 4) }

// MakeFlagsFor is MakeFlags for a child that sees the read and write ends
// as fds rfd and wfd.
func (js *Jobserver) MakeFlagsFor(rfd, wfd int) string {
	return fmt.Sprintf("-j%d --jobserver-auth=%d,%d", js.size, rfd, wfd)
}

// Acquire takes one token, waiting until one is free or ctx is done.
func (js *Jobserver) Acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// A description of our own, non-blocking and owned by Go's poller, so
	// the read can be interrupted and make's fcntl on the children's
	// description does not affect it.
	f, err := os.OpenFile(js.fifo, os.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("jobserver: open %s: %w", js.fifo, err)
	}
	defer f.Close()
	stop := context.AfterFunc(ctx, func() { f.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	var b [1]byte
	for {
		n, err := f.Read(b[:])
		if n == 1 {
			js.mu.Lock()
			js.held++
			js.mu.Unlock()
			if ctx.Err() != nil {
				js.Release()
				return ctx.Err()
			}
			return nil
		}
		if errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return fmt.Errorf("jobserver: read token: %w", err)
		}
	}
}

// Release gives back a token taken by Acquire.
func (js *Jobserver) Release() error {
	js.mu.Lock()
	if js.held == 0 {
		js.mu.Unlock()
		return errors.New("jobserver: Release without Acquire")
	}
	js.held--
	js.mu.Unlock()
	return js.put(1)
}

func (js *Jobserver) put(n int) error {
	if n <= 0 {
		return nil
	}
	buf := make([]byte, n)
	for i := range buf {
		buf[i] = token
	}
	if _, err := js.w.Write(buf); err != nil {
		return fmt.Errorf("jobserver: write %d tokens: %w", n, err)
	}
	return nil
}

// Reconcile restores the pool to j-1 tokens minus those held through
// Acquire. Call it only while no child process can hold a token (no build
// running): a build killed mid-job (SIGKILL reaches make before it returns
// its tokens) loses them, and the pool would otherwise shrink for the rest of
// the run. It returns how many tokens it added (negative: removed).
func (js *Jobserver) Reconcile() (int, error) {
	js.mu.Lock()
	defer js.mu.Unlock()
	avail, err := js.Available()
	if err != nil {
		return 0, err
	}
	missing := js.size - 1 - js.held - avail
	switch {
	case missing > 0:
		return missing, js.put(missing)
	case missing < 0:
		// Someone wrote tokens it never took; drain them through our own
		// description so the pool does not grow beyond j.
		fd, err := unix.Open(js.fifo, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != nil {
			return 0, fmt.Errorf("jobserver: open %s: %w", js.fifo, err)
		}
		defer unix.Close(fd)
		buf := make([]byte, -missing)
		n, err := unix.Read(fd, buf)
		if err != nil && !errors.Is(err, unix.EAGAIN) {
			return 0, fmt.Errorf("jobserver: drain tokens: %w", err)
		}
		return -max(n, 0), nil
	}
	return 0, nil
}

// Available is the number of tokens in the pool right now.
func (js *Jobserver) Available() (int, error) {
	// TIOCINQ is Linux's FIONREAD: bytes waiting in the fifo.
	n, err := unix.IoctlGetInt(int(js.r.Fd()), unix.TIOCINQ)
	if err != nil {
		return 0, fmt.Errorf("jobserver: count tokens: %w", err)
	}
	return n, nil
}

// Close closes both ends and removes the fifo; children keep their open
// copies, but nothing new can join the pool.
func (js *Jobserver) Close() error {
	var errs []error
	for _, f := range []*os.File{js.r, js.w} {
		if f != nil {
			errs = append(errs, f.Close())
		}
	}
	return errors.Join(append(errs, os.RemoveAll(js.dir))...)
}
