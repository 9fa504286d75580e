package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"stalix.dev/stalix-build/internal/atomicfile"
)

// Runs keeps the last keepRuns runs' directories; older ones go.
const keepRuns = 30

// The names inside a run directory, and the link to the newest one.
const (
	LogName  = "run.log"
	HTMLName = "report.html"
	lastName = "last"
)

// Dir is one run's directory: its log, then its report.html beside it.
type Dir struct {
	Path string
	Log  *os.File
}

// NewDir makes a directory for a run under root, named for its start
// time so names sort by age, and drops the oldest beyond keepRuns.
func NewDir(root string, began time.Time) (*Dir, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("run reports: %w", err)
	}
	name := began.UTC().Format("20060102T150405.000Z") + "-" + strconv.Itoa(os.Getpid())
	d := &Dir{Path: filepath.Join(root, name)}
	if err := os.Mkdir(d.Path, 0o755); err != nil {
		return nil, fmt.Errorf("run reports: %w", err)
	}
	log, err := os.Create(filepath.Join(d.Path, LogName))
	if err != nil {
		return nil, fmt.Errorf("run reports: %w", err)
	}
	d.Log = log
	// The lock says the run is alive until Finish is done: a long build's
	// directory must outlive the 30 short runs that may start meanwhile.
	if err := syscall.Flock(int(log.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		log.Close()
		return nil, fmt.Errorf("run reports: lock %s: %w", log.Name(), err)
	}
	prune(root, name)
	return d, nil
}

// prune removes the oldest run directories beyond keepRuns, never the
// current one nor one whose run still holds its lock. Errors are ignored:
// at worst an old report stays.
func prune(root, current string) {
	des, err := os.ReadDir(root)
	if err != nil {
		return
	}
	var names []string
	for _, de := range des {
		if de.IsDir() && de.Name() != current && !strings.HasPrefix(de.Name(), ".") {
			names = append(names, de.Name())
		}
	}
	slices.Sort(names)
	extra := len(names) - (keepRuns - 1)
	for _, n := range names {
		if extra <= 0 {
			return
		}
		if running(filepath.Join(root, n, LogName)) {
			continue
		}
		os.RemoveAll(filepath.Join(root, n))
		extra--
	}
}

// running says whether a run still holds its log's lock.
func running(log string) bool {
	f, err := os.Open(log)
	if err != nil {
		return false
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil
}

// Finish writes the summary to the log, report.html beside it, and makes
// this run the one Last names.
func (d *Dir) Finish(r *Run) (err error) {
	// Closing the log drops the lock, so it is closed last: until then a
	// prune by another run leaves this directory alone.
	defer func() {
		if cerr := d.Log.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: %w", d.Log.Name(), cerr)
		}
	}()
	if err := r.Summary().WriteText(d.Log); err != nil {
		return fmt.Errorf("%s: %w", d.Log.Name(), err)
	}
	html := filepath.Join(d.Path, HTMLName)
	if err := atomicfile.Write(html, r.WriteHTML); err != nil {
		return fmt.Errorf("%s: %w", html, err)
	}
	root, name := filepath.Split(d.Path)
	tmp := filepath.Join(root, ".last."+strconv.Itoa(os.Getpid()))
	os.Remove(tmp)
	if err := os.Symlink(name, tmp); err != nil {
		return fmt.Errorf("run reports: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(root, lastName)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("run reports: %w", err)
	}
	return nil
}

// Last is the report.html of the newest run that finished under root.
func Last(root string) (string, error) {
	name, err := os.Readlink(filepath.Join(root, lastName))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no build has written a report under %s yet: run stalix-build build (or image) first", root)
	}
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, name, HTMLName)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("the last report is gone: %w", err)
	}
	return p, nil
}
