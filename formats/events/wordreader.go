package events

import (
	"io"

	"github.com/neurotab/neurotab"
)

// WordReader is the buffered fill loop shared by the decoders of fixed-size
// words or records (EVT 2.0 and 3.0 words, DAT, N-MNIST and AEDAT 2.0
// records): it reads the input through one large buffer, keeps the unread
// tail when it refills, hands the buffered bytes to the format's decode
// function, and handles the end of the input (io.EOF, or a truncated last
// record), the sticky error and Stats.Events.
//
// A decoder decodes Buf[Pos:End] straight into the batch columns, advances
// Pos past what it consumed, and counts its drops in Stats; Offset gives the
// file offset of a byte for its errors.
type WordReader struct {
	Buf   []byte // Buf[Pos:End] are the bytes read and not yet decoded
	Pos   int
	End   int
	Off   int64 // file offset of Buf[0]
	Stats Stats // Events is counted by Next; the decode function counts the rest

	r    io.Reader
	opt  DecodeOptions
	unit int    // bytes per word or record
	what string // "32-bit word", "8-byte record": for the truncation message
	eof  bool
	err  error
}

// NewWordReader returns a WordReader over r for words or records of unit
// bytes. rest are bytes already read from r (what ReadHeader read past the
// header) and off the file offset of rest[0]. what names the unit in the
// truncation message ("32-bit word"). The buffer is opt.BufferSize bytes
// (DefaultBufferSize when 0), at least 4 KiB and at least len(rest).
func NewWordReader(r io.Reader, rest []byte, off int64, unit int, what string, opt DecodeOptions) *WordReader {
	size := opt.BufferSize
	if size <= 0 {
		size = DefaultBufferSize
	}
	size = max(size, 4096, len(rest), 2*unit)
	w := &WordReader{Buf: make([]byte, size), Off: off, r: r, opt: opt, unit: unit, what: what}
	w.End = copy(w.Buf, rest)
	return w
}

// Offset returns the file offset of Buf[Pos+i].
func (w *WordReader) Offset(i int) int64 { return w.Off + int64(w.Pos+i) }

// Fill moves the unread bytes to the front of the buffer and reads until at
// least n of them (n ≤ len(Buf)) and, when the reads allow, half the buffer
// are buffered, or the input ends. An input error is returned as an *Error.
func (w *WordReader) Fill(n int) error {
	if w.Pos > 0 {
		k := copy(w.Buf, w.Buf[w.Pos:w.End])
		w.Off += int64(w.Pos)
		w.Pos, w.End = 0, k
	}
	want := max(n, len(w.Buf)/2)
	for !w.eof && w.End < want {
		k, err := w.r.Read(w.Buf[w.End:])
		w.End += k
		if err == io.EOF {
			w.eof = true
		} else if err != nil {
			return &Error{File: w.opt.Name, Offset: w.Off + int64(w.End), Err: err}
		}
	}
	return nil
}

// Next is a decoder's Next: it appends up to max events to b by calling
// decode(b, room) on the buffered bytes, refilling the buffer whenever less
// than one word or record is left. decode must consume at least one word
// when one is buffered and append at most room events. Next returns 0,
// io.EOF at the end of the input; a last partial record is an *Error
// wrapping neurotab.ErrTruncated, or under Lenient a dropped event. An
// error from decode or the input is sticky: later calls return it.
func (w *WordReader) Next(b *Batch, max int, decode func(b *Batch, room int) (int, error)) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	total := 0
	for total < max {
		if w.End-w.Pos < w.unit {
			if err := w.need(); err != nil {
				if err == io.EOF && total > 0 {
					return total, nil
				}
				w.err = err
				return total, err
			}
		}
		n, err := decode(b, max-total)
		total += n
		w.Stats.Events += int64(n)
		if err != nil {
			w.err = err
			return total, err
		}
	}
	return total, nil
}

// need refills the buffer and reports io.EOF or the truncated last record
// when less than one unit is left.
func (w *WordReader) need() error {
	if err := w.Fill(w.unit); err != nil {
		return err
	}
	left := w.End - w.Pos
	switch {
	case left >= w.unit:
		return nil
	case left == 0:
		return io.EOF
	case !w.opt.Lenient:
		s := "s"
		if left == 1 {
			s = ""
		}
		return Errorf(w.opt.Name, w.Offset(0), neurotab.ErrTruncated, "%d trailing byte%s, not a whole %s", left, s, w.what)
	}
	w.Stats.Dropped++
	w.Pos = w.End
	return io.EOF
}
