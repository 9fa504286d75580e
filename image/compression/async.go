package compression

import "io"

const (
	chunkSize = 1 << 20
	buffers   = 4 // one being filled, two queued, one being compressed
)

// async hands full chunks to a goroutine that owns the encoder. Chunks are recycled through a
// small pool so memory stays bounded at a few MiB.
type async struct {
	enc    io.WriteCloser
	closed bool
	buf    []byte
	work   chan []byte
	free   chan []byte
	done   chan error
	err    error
}

func newAsync(enc io.WriteCloser) *async {
	a := &async{
		enc:  enc,
		buf:  make([]byte, 0, chunkSize),
		work: make(chan []byte, 2),
		free: make(chan []byte, buffers), // room for every buffer, so run never blocks returning one
		done: make(chan error, 1),
	}
	for i := 0; i < buffers-1; i++ {
		a.free <- make([]byte, 0, chunkSize)
	}
	go a.run(a.work)
	return a
}

func (a *async) run(work <-chan []byte) {
	var err error
	for b := range work {
		if err == nil {
			_, err = a.enc.Write(b)
		}
		a.free <- b[:0]
	}
	if cerr := a.enc.Close(); err == nil {
		err = cerr
	}
	a.done <- err
}

func (a *async) Write(p []byte) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	n := len(p)
	for len(p) > 0 {
		room := chunkSize - len(a.buf)
		if room > len(p) {
			room = len(p)
		}
		a.buf = append(a.buf, p[:room]...)
		p = p[room:]
		if len(a.buf) == chunkSize {
			a.work <- a.buf
			a.buf = <-a.free
		}
	}
	return n, nil
}

// ReadFrom lets io.Copy fill chunks directly from a file without an extra buffer.
func (a *async) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	for {
		if a.err != nil {
			return total, a.err
		}
		n, err := r.Read(a.buf[len(a.buf):chunkSize])
		a.buf = a.buf[:len(a.buf)+n]
		total += int64(n)
		if len(a.buf) == chunkSize {
			a.work <- a.buf
			a.buf = <-a.free
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

func (a *async) Close() error {
	if a.closed {
		return a.err
	}
	a.closed = true
	if len(a.buf) > 0 {
		a.work <- a.buf
	}
	close(a.work)
	err := <-a.done
	if a.err == nil {
		a.err = err
	}
	return err
}
