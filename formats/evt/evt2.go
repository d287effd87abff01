package evt

import (
	"encoding/binary"
	"io"

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

// EVT2Decoder streams CD events from an EVT 2.0 RAW file. It implements
// events.Decoder. Create it with NewEVT2Decoder or NewDecoder.
type EVT2Decoder struct {
	rd      *reader
	opt     Options
	hdr     *events.Header
	geom    events.Geometry
	w, h    uint16 // exclusive coordinate limits
	high    int64  // unwrapped time high << 6, noTime before the first TIME_HIGH
	rawHigh int64  // last 28-bit TIME_HIGH payload, -1 before the first
	loops   int64  // accumulated timer loops, µs
	last    int64  // time of the last event returned
	stats   Stats
	err     error
}

// NewEVT2Decoder reads the RAW header from r and returns an EVT 2.0 decoder.
// A header naming another encoding ("% evt 3.0") is an ErrFormat error.
func NewEVT2Decoder(r io.Reader, opt Options) (*EVT2Decoder, error) {
	h, rest, err := events.ReadHeader(r, opt.Name)
	if err != nil {
		return nil, err
	}
	if f := headerFormat(h); f != "" && f != events.FormatEVT2 {
		return nil, events.Errorf(opt.Name, 0, events.ErrFormat, "header says %s, not evt2", f)
	}
	return newEVT2(r, h, rest, opt), nil
}

func newEVT2(r io.Reader, h *events.Header, rest []byte, opt Options) *EVT2Decoder {
	g := geometry(h, opt, events.FormatEVT2)
	return &EVT2Decoder{
		rd: newReader(r, opt.Name, rest, h.Size, opt.BufferSize), opt: opt, hdr: h, geom: g,
		w: limit(g.Width), h: limit(g.Height), high: noTime, rawHigh: -1,
	}
}

// Geometry returns the sensor size from the header (or Options) and format "evt2".
func (d *EVT2Decoder) Geometry() events.Geometry { return d.geom }

// Header returns the parsed '%' header.
func (d *EVT2Decoder) Header() *events.Header { return d.hdr }

// Stats returns the counts so far.
func (d *EVT2Decoder) Stats() Stats { return d.stats }

// Next appends up to max CD events to b. It returns 0, io.EOF at the end of
// the stream; a fault returns the events decoded before it and an
// *events.Error naming the byte offset, and every later call returns the
// same error.
func (d *EVT2Decoder) Next(b *events.Batch, max int) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	total := 0
	for total < max {
		if d.rd.end-d.rd.pos < 4 {
			if err := d.rd.fill(); err != nil {
				d.err = err
				return total, err
			}
			if d.rd.end-d.rd.pos < 4 {
				if d.rd.end > d.rd.pos && !d.opt.Lenient {
					d.err = events.Errorf(d.opt.Name, d.rd.off+int64(d.rd.pos), events.ErrTruncated,
						"%d trailing bytes, not a whole 32-bit word", d.rd.end-d.rd.pos)
					return total, d.err
				}
				if d.rd.end > d.rd.pos {
					d.stats.Skipped++
					d.rd.pos = d.rd.end
				}
				if total == 0 {
					return 0, io.EOF
				}
				return total, nil
			}
		}
		n, err := d.decode(b, max-total)
		total += n
		d.stats.Events += int64(n)
		if err != nil {
			d.err = err
			return total, err
		}
	}
	return total, nil
}

// decode is the fast path: it decodes whole words from the buffer straight
// into the batch columns.
func (d *EVT2Decoder) decode(b *events.Batch, room int) (int, error) {
	buf := d.rd.buf[d.rd.pos:d.rd.end]
	buf = buf[:len(buf)&^3]
	if nw := len(buf) / 4; room > nw {
		room = nw
	}
	l := b.Len()
	b.Grow(room)
	T := b.T[l : l+room]
	X := b.X[l : l+room]
	Y := b.Y[l : l+room]
	P := b.P[l : l+room]
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
						err = events.Errorf(d.opt.Name, d.rd.off+int64(d.rd.pos+i), events.ErrTimeBackwards,
							"EVT_TIME_HIGH %d after %d", raw, d.rawHigh)
						break
					}
					d.stats.Skipped++
					continue
				}
			}
			d.rawHigh = raw
			high = d.loops + raw<<6
		case evt2ExtTrigger:
			d.stats.Triggers++
			if d.opt.Trigger != nil && high != noTime {
				d.opt.Trigger(high|int64(w>>22&0x3f), uint8(w>>8&0x1f), uint8(w&1))
			}
		case evt2Others, evt2Continued:
			d.stats.Skipped++
		default:
			if !d.opt.Lenient {
				err = events.Errorf(d.opt.Name, d.rd.off+int64(d.rd.pos+i), events.ErrFormat,
					"reserved EVT 2.0 word type 0x%X", typ)
				break
			}
			d.stats.Skipped++
		}
		if err != nil {
			break
		}
	}
	d.rd.pos += i
	d.high = high
	if k > 0 {
		d.last = last
	}
	b.T, b.X, b.Y, b.P = b.T[:l+k], b.X[:l+k], b.Y[:l+k], b.P[:l+k]
	return k, err
}

// badEvent handles a CD word that failed the fast checks: dropped before the
// first TIME_HIGH, otherwise an error (or a counted drop under Lenient).
func (d *EVT2Decoder) badEvent(high, t int64, x, y uint16, i int) error {
	if high == noTime {
		d.stats.Dropped++
		return nil
	}
	if d.opt.Lenient {
		d.stats.Dropped++
		return nil
	}
	off := d.rd.off + int64(d.rd.pos+i)
	if t < d.last {
		return events.Errorf(d.opt.Name, off, events.ErrTimeBackwards, "CD event at %d µs after %d µs", t, d.last)
	}
	return events.Errorf(d.opt.Name, off, events.ErrRange, "CD event at (%d, %d) outside %dx%d sensor", x, y, d.geom.Width, d.geom.Height)
}
