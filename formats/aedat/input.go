package aedat

import (
	"bufio"
	"errors"
	"io"
	"os"

	"github.com/neurotab/neurotab"
)

// input wraps the caller's reader: it counts the byte offset, knows the
// input's end when the reader can tell (bytes.Reader, strings.Reader,
// *os.File, io.SectionReader), and reads bounded runs of bytes into reused
// buffers that grow only as data arrives.
type input struct {
	r   *bufio.Reader
	off int64 // offset of the next byte to read
	end int64 // offset of the end of the input, -1 when unknown
}

// readChunk is the most a read grows a buffer by before the bytes arrive.
const readChunk = 1 << 20

func newInput(r io.Reader) *input {
	in := &input{end: -1}
	switch v := r.(type) {
	case interface{ Len() int }:
		in.end = int64(v.Len())
	case *os.File:
		if st, err := v.Stat(); err == nil && st.Mode().IsRegular() {
			if cur, err := v.Seek(0, io.SeekCurrent); err == nil {
				in.end = st.Size() - cur
			}
		}
	case interface {
		Size() int64
		Seek(int64, int) (int64, error)
	}:
		if cur, err := v.Seek(0, io.SeekCurrent); err == nil {
			in.end = v.Size() - cur
		}
	}
	if br, ok := r.(*bufio.Reader); ok && br.Size() >= 64<<10 {
		in.r = br
	} else {
		in.r = bufio.NewReaderSize(r, 64<<10)
	}
	return in
}

// left returns the bytes left in the input, or -1 when unknown.
func (in *input) left() int64 {
	if in.end < 0 {
		return -1
	}
	return in.end - in.off
}

// full reads exactly len(p) bytes. It returns io.EOF when no byte was
// available and io.ErrUnexpectedEOF when some but not all were.
func (in *input) full(p []byte) error {
	n, err := io.ReadFull(in.r, p)
	in.off += int64(n)
	return err
}

// readN reads exactly n bytes into buf (reused), growing it at most
// readChunk bytes ahead of the data actually read.
func (in *input) readN(buf []byte, n int) ([]byte, error) {
	if n <= cap(buf) {
		buf = buf[:n]
		if err := in.full(buf); err != nil {
			return buf[:0], err
		}
		return buf, nil
	}
	buf = buf[:0]
	for len(buf) < n {
		k := min(n-len(buf), readChunk)
		l := len(buf)
		buf = append(buf, make([]byte, k)...)
		if err := in.full(buf[l:]); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return buf[:0], err
		}
	}
	return buf, nil
}

// skip discards n bytes.
func (in *input) skip(n int64) error {
	m, err := in.r.Discard(int(min(n, int64(^uint(0)>>1))))
	in.off += int64(m)
	if err == io.EOF && int64(m) < n {
		return io.ErrUnexpectedEOF
	}
	return err
}

// line reads one line ending with '\n' (included), failing beyond max bytes.
func (in *input) line(max int) ([]byte, error) {
	var acc []byte
	for {
		s, err := in.r.ReadSlice('\n')
		in.off += int64(len(s))
		if len(acc)+len(s) > max {
			return nil, errTooLong
		}
		if err == bufio.ErrBufferFull {
			acc = append(acc, s...)
			continue
		}
		if acc != nil {
			acc = append(acc, s...)
			s = acc
		}
		if err != nil {
			return s, err
		}
		return s, nil
	}
}

var errTooLong = errors.New("header line too long")

// peekByte returns the next byte without consuming it.
func (in *input) peekByte() (byte, error) {
	b, err := in.r.Peek(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

// ioCause maps a read error to the sentinel an *events.Error should wrap.
func ioCause(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return neurotab.ErrTruncated
	}
	return err
}
