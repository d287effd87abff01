package evt

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

const encBufSize = 256 << 10

// encoder holds what Encoder2 and Encoder3 share: the output buffer,
// the byte count, the validation limits and the time of the last event.
type encoder struct {
	w      io.Writer
	name   string
	buf    []byte
	off    int64 // bytes written so far (header included)
	wl, hl uint16
	last   int64
	n      int64
	err    error
}

func (e *encoder) init(w io.Writer, name, evt, format string, width, height int) error {
	e.w, e.name = w, name
	e.buf = make([]byte, 0, encBufSize)
	e.wl, e.hl = limit(width), limit(height)
	if width < 0 || height < 0 || width > 2048 || height > 2048 {
		return fmt.Errorf("evt: sensor %dx%d outside 0..2048", width, height)
	}
	h := "% evt " + evt + "\n"
	if width > 0 && height > 0 {
		h += fmt.Sprintf("%% format %s;height=%d;width=%d\n%% geometry %dx%d\n", format, height, width, width, height)
	}
	h += "% end\n"
	e.buf = append(e.buf, h...)
	return nil
}

func (e *encoder) flush() error {
	if e.err != nil {
		return e.err
	}
	if len(e.buf) == 0 {
		return nil
	}
	n, err := e.w.Write(e.buf)
	e.off += int64(n)
	e.buf = e.buf[:0]
	if err != nil {
		e.err = &events.Error{File: e.name, Offset: e.off, Err: err}
	}
	return e.err
}

// check validates event i of b against the encoder state.
func (e *encoder) check(b *events.Batch, i int) error {
	t, x, y, p := b.T[i], b.X[i], b.Y[i], b.P[i]
	off := e.off + int64(len(e.buf))
	switch {
	case t < e.last:
		return events.Errorf(e.name, off, neurotab.ErrTimeOrder, "event %d at %d µs after %d µs", e.n, t, e.last)
	case x >= e.wl || y >= e.hl:
		return events.Errorf(e.name, off, neurotab.ErrOutOfRange, "event %d at (%d, %d) outside the sensor", e.n, x, y)
	case p != 0 && p != 1:
		return events.Errorf(e.name, off, neurotab.ErrOutOfRange, "event %d polarity %d, want 0 or 1", e.n, p)
	}
	return nil
}

// Encoder2 writes events as an EVT 2.0 RAW file: a header, then one
// EVT_TIME_HIGH word whenever t>>6 changes and one CD word per event. Events
// must come in non-decreasing time order with t ≥ 0. The stream starts with
// TIME_HIGH 0 and, before a jump of half a timer period (2^33 µs) or more,
// steps the TIME_HIGH word in smaller jumps, so that Decoder2 reads back
// the absolute times. Call Close to flush.
type Encoder2 struct {
	encoder
	high int64 // unwrapped t>>6 of the last TIME_HIGH written, -1 before the first
}

// NewEncoder2 writes the header ("% evt 2.0", and the geometry when
// width and height are > 0) to w and returns the encoder. name is used in errors.
func NewEncoder2(w io.Writer, name string, width, height int) (*Encoder2, error) {
	e := &Encoder2{high: -1}
	if err := e.init(w, name, "2.0", "EVT2", width, height); err != nil {
		return nil, err
	}
	return e, nil
}

// Write encodes every event of b. An event out of time order, outside the
// sensor or with a polarity other than 0/1 stops the write with an error
// naming the output byte offset; the events before it are kept.
func (e *Encoder2) Write(b *events.Batch) error {
	if e.err != nil {
		return e.err
	}
	e.last = max(e.last, 0)
	for i := range b.T {
		if err := e.check(b, i); err != nil {
			return err
		}
		t := b.T[i]
		if len(e.buf)+16 > cap(e.buf) {
			if err := e.flush(); err != nil {
				return err
			}
		}
		if h := t >> 6; h != e.high {
			if e.high < 0 {
				// Start the walk below from 0 so that an absolute time
				// beyond one timer period survives decoding.
				e.high = 0
				e.word32(evt2TimeHigh << 28)
			}
			// Jumps of 2^27 or more TIME_HIGH steps would read as a timer loop:
			// walk there in steps of 2^26.
			for h-e.high >= 1<<27 {
				e.high += 1 << 26
				e.word32(evt2TimeHigh<<28 | uint32(e.high&0x0fffffff))
				if len(e.buf)+16 > cap(e.buf) {
					if err := e.flush(); err != nil {
						return err
					}
				}
			}
			e.high = h
			e.word32(evt2TimeHigh<<28 | uint32(h&0x0fffffff))
		}
		e.word32(uint32(b.P[i])<<28 | uint32(t&0x3f)<<22 | uint32(b.X[i])<<11 | uint32(b.Y[i]))
		e.last = t
		e.n++
	}
	return nil
}

