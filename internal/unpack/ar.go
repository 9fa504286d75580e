package unpack

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const arMagic = "!<arch>\n"

// arHeader is what a Debian package needs from one ar member.
type arHeader struct {
	Name string
	Size int64
}

// arReader reads the common ar format that dpkg-deb writes: a magic line,
// then 60-byte headers each followed by the member and a pad byte to an even
// offset. GNU "name/" and BSD "#1/len" names are accepted.
type arReader struct {
	r      io.Reader
	left   int64 // bytes of the current member not yet read
	pad    int64 // padding after the current member
	header [60]byte
}

func newArReader(r io.Reader) (*arReader, error) {
	var magic [len(arMagic)]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("not an ar archive: %w", err)
	}
	if string(magic[:]) != arMagic {
		return nil, errors.New("not an ar archive (bad magic)")
	}
	return &arReader{r: r}, nil
}

// Next skips what is left of the current member and reads the next header.
// It returns io.EOF at the clean end of the archive.
func (a *arReader) Next() (arHeader, error) {
	if _, err := io.CopyN(io.Discard, a.r, a.left+a.pad); err != nil {
		return arHeader{}, fmt.Errorf("ar: truncated member: %w", err)
	}
	a.left, a.pad = 0, 0
	n, err := io.ReadFull(a.r, a.header[:])
	if err == io.EOF {
		return arHeader{}, io.EOF
	}
	if err != nil {
		return arHeader{}, fmt.Errorf("ar: truncated header after %d bytes: %w", n, err)
	}
	h := a.header[:]
	if string(h[58:60]) != "`\n" {
		return arHeader{}, errors.New("ar: bad header terminator")
	}
	sizeField := strings.TrimRight(string(h[48:58]), " ")
	size, err := strconv.ParseInt(sizeField, 10, 64)
	if err != nil || size < 0 {
		return arHeader{}, fmt.Errorf("ar: bad member size %q", sizeField)
	}
	// Members start at even offsets; the header's size counts a BSD long
	// name too, so the pad is decided before the name is taken off.
	a.pad = size % 2
	name := strings.TrimRight(string(h[0:16]), " ")
	if rest, ok := strings.CutPrefix(name, "#1/"); ok {
		n, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || n < 0 || n > size || n > 4096 {
			return arHeader{}, fmt.Errorf("ar: bad BSD long name length %q", rest)
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(a.r, buf); err != nil {
			return arHeader{}, fmt.Errorf("ar: truncated long name: %w", err)
		}
		name = strings.TrimRight(string(buf), "\x00")
		size -= n
	} else if name != "/" && name != "//" {
		name = strings.TrimSuffix(name, "/")
	}
	a.left = size
	return arHeader{Name: name, Size: size}, nil
}

func (a *arReader) Read(p []byte) (int, error) {
	if a.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > a.left {
		p = p[:a.left]
	}
	n, err := a.r.Read(p)
	a.left -= int64(n)
	if err == io.EOF && a.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}
