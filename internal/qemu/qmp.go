package qemu

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"time"
)

// QMP is a client of QEMU's machine protocol on a unix socket: one command
// at a time, events skipped.
type QMP struct {
	conn net.Conn
	dec  *json.Decoder
}

// DialQMP connects to the socket at path, retrying until QEMU has made it
// or timeout passes, and leaves capabilities negotiation done.
func DialQMP(path string, timeout time.Duration) (*QMP, error) {
	deadline := time.Now().Add(timeout)
	var conn net.Conn
	var err error
	for {
		conn, err = net.Dial("unix", path)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("qmp: connecting to %s: %w (is QEMU running with -qmp unix:%s,server=on,wait=off?)", path, err, path)
		}
		time.Sleep(100 * time.Millisecond)
	}
	q := &QMP{conn: conn, dec: json.NewDecoder(bufio.NewReader(conn))}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	var greeting struct {
		QMP *json.RawMessage `json:"QMP"`
	}
	if err := q.dec.Decode(&greeting); err != nil || greeting.QMP == nil {
		conn.Close()
		return nil, fmt.Errorf("qmp: %s sent no greeting (%v)", path, err)
	}
	if err := q.Execute("qmp_capabilities", nil, 30*time.Second); err != nil {
		conn.Close()
		return nil, err
	}
	return q, nil
}

// Execute runs one command and waits up to timeout for its answer.
func (q *QMP) Execute(cmd string, args any, timeout time.Duration) error {
	req := map[string]any{"execute": cmd}
	if args != nil {
		req["arguments"] = args
	}
	q.conn.SetDeadline(time.Now().Add(timeout))
	if err := json.NewEncoder(q.conn).Encode(req); err != nil {
		return fmt.Errorf("qmp: sending %s: %w", cmd, err)
	}
	for {
		var resp struct {
			Return *json.RawMessage `json:"return"`
			Error  *struct {
				Class string `json:"class"`
				Desc  string `json:"desc"`
			} `json:"error"`
			Event string `json:"event"`
		}
		if err := q.dec.Decode(&resp); err != nil {
			return fmt.Errorf("qmp: waiting for the answer to %s: %w", cmd, err)
		}
		switch {
		case resp.Error != nil:
			return fmt.Errorf("qmp: %s: %s: %s", cmd, resp.Error.Class, resp.Error.Desc)
		case resp.Return != nil:
			return nil
		}
		// An event (resp.Event): not the answer.
	}
}

// Screendump writes the display's picture to file as a PPM (QEMU 7.2's
// PNG output swaps red and blue; PPM is right on every version).
func (q *QMP) Screendump(file string) error {
	return q.Execute("screendump", map[string]any{"filename": file}, time.Minute)
}

// SendKey presses and releases one key, a QEMU qcode ("a", "ret",
// "shift"), on the guest's keyboard.
func (q *QMP) SendKey(qcode string) error {
	return q.Execute("send-key", map[string]any{
		"keys": []map[string]string{{"type": "qcode", "data": qcode}},
	}, 30*time.Second)
}

// Close ends the connection.
func (q *QMP) Close() error { return q.conn.Close() }
