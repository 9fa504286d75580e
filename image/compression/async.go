package compression

import "io"

const (
	chunkSize = 1 << 20
	buffers   = 4 // one being filled, two queued, one being compressed
)

// async hands full chunks to a goroutine that owns the encoder. Chunks are recycled through a
// small pool so memory stays bounded at a few MiB. The first error of the encoder (and so of the
// output under it) ends the stream: the goroutine stops encoding and the next Write returns it,
// so a failed output does not make the caller read and archive the rest of its input.
type async struct {
	enc    io.WriteCloser
	closed bool
	buf    []byte
	work   chan []byte
	free   chan []byte
	done   chan error
	failed chan struct{} // closed once encErr is set
	encErr error
	err    error
}

func newAsync(enc io.WriteCloser) *async {
	a := &async{
		enc:    enc,
		buf:    make([]byte, 0, chunkSize),
		work:   make(chan []byte, 2),
		free:   make(chan []byte, buffers), // room for every buffer, so run never blocks returning one
		done:   make(chan error, 1),
		failed: make(chan struct{}),
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
			if _, err = a.enc.Write(b); err != nil {
				a.encErr = err
				close(a.failed)
			}
		}
		a.free <- b[:0]
	}
	if err != nil {
		a.done <- err // the stream is broken; closing the encoder would only write to it again
		return
	}
	a.done <- a.enc.Close()
}

// stopped returns the encoder's error once it has failed.
func (a *async) stopped() error {
	select {
	case <-a.failed:
		return a.encErr
	default:
		return nil
	}
}

// send hands the full chunk to the encoder, unless it has failed meanwhile.
func (a *async) send() error {
	if a.err = a.stopped(); a.err != nil {
		return a.err
	}
	select {
	case a.work <- a.buf:
		a.buf = <-a.free
		return nil
	case <-a.failed:
		a.err = a.encErr
		return a.err
	}
}

func (a *async) Write(p []byte) (int, error) {
	if a.err == nil {
		a.err = a.stopped()
	}
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
			if err := a.send(); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

// ReadFrom lets io.Copy fill chunks directly from a file without an extra buffer.
func (a *async) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	for {
		if a.err == nil {
			a.err = a.stopped()
		}
		if a.err != nil {
			return total, a.err
		}
		n, err := r.Read(a.buf[len(a.buf):chunkSize])
		a.buf = a.buf[:len(a.buf)+n]
		total += int64(n)
		if len(a.buf) == chunkSize {
			if err := a.send(); err != nil {
				return total, err
			}
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
