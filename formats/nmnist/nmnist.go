package nmnist

import (
	"io"

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

const bufRecords = 1 << 16

// Options configure a Decoder. The zero value decodes strictly with unknown
// geometry (coordinates are then not range-checked).
type Options struct {
	Name    string // file name used in errors
	Lenient bool   // drop and count faulty records instead of failing
	Width   int    // sensor width (34 for N-MNIST); 0 when unknown
	Height  int    // sensor height (34 for N-MNIST); 0 when unknown
}

// Decoder streams events from an N-MNIST / N-Caltech101 .bin file. It
// implements events.Decoder.
type Decoder struct {
	r         io.Reader
	opt       Options
	geom      events.Geometry
	wl, hl    uint16
	buf       []byte
	pos, end  int
	off       int64
	eof       bool
	loops     int64
	last      int64
	overflows int64
	dropped   int64
	err       error
}

// NewDecoder returns a decoder reading r. It reads nothing until Next.
func NewDecoder(r io.Reader, opt Options) *Decoder {
	d := &Decoder{r: r, opt: opt, buf: make([]byte, bufRecords*RecordSize),
		geom: events.Geometry{Width: opt.Width, Height: opt.Height, Format: events.FormatNMNIST},
		wl:   256, hl: 256}
	if opt.Width > 0 && opt.Width < 256 {
		d.wl = uint16(opt.Width)
	}
	if opt.Height > 0 && opt.Height < 256 {
		d.hl = uint16(opt.Height)
	}
	return d
}

// Geometry returns the geometry given in Options, format "nmnist".
func (d *Decoder) Geometry() events.Geometry { return d.geom }

// Overflows returns the number of timestamp-overflow markers seen so far.
func (d *Decoder) Overflows() int64 { return d.overflows }

// Dropped returns the number of records dropped under Options.Lenient.
func (d *Decoder) Dropped() int64 { return d.dropped }

func (d *Decoder) fill() error {
	if d.pos > 0 {
		n := copy(d.buf, d.buf[d.pos:d.end])
		d.off += int64(d.pos)
		d.pos, d.end = 0, n
	}
	for d.end < len(d.buf) && !d.eof {
		n, err := d.r.Read(d.buf[d.end:])
		d.end += n
		if err == io.EOF {
			d.eof = true
		} else if err != nil {
			return &events.Error{Name: d.opt.Name, Offset: d.off + int64(d.end), Err: err}
		}
		if n > 0 && d.end >= len(d.buf)/2 {
			break
		}
	}
	return nil
}

// Next appends up to max events to b. It returns 0, io.EOF at the end; a
// fault (a timestamp before the previous one, a coordinate outside the
// geometry, a partial record at the end) returns the events before it and an
// *events.Error with the record's byte offset; later calls return the same error.
func (d *Decoder) Next(b *events.Batch, max int) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	total := 0
	for total < max {
		if d.end-d.pos < RecordSize {
			if err := d.fill(); err != nil {
				d.err = err
				return total, err
			}
			if d.end-d.pos < RecordSize {
				if d.end > d.pos {
					if !d.opt.Lenient {
						d.err = events.Errorf(d.opt.Name, d.off+int64(d.pos), events.ErrTruncated,
							"%d trailing bytes, not a whole %d-byte record", d.end-d.pos, RecordSize)
						return total, d.err
					}
					d.dropped++
					d.pos = d.end
				}
				if total == 0 {
					return 0, io.EOF
				}
				return total, nil
			}
		}
		room := min(max-total, (d.end-d.pos)/RecordSize)
		l := b.Len()
		b.Grow(room)
		T, X, Y, P := b.T[l:l+room], b.X[l:l+room], b.Y[l:l+room], b.P[l:l+room]
		k, i := 0, d.pos
		var err error
		for ; k < room && i+RecordSize <= d.end; i += RecordSize {
			r := d.buf[i : i+RecordSize]
			x, y := uint16(r[0]), uint16(r[1])
			if y == OverflowY {
				d.overflows++
				d.loops += TimerPeriod
				continue
			}
			t := d.loops + int64(r[2]&0x7f)<<16 | int64(r[3])<<8 | int64(r[4])
			if t < d.last || x >= d.wl || y >= d.hl {
				if d.opt.Lenient {
					d.dropped++
					continue
				}
				if t < d.last {
					err = events.Errorf(d.opt.Name, d.off+int64(i), events.ErrTimeBackwards, "event at %d µs after %d µs", t, d.last)
				} else {
					err = events.Errorf(d.opt.Name, d.off+int64(i), events.ErrRange, "event at (%d, %d) outside %dx%d sensor", x, y, d.opt.Width, d.opt.Height)
				}
				break
			}
			T[k], X[k], Y[k], P[k] = t, x, y, int8(r[2]>>7)
			d.last = t
			k++
		}
		d.pos = i
		b.T, b.X, b.Y, b.P = b.T[:l+k], b.X[:l+k], b.Y[:l+k], b.P[:l+k]
		total += k
		if err != nil {
			d.err = err
			return total, err
		}
	}
	return total, nil
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
			return events.Errorf(name, pos, events.ErrTimeBackwards, "event %d at %d µs after %d µs", i, t, last)
		case x > 255 || y > 255 || y == OverflowY:
			return events.Errorf(name, pos, events.ErrRange, "event %d at (%d, %d) not encodable", i, x, y)
		case p != 0 && p != 1:
			return events.Errorf(name, pos, events.ErrRange, "event %d polarity %d", i, p)
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
				return &events.Error{Name: name, Offset: off, Err: err}
			}
			out = out[:0]
		}
	}
	n, err := w.Write(out)
	if err != nil {
		return &events.Error{Name: name, Offset: off + int64(n), Err: err}
	}
	return nil
}
