package evt

import (
	"encoding/binary"
	"io"
	"math/bits"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// EVT 3.0 word types (Prophesee EVT 3.0 specification, table "event types").
const (
	evt3AddrY      = 0x0
	evt3AddrX      = 0x2
	evt3VectBaseX  = 0x3
	evt3Vect12     = 0x4
	evt3Vect8      = 0x5
	evt3TimeLow    = 0x6
	evt3Continued4 = 0x7
	evt3TimeHigh   = 0x8
	evt3ExtTrigger = 0xA
	evt3Others     = 0xE
	evt3Continued  = 0xF
)

// evt3Loop is the period of the 24-bit EVT 3.0 timer in µs.
const evt3Loop = int64(1) << 24

// Decoder3 streams CD events from an EVT 3.0 RAW file. It implements
// events.Decoder. Create it with NewDecoder3 or NewDecoder.
type Decoder3 struct {
	rd      *events.WordReader
	opt     Options
	hdr     *events.Header
	geom    events.Geometry
	w, h    uint16
	t       int64 // current time base, noTime before the first TIME_HIGH
	rawHigh int64 // last 12-bit TIME_HIGH, -1 before the first
	loops   int64
	y       uint16
	haveY   bool
	base    uint16 // vector base x
	vp      int8   // vector polarity
	last    int64
	// pending events of a vector word that did not fit the caller's max
	pend  [12]uint16
	pendN int
	pendT int64
	pendY uint16
	pendP int8
}

// NewDecoder3 reads the RAW header from r and returns an EVT 3.0 decoder.
// A header naming the other EVT version is an error wrapping
// neurotab.ErrMalformed, one naming EVT 2.1 neurotab.ErrUnsupported.
func NewDecoder3(r io.Reader, opt Options) (*Decoder3, error) {
	h, rest, err := events.ReadHeader(r, opt.Name)
	if err != nil {
		return nil, err
	}
	if err := checkFormat(h, events.FormatEVT3, opt.Name); err != nil {
		return nil, err
	}
	return newDecoder3(r, h, rest, opt), nil
}

func newDecoder3(r io.Reader, h *events.Header, rest []byte, opt Options) *Decoder3 {
	g := geometry(h, opt, events.FormatEVT3)
	return &Decoder3{
		rd:  events.NewWordReader(r, rest, h.Size, 2, "16-bit word", opt.DecodeOptions),
		opt: opt, hdr: h, geom: g,
		w: limit(g.Width), h: limit(g.Height), t: noTime, rawHigh: -1,
	}
}

// Geometry returns the sensor size from the header (or Options) and format "evt3".
func (d *Decoder3) Geometry() events.Geometry { return d.geom }

// Header returns the parsed '%' header.
func (d *Decoder3) Header() *events.Header { return d.hdr }

// Stats returns the counts so far, as Decoder2.Stats does; Dropped also
// counts events before the first EVT_ADDR_Y.
func (d *Decoder3) Stats() events.Stats { return d.rd.Stats }

// Next appends up to max CD events to b; see Decoder2.Next for the
// end-of-stream and error contract.
func (d *Decoder3) Next(b *events.Batch, max int) (int, error) {
	n := 0
	for ; n < max && d.pendN > 0; n++ {
		b.Append(d.pendT, d.pend[0], d.pendY, d.pendP)
		copy(d.pend[:], d.pend[1:d.pendN])
		d.pendN--
	}
	d.rd.Stats.Events += int64(n)
	if n == max {
		return n, nil
	}
	k, err := d.rd.Next(b, max-n, d.decode)
	if err == io.EOF && n > 0 {
		return n, nil
	}
	return n + k, err
}

// decode is the fast path over the buffered words.
func (d *Decoder3) decode(b *events.Batch, room int) (int, error) {
	buf := d.rd.Buf[d.rd.Pos:d.rd.End]
	buf = buf[:len(buf)&^1]
	if nw := 12 * (len(buf) / 2); room > nw {
		room = nw
	}
	// Slots by hand: with the four columns carved here the compiler keeps
	// them in registers through the loop (with b.Slots, a call that is not
	// inlined, the benchmark ran up to 5% slower).
	l := b.Len()
	b.Grow(room)
	T, X, Y, P := b.T[l:l+room], b.X[l:l+room], b.Y[l:l+room], b.P[l:l+room]
	t, y, last := d.t, d.y, d.last
	wl := d.w
	ok := d.haveY && y < d.h // the current row is usable
	k, i := 0, 0
	var err error
	for ; i < len(buf) && k < len(T); i += 2 {
		w := binary.LittleEndian.Uint16(buf[i : i+2])
		switch w >> 12 {
		case evt3AddrX:
			x := w & 0x7ff
			if !ok || t < last || x >= wl {
				d.t, d.y, d.last = t, y, last
				if err = d.bad(t, x, y, i, 1); err != nil {
					break
				}
				continue
			}
			T[k], X[k], Y[k], P[k] = t, x, y, int8(w>>11&1)
			last = t
			k++
		case evt3AddrY:
			y = w & 0x7ff
			d.haveY = true
			ok = y < d.h
			if !ok && !d.opt.Lenient && t != noTime {
				err = events.Errorf(d.opt.Name, d.rd.Offset(i), neurotab.ErrOutOfRange,
					"EVT_ADDR_Y %d outside %dx%d sensor", y, d.geom.Width, d.geom.Height)
			}
		case evt3VectBaseX:
			d.base = w & 0x7ff
			d.vp = int8(w >> 11 & 1)
		case evt3Vect12, evt3Vect8:
			var mask uint16
			var step uint16 = 12
			if w>>12 == evt3Vect12 {
				mask = w & 0xfff
			} else {
				mask = w & 0xff
				step = 8
			}
			base := d.base
			d.base += step
			if mask == 0 {
				continue
			}
			if !ok || t < last || base+uint16(15-bits.LeadingZeros16(mask)) >= wl {
				d.t, d.y, d.last = t, y, last
				if err = d.bad(t, base+uint16(15-bits.LeadingZeros16(mask)), y, i, bits.OnesCount16(mask)); err != nil {
					break
				}
				continue
			}
			p := d.vp
			for mask != 0 {
				x := base + uint16(bits.TrailingZeros16(mask))
				mask &= mask - 1
				if k == len(T) {
					d.pend[d.pendN] = x
					d.pendN++
					continue
				}
				T[k], X[k], Y[k], P[k] = t, x, y, p
				k++
			}
			if d.pendN > 0 {
				d.pendT, d.pendY, d.pendP = t, y, p
			}
			last = t
		case evt3TimeLow:
			if t != noTime {
				t = t&^0xfff | int64(w&0xfff)
			}
		case evt3TimeHigh:
			raw := int64(w & 0xfff)
			if raw < d.rawHigh {
				if d.rawHigh-raw > 1<<11 {
					d.loops += evt3Loop
				} else {
					if !d.opt.Lenient {
						err = events.Errorf(d.opt.Name, d.rd.Offset(i), neurotab.ErrTimeOrder,
							"EVT_TIME_HIGH %d after %d", raw, d.rawHigh)
						break
					}
					d.rd.Stats.Skipped++
					continue
				}
			}
			if raw != d.rawHigh {
				t = d.loops + raw<<12
			}
			d.rawHigh = raw
		case evt3ExtTrigger:
			d.rd.Stats.Triggers++
			d.rd.Stats.Skipped++
			if d.opt.Trigger != nil && t != noTime {
				d.opt.Trigger(t, uint8(w>>8&0xf), uint8(w&1))
			}
		case evt3Others, evt3Continued4, evt3Continued:
			d.rd.Stats.Skipped++
		default:
			if !d.opt.Lenient {
				err = events.Errorf(d.opt.Name, d.rd.Offset(i), neurotab.ErrMalformed,
					"reserved EVT 3.0 word type 0x%X", w>>12)
				break
			}
			d.rd.Stats.Skipped++
		}
		if err != nil {
			break
		}
	}
	d.rd.Pos += i
	d.t, d.y = t, y
	if k > 0 || d.pendN > 0 {
		d.last = last
	}
	b.Commit(k)
	return k, err
}

// bad handles an event word that failed the fast checks: n events dropped
// before the first TIME_HIGH or EVT_ADDR_Y, otherwise an error (or a counted
// drop under Lenient).
func (d *Decoder3) bad(t int64, x, y uint16, i, n int) error {
	if t == noTime || !d.haveY || d.opt.Lenient {
		d.rd.Stats.Dropped += int64(n)
		return nil
	}
	off := d.rd.Offset(i)
	if t < d.last {
		return events.Errorf(d.opt.Name, off, neurotab.ErrTimeOrder, "event at %d µs after %d µs", t, d.last)
	}
	return events.Errorf(d.opt.Name, off, neurotab.ErrOutOfRange, "event at (%d, %d) outside %dx%d sensor", x, y, d.geom.Width, d.geom.Height)
}
