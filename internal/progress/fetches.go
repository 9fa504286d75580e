package progress

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Fetches reports a pass of substitutions from binary caches, one line per
// node fetched, then a summary; misses are warned about by the caches and
// counted here. It is safe for concurrent use.
type Fetches struct {
	out   io.Writer
	total int
	began time.Time

	mu          sync.Mutex
	done, fetch int
	bytes       int64
}

// NewFetches starts reporting total substitutions.
func NewFetches(out io.Writer, total int) *Fetches {
	return &Fetches{out: out, total: total, began: time.Now()}
}

// Done reports one node fetched: "[2/9] substituted musl@x86_64 1.1 MiB 0.3s".
func (f *Fetches) Done(id string, bytes int64, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done++
	f.fetch++
	f.bytes += bytes
	fmt.Fprintf(f.out, "[%d/%d] substituted %s %s %s\n", f.done, f.total, id, Size(bytes), Duration(d))
}

// Missed counts one node that will be built instead.
func (f *Fetches) Missed(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done++
}

// Close prints the summary and returns how many nodes were substituted.
func (f *Fetches) Close() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	fmt.Fprintf(f.out, "[%d/%d] %d substituted (%s), %d to build in %s\n",
		f.done, f.total, f.fetch, Size(f.bytes), f.done-f.fetch, Duration(time.Since(f.began)))
	return f.fetch
}
