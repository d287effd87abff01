package nmnist

import (
	"fmt"
	"io"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// RecordSize is the size of one event record in bytes.
const RecordSize = 5

// OverflowY is the y value of a timestamp-overflow marker record.
const OverflowY = 240

// TimerPeriod is the period of the 23-bit timestamp counter, µs.
const TimerPeriod = int64(1) << 23

// N-MNIST sensor size (34 x 34 pixels, as in tonic's NMNIST.sensor_size).
const (
	NMNISTWidth  = 34
	NMNISTHeight = 34
)

// Options configure a Decoder. The zero value decodes strictly with unknown
// geometry (coordinates are then only checked against 256); set Width and
// Height to 34 for N-MNIST.
type Options struct {
	events.DecodeOptions
}

// Decoder streams events from an N-MNIST / N-Caltech101 .bin file. It
// implements events.Decoder.
type Decoder struct {
	rd        *events.WordReader
	opt       Options
	geom      events.Geometry
	wl, hl    uint16
	loops     int64
	last      int64
	overflows int64
}

// NewDecoder returns a decoder reading r. The format has no header, so it
// reads nothing until Next; the error is for a size the format cannot
// hold (Width or Height above 256 wraps neurotab.ErrParam).
func NewDecoder(r io.Reader, opt Options) (*Decoder, error) {
	if opt.Width > 256 || opt.Height > 256 || opt.Width < 0 || opt.Height < 0 {
		return nil, fmt.Errorf("nmnist: %s: sensor %dx%d beyond the 8-bit coordinates: %w", opt.Name, opt.Width, opt.Height, neurotab.ErrParam)
	}
	d := &Decoder{rd: events.NewWordReader(r, nil, 0, RecordSize, "5-byte record", opt.DecodeOptions), opt: opt,
		geom: events.Geometry{Width: opt.Width, Height: opt.Height, Format: events.FormatNMNIST},
		wl:   256, hl: 256}
	if opt.Width > 0 {
		d.wl = uint16(opt.Width)
	}
	if opt.Height > 0 {
		d.hl = uint16(opt.Height)
	}
	return d, nil
}

// Geometry returns the geometry given in Options, format "nmnist".
func (d *Decoder) Geometry() events.Geometry { return d.geom }

// Overflows returns the number of timestamp-overflow markers seen so far.
func (d *Decoder) Overflows() int64 { return d.overflows }

// Stats returns the counts so far; Dropped counts the records dropped
// under Options.Lenient.
func (d *Decoder) Stats() events.Stats { return d.rd.Stats }

// Next appends up to max events to b. It returns 0, io.EOF at the end; a
// fault (a timestamp before the previous one, a coordinate outside the
// geometry, a partial record at the end) returns the events before it and an
// *events.Error with the record's byte offset; later calls return the same error.
func (d *Decoder) Next(b *events.Batch, max int) (int, error) {
	return d.rd.Next(b, max, d.decode)
}

// decode decodes the buffered whole records into b, at most room events.
func (d *Decoder) decode(b *events.Batch, room int) (int, error) {
	room = min(room, (d.rd.End-d.rd.Pos)/RecordSize)
	T, X, Y, P := b.Slots(room)
	k, i := 0, d.rd.Pos
	var err error
	for ; k < room && i+RecordSize <= d.rd.End; i += RecordSize {
		r := d.rd.Buf[i : i+RecordSize]
		x, y := uint16(r[0]), uint16(r[1])
		if y == OverflowY {
			d.overflows++
			d.loops += TimerPeriod
			continue
		}
		t := d.loops + int64(r[2]&0x7f)<<16 | int64(r[3])<<8 | int64(r[4])
		if t < d.last || x >= d.wl || y >= d.hl {
			if d.opt.Lenient {
				d.rd.Stats.Dropped++
				continue
			}
			if t < d.last {
				err = events.Errorf(d.opt.Name, d.rd.Off+int64(i), neurotab.ErrTimeOrder, "event at %d µs after %d µs", t, d.last)
			} else {
				err = events.Errorf(d.opt.Name, d.rd.Off+int64(i), neurotab.ErrOutOfRange, "event at (%d, %d) outside %dx%d sensor", x, y, d.opt.Width, d.opt.Height)
			}
			break
		}
		T[k], X[k], Y[k], P[k] = t, x, y, int8(r[2]>>7)
		d.last = t
		k++
	}
	d.rd.Pos = i
	b.Commit(k)
	return k, err
}

// Encode writes events as 40-bit records, the inverse of Decoder: it inserts
// an overflow marker (x = 0, y = 240) each time t crosses a multiple of
// 2^23 µs. Events must have t ≥ 0 in non-decreasing order, x, y < 256 with
// y ≠ 240, p ∈ {0, 1}. name is used in errors.
func Encode(w io.Writer, name string, b *events.Batch) error {
	out := make([]byte, 0, 64<<10)
	var loops, last, off int64
	for i := range b.T {
		t, x, y, p := b.T[i], b.X[i], b.Y[i], b.P[i]
		pos := off + int64(len(out))
		switch {
		case t < last:
			return events.Errorf(name, pos, neurotab.ErrTimeOrder, "event %d at %d µs after %d µs", i, t, last)
		case x > 255 || y > 255 || y == OverflowY:
			return events.Errorf(name, pos, neurotab.ErrOutOfRange, "event %d at (%d, %d) not encodable", i, x, y)
		case p != 0 && p != 1:
			return events.Errorf(name, pos, neurotab.ErrOutOfRange, "event %d polarity %d", i, p)
		}
		for t-loops >= TimerPeriod {
			out = append(out, 0, OverflowY, 0, 0, 0)
			loops += TimerPeriod
		}
		r := t - loops
		out = append(out, byte(x), byte(y), byte(p)<<7|byte(r>>16&0x7f), byte(r>>8), byte(r))
		last = t
		if len(out) > 60<<10 {
			n, err := w.Write(out)
			off += int64(n)
			if err != nil {
				return &events.Error{File: name, Offset: off, Err: err}
			}
			out = out[:0]
		}
	}
	n, err := w.Write(out)
	if err != nil {
		return &events.Error{File: name, Offset: off + int64(n), Err: err}
	}
	return nil
}
