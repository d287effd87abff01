package dat

import (
	"encoding/binary"
	"io"

	"github.com/neurotab/neurotab/formats/events"
)

// Event type bytes of a DAT file that carry CD events (Prophesee DAT spec).
const (
	TypeEvent2D = 0x00
	TypeEventCD = 0x0C
)

// RecordSize is the size of one CD record in bytes.
const RecordSize = 8

const bufRecords = 1 << 16

// Options configure a Decoder. The zero value decodes strictly.
type Options struct {
	Name    string // file name used in errors
	Lenient bool   // drop and count faulty records instead of failing
	Width   int    // sensor width; overrides the header when > 0
	Height  int    // sensor height; overrides the header when > 0
}

// Decoder streams CD events from a DAT file. It implements events.Decoder.
type Decoder struct {
	r       io.Reader
	opt     Options
	hdr     *events.Header
	geom    events.Geometry
	wl, hl  uint32
	buf     []byte
	pos     int
	end     int
	off     int64 // file offset of buf[0]
	eof     bool
	prev    uint32 // last raw timestamp
	loops   int64
	last    int64
	started bool
	dropped int64
	err     error
}

// NewDecoder reads the header and the type/size bytes from r. An event type
// other than Event2D/EventCD or a size other than 8 is an ErrFormat error.
func NewDecoder(r io.Reader, opt Options) (*Decoder, error) {
	h, rest, err := events.ReadHeader(r, opt.Name)
	if err != nil {
		return nil, err
	}
	d := &Decoder{r: r, opt: opt, hdr: h, buf: make([]byte, bufRecords*RecordSize+len(rest)+2), off: h.Size}
	d.end = copy(d.buf, rest)
	if err := d.fill(2); err != nil {
		return nil, err
	}
	if d.end < 2 {
		return nil, events.Errorf(opt.Name, h.Size, events.ErrTruncated, "no event type and size bytes after the header")
	}
	typ, size := d.buf[0], d.buf[1]
	if typ != TypeEvent2D && typ != TypeEventCD {
		return nil, events.Errorf(opt.Name, h.Size, events.ErrFormat, "event type 0x%02X is not a CD event type", typ)
	}
	if size != RecordSize {
		return nil, events.Errorf(opt.Name, h.Size+1, events.ErrFormat, "event size %d, want %d", size, RecordSize)
	}
	d.pos = 2
	w, hh := h.Geometry()
	if opt.Width > 0 {
		w = opt.Width
	}
	if opt.Height > 0 {
		hh = opt.Height
	}
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

// fill reads until at least need unread bytes are buffered or the source ends.
func (d *Decoder) fill(need int) error {
	if d.pos > 0 && d.end-d.pos < need {
		n := copy(d.buf, d.buf[d.pos:d.end])
		d.off += int64(d.pos)
		d.pos, d.end = 0, n
	}
	for d.end-d.pos < need && !d.eof {
		n, err := d.r.Read(d.buf[d.end:])
		d.end += n
		if err == io.EOF {
			d.eof = true
		} else if err != nil {
			return &events.Error{Name: d.opt.Name, Offset: d.off + int64(d.end), Err: err}
		}
	}
	return nil
}

// Geometry returns the sensor size from the header (or Options), format "dat".
func (d *Decoder) Geometry() events.Geometry { return d.geom }

// Header returns the parsed '%' header.
func (d *Decoder) Header() *events.Header { return d.hdr }

// Dropped returns the number of records dropped under Options.Lenient.
func (d *Decoder) Dropped() int64 { return d.dropped }

// Next appends up to max events to b. It returns 0, io.EOF at the end; a
// fault returns the events before it and an *events.Error with the byte
// offset of the faulty record, and every later call returns the same error.
func (d *Decoder) Next(b *events.Batch, max int) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	total := 0
	for total < max {
		if d.end-d.pos < RecordSize {
			if err := d.fill(len(d.buf) / 2); err != nil {
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
		nrec := (d.end - d.pos) / RecordSize
		room := min(max-total, nrec)
		l := b.Len()
		b.Grow(room)
		T, X, Y, P := b.T[l:l+room], b.X[l:l+room], b.Y[l:l+room], b.P[l:l+room]
		k := 0
		var err error
		i := d.pos
		for ; k < room && i+RecordSize <= d.end; i += RecordSize {
			raw := binary.LittleEndian.Uint32(d.buf[i:])
			w := binary.LittleEndian.Uint32(d.buf[i+4:])
			if raw < d.prev && d.started && d.prev-raw > 1<<31 {
				d.loops += 1 << 32
			}
			t := d.loops + int64(raw)
			x, y, p := w&0x3fff, w>>14&0x3fff, w>>28
			if t < d.last || x >= d.wl || y >= d.hl || p > 1 {
				if d.opt.Lenient {
					d.dropped++
					continue
				}
				off := d.off + int64(i)
				switch {
				case t < d.last:
					err = events.Errorf(d.opt.Name, off, events.ErrTimeBackwards, "record at %d µs after %d µs", t, d.last)
				case p > 1:
					err = events.Errorf(d.opt.Name, off, events.ErrRange, "polarity %d", p)
				default:
					err = events.Errorf(d.opt.Name, off, events.ErrRange, "event at (%d, %d) outside %dx%d sensor", x, y, d.geom.Width, d.geom.Height)
				}
				break
			}
			d.prev, d.started = raw, true
			T[k], X[k], Y[k], P[k] = t, uint16(x), uint16(y), int8(p)
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
