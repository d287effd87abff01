package dat

import (
	"encoding/binary"
	"io"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// Event type bytes of a DAT file that carry CD events (Prophesee DAT spec).
const (
	TypeEvent2D = 0x00
	TypeEventCD = 0x0C
)

// RecordSize is the size of one CD record in bytes.
const RecordSize = 8

// Options configure a Decoder. The zero value decodes strictly.
type Options struct {
	events.DecodeOptions
}

// Decoder streams CD events from a DAT file. It implements events.Decoder.
type Decoder struct {
	rd      *events.WordReader
	opt     Options
	hdr     *events.Header
	geom    events.Geometry
	wl, hl  uint32
	prev    uint32 // last raw timestamp
	loops   int64
	last    int64
	started bool
}

// NewDecoder reads the header and the type/size bytes from r. An event type
// other than Event2D/EventCD or a size other than 8 is an error wrapping
// neurotab.ErrMalformed.
func NewDecoder(r io.Reader, opt Options) (*Decoder, error) {
	h, rest, err := events.ReadHeader(r, opt.Name)
	if err != nil {
		return nil, err
	}
	d := &Decoder{rd: events.NewWordReader(r, rest, h.Size, RecordSize, "8-byte record", opt.DecodeOptions), opt: opt, hdr: h}
	if err := d.rd.Fill(2); err != nil {
		return nil, err
	}
	if d.rd.End < 2 {
		return nil, events.Errorf(opt.Name, h.Size, neurotab.ErrTruncated, "no event type and size bytes after the header")
	}
	typ, size := d.rd.Buf[0], d.rd.Buf[1]
	if typ != TypeEvent2D && typ != TypeEventCD {
		return nil, events.Errorf(opt.Name, h.Size, neurotab.ErrMalformed, "event type 0x%02X is not a CD event type", typ)
	}
	if size != RecordSize {
		return nil, events.Errorf(opt.Name, h.Size+1, neurotab.ErrMalformed, "event size %d, want %d", size, RecordSize)
	}
	d.rd.Pos = 2
	w, hh := opt.Size(h.Geometry())
	d.geom = events.Geometry{Width: w, Height: hh, Format: events.FormatDAT}
	d.wl, d.hl = 1<<14, 1<<14
	if w > 0 && w < 1<<14 {
		d.wl = uint32(w)
	}
	if hh > 0 && hh < 1<<14 {
		d.hl = uint32(hh)
	}
	return d, nil
}

// Geometry returns the sensor size from the header (or Options), format "dat".
func (d *Decoder) Geometry() events.Geometry { return d.geom }

// Header returns the parsed '%' header.
func (d *Decoder) Header() *events.Header { return d.hdr }

// Stats returns the counts so far; Dropped counts the records dropped
// under Options.Lenient.
func (d *Decoder) Stats() events.Stats { return d.rd.Stats }

// Next appends up to max events to b. It returns 0, io.EOF at the end; a
// fault returns the events before it and an *events.Error with the byte
// offset of the faulty record, and every later call returns the same error.
func (d *Decoder) Next(b *events.Batch, max int) (int, error) {
	return d.rd.Next(b, max, d.decode)
}

// decode decodes the buffered whole records into b, at most room events.
func (d *Decoder) decode(b *events.Batch, room int) (int, error) {
	room = min(room, (d.rd.End-d.rd.Pos)/RecordSize)
	T, X, Y, P := b.Slots(room)
	k := 0
	var err error
	i := d.rd.Pos
	for ; k < room && i+RecordSize <= d.rd.End; i += RecordSize {
		raw := binary.LittleEndian.Uint32(d.rd.Buf[i:])
		w := binary.LittleEndian.Uint32(d.rd.Buf[i+4:])
		if raw < d.prev && d.started && d.prev-raw > 1<<31 {
			d.loops += 1 << 32
		}
		t := d.loops + int64(raw)
		x, y, p := w&0x3fff, w>>14&0x3fff, w>>28
		if t < d.last || x >= d.wl || y >= d.hl || p > 1 {
			if d.opt.Lenient {
				d.rd.Stats.Dropped++
				continue
			}
			off := d.rd.Off + int64(i)
			switch {
			case t < d.last:
				err = events.Errorf(d.opt.Name, off, neurotab.ErrTimeOrder, "record at %d µs after %d µs", t, d.last)
			case p > 1:
				err = events.Errorf(d.opt.Name, off, neurotab.ErrOutOfRange, "polarity %d", p)
			default:
				err = events.Errorf(d.opt.Name, off, neurotab.ErrOutOfRange, "event at (%d, %d) outside %dx%d sensor", x, y, d.geom.Width, d.geom.Height)
			}
			break
		}
		d.prev, d.started = raw, true
		T[k], X[k], Y[k], P[k] = t, uint16(x), uint16(y), int8(p)
		d.last = t
		k++
	}
	d.rd.Pos = i
	b.Commit(k)
	return k, err
}
