package evt

import (
	"encoding/binary"
	"io"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// EVT 2.0 word types (Prophesee EVT 2.0 specification, table "event types").
const (
	evt2CDOff      = 0x0
	evt2CDOn       = 0x1
	evt2TimeHigh   = 0x8
	evt2ExtTrigger = 0xA
	evt2Others     = 0xE
	evt2Continued  = 0xF
)

// evt2Loop is the period of the 34-bit EVT 2.0 timer in µs.
const evt2Loop = int64(1) << 34

// noTime makes every event before the first TIME_HIGH fall on the slow path.
const noTime = -(int64(1) << 62)

// Decoder2 streams CD events from an EVT 2.0 RAW file. It implements
// events.Decoder. Create it with NewDecoder2 or NewDecoder.
type Decoder2 struct {
	rd      *events.WordReader
	opt     Options
	hdr     *events.Header
	geom    events.Geometry
	w, h    uint16 // exclusive coordinate limits
	high    int64  // unwrapped time high << 6, noTime before the first TIME_HIGH
	rawHigh int64  // last 28-bit TIME_HIGH payload, -1 before the first
	loops   int64  // accumulated timer loops, µs
	last    int64  // time of the last event returned
}

// NewDecoder2 reads the RAW header from r and returns an EVT 2.0 decoder.
// A header naming the other EVT version is an error wrapping
// neurotab.ErrMalformed, one naming EVT 2.1 neurotab.ErrUnsupported.
func NewDecoder2(r io.Reader, opt Options) (*Decoder2, error) {
	h, rest, err := events.ReadHeader(r, opt.Name)
	if err != nil {
		return nil, err
	}
	if err := checkFormat(h, events.FormatEVT2, opt.Name); err != nil {
		return nil, err
	}
	return newDecoder2(r, h, rest, opt), nil
}

func newDecoder2(r io.Reader, h *events.Header, rest []byte, opt Options) *Decoder2 {
	g := geometry(h, opt, events.FormatEVT2)
	return &Decoder2{
		rd:  events.NewWordReader(r, rest, h.Size, 4, "32-bit word", opt.DecodeOptions),
		opt: opt, hdr: h, geom: g,
		w: limit(g.Width), h: limit(g.Height), high: noTime, rawHigh: -1,
	}
}

// Geometry returns the sensor size from the header (or Options) and format "evt2".
func (d *Decoder2) Geometry() events.Geometry { return d.geom }

// Header returns the parsed '%' header.
func (d *Decoder2) Header() *events.Header { return d.hdr }

// Stats returns the counts so far: Dropped counts CD events before the
// first TIME_HIGH and faulty ones under Lenient; Skipped the OTHERS,
// CONTINUED and EXT_TRIGGER words (and faulty words under Lenient);
// Triggers the EXT_TRIGGER words.
func (d *Decoder2) Stats() events.Stats { return d.rd.Stats }

// Next appends up to max CD events to b. It returns 0, io.EOF at the end of
// the stream; a fault returns the events decoded before it and an
// *events.Error naming the byte offset, and every later call returns the
// same error.
func (d *Decoder2) Next(b *events.Batch, max int) (int, error) {
	return d.rd.Next(b, max, d.decode)
}

// decode is the fast path: it decodes whole words from the buffer straight
// into the batch columns.
func (d *Decoder2) decode(b *events.Batch, room int) (int, error) {
	buf := d.rd.Buf[d.rd.Pos:d.rd.End]
	buf = buf[:len(buf)&^3]
	if nw := len(buf) / 4; room > nw {
		room = nw
	}
	// Slots by hand: with the four columns carved here the compiler keeps
	// them in registers through the loop (with b.Slots, a call that is not
	// inlined, the benchmark ran up to 5% slower).
	l := b.Len()
	b.Grow(room)
	T, X, Y, P := b.T[l:l+room], b.X[l:l+room], b.Y[l:l+room], b.P[l:l+room]
	high, last := d.high, d.last
	wl, hl := d.w, d.h
	k, i := 0, 0
	var err error
	for ; i < len(buf) && k < len(T); i += 4 {
		w := binary.LittleEndian.Uint32(buf[i : i+4])
		typ := w >> 28
		if typ <= evt2CDOn {
			t := high | int64(w>>22&0x3f)
			x := uint16(w >> 11 & 0x7ff)
			y := uint16(w & 0x7ff)
			if t < last || x >= wl || y >= hl {
				d.last = last
				if err = d.badEvent(high, t, x, y, i); err != nil {
					break
				}
				continue
			}
			T[k], X[k], Y[k], P[k] = t, x, y, int8(typ)
			last = t
			k++
			continue
		}
		switch typ {
		case evt2TimeHigh:
			raw := int64(w & 0x0fffffff)
			if raw < d.rawHigh {
				if d.rawHigh-raw > 1<<27 {
					d.loops += evt2Loop
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
			d.rawHigh = raw
			high = d.loops + raw<<6
		case evt2ExtTrigger:
			d.rd.Stats.Triggers++
			d.rd.Stats.Skipped++
			if d.opt.Trigger != nil && high != noTime {
				d.opt.Trigger(high|int64(w>>22&0x3f), uint8(w>>8&0x1f), uint8(w&1))
			}
		case evt2Others, evt2Continued:
			d.rd.Stats.Skipped++
		default:
			if !d.opt.Lenient {
				err = events.Errorf(d.opt.Name, d.rd.Offset(i), neurotab.ErrMalformed,
					"reserved EVT 2.0 word type 0x%X", typ)
				break
			}
			d.rd.Stats.Skipped++
		}
		if err != nil {
			break
		}
	}
	d.rd.Pos += i
	d.high = high
	if k > 0 {
		d.last = last
	}
	b.Commit(k)
	return k, err
}

// badEvent handles a CD word that failed the fast checks: dropped before the
// first TIME_HIGH, otherwise an error (or a counted drop under Lenient).
func (d *Decoder2) badEvent(high, t int64, x, y uint16, i int) error {
	if high == noTime {
		d.rd.Stats.Dropped++
		return nil
	}
	if d.opt.Lenient {
		d.rd.Stats.Dropped++
		return nil
	}
	off := d.rd.Offset(i)
	if t < d.last {
		return events.Errorf(d.opt.Name, off, neurotab.ErrTimeOrder, "CD event at %d µs after %d µs", t, d.last)
	}
	return events.Errorf(d.opt.Name, off, neurotab.ErrOutOfRange, "CD event at (%d, %d) outside %dx%d sensor", x, y, d.geom.Width, d.geom.Height)
}