func (e *encoder) word32(w uint32) { e.buf = binary.LittleEndian.AppendUint32(e.buf, w) }
func (e *encoder) word16(w uint16) { e.buf = binary.LittleEndian.AppendUint16(e.buf, w) }

// Close flushes the buffered words. It does not close the underlying writer.
func (e *Encoder2) Close() error { return e.flush() }

// Events returns the number of events written so far.
func (e *Encoder2) Events() int64 { return e.n }

// Encoder3 writes events as an EVT 3.0 RAW file. It emits EVT_TIME_HIGH
// (always followed by EVT_TIME_LOW) and EVT_TIME_LOW when the time changes,
// EVT_ADDR_Y when the row changes, and for each run of three or more events
// with the same time, row and polarity and increasing x within 12 columns a
// VECT_BASE_X + VECT_12 pair; other events become EVT_ADDR_X. Events must
// come in non-decreasing time order with t ≥ 0. As in Encoder2, the
// TIME_HIGH words start at 0 and step through jumps of half the 24-bit timer
// period (2^23 µs) or more, so absolute times beyond 2^24 µs decode back
// unchanged. Call Close to flush.
type Encoder3 struct {
	encoder
	high int64 // unwrapped t>>12 of the last TIME_HIGH, -1 before the first
	low  int64 // t&0xfff of the last TIME_LOW, -1 after a TIME_HIGH
	y    int32 // row of the last EVT_ADDR_Y, -1 before the first
}

// NewEncoder3 writes the header ("% evt 3.0", and the geometry when
// width and height are > 0) to w and returns the encoder.
func NewEncoder3(w io.Writer, name string, width, height int) (*Encoder3, error) {
	e := &Encoder3{high: -1, low: -1, y: -1}
	if err := e.init(w, name, "3.0", "EVT3", width, height); err != nil {
		return nil, err
	}
	return e, nil
}

// Write encodes every event of b; errors as Encoder2.Write. A vector run
// never spans two Write calls.
func (e *Encoder3) Write(b *events.Batch) error {
	if e.err != nil {
		return e.err
	}
	e.last = max(e.last, 0)
	for i := 0; i < len(b.T); {
		if err := e.check(b, i); err != nil {
			return err
		}
		if len(e.buf)+32 > cap(e.buf) {
			if err := e.flush(); err != nil {
				return err
			}
		}
		t, x, y, p := b.T[i], b.X[i], b.Y[i], b.P[i]
		if h := t >> 12; h != e.high {
			if e.high < 0 {
				e.high = 0
				e.word16(evt3TimeHigh << 12)
			}
			for h-e.high >= 1<<11 {
				e.high += 1 << 10
				e.word16(evt3TimeHigh<<12 | uint16(e.high&0xfff))
				if len(e.buf)+32 > cap(e.buf) {
					if err := e.flush(); err != nil {
						return err
					}
				}
			}
			e.high = h
			e.low = -1
			e.word16(evt3TimeHigh<<12 | uint16(h&0xfff))
		}
		if l := t & 0xfff; l != e.low {
			e.low = l
			e.word16(evt3TimeLow<<12 | uint16(l))
		}
		if int32(y) != e.y {
			e.y = int32(y)
			e.word16(evt3AddrY<<12 | y)
		}
		// Run of same (t, y, p) with strictly increasing x inside [x, x+12).
		j := i + 1
		for j < len(b.T) && b.T[j] == t && b.Y[j] == y && b.P[j] == p &&
			b.X[j] > b.X[j-1] && b.X[j] < x+12 {
			if err := e.check(b, j); err != nil {
				break
			}
			j++
		}
		if j-i >= 3 {
			var mask uint16
			for k := i; k < j; k++ {
				mask |= 1 << (b.X[k] - x)
			}
			e.word16(evt3VectBaseX<<12 | uint16(p)<<11 | x)
			e.word16(evt3Vect12<<12 | mask)
		} else {
			j = i + 1
			e.word16(evt3AddrX<<12 | uint16(p)<<11 | x)
		}
		e.last = t
		e.n += int64(j - i)
		i = j
	}
	return nil
}

// Close flushes the buffered words. It does not close the underlying writer.
func (e *Encoder3) Close() error { return e.flush() }

// Events returns the number of events written so far.
func (e *Encoder3) Events() int64 { return e.n }
