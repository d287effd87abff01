package evt

import (
	"fmt"
	"io"

	"github.com/neurotab/neurotab/formats/events"
)

// DefaultBufferSize is the read buffer of a decoder when Options.BufferSize is 0.
const DefaultBufferSize = 1 << 20

// Options configure a decoder. The zero value decodes strictly with the
// geometry the header gives.
type Options struct {
	Name       string // file name used in errors
	Lenient    bool   // drop and count faulty events/words instead of failing
	Width      int    // sensor width; overrides the header when > 0
	Height     int    // sensor height; overrides the header when > 0
	BufferSize int    // read buffer in bytes; DefaultBufferSize when 0
	// Trigger, when set, is called for every EXT_TRIGGER word with the
	// trigger time (µs), the channel id and the edge value (0 falling, 1 rising).
	Trigger func(t int64, channel uint8, value uint8)
}

// Stats counts what a decoder saw besides the events it returned.
type Stats struct {
	Events   int64 // events returned
	Dropped  int64 // events dropped: before the first TIME_HIGH/ADDR_Y, or faulty under Lenient
	Triggers int64 // EXT_TRIGGER words
	Skipped  int64 // words skipped: OTHERS/CONTINUED, and faulty words under Lenient
}

// reader is the buffered byte source shared by the decoders.
type reader struct {
	r    io.Reader
	name string
	buf  []byte
	pos  int   // next unread byte in buf
	end  int   // end of valid bytes in buf
	off  int64 // file offset of buf[0]
	eof  bool
}

func newReader(r io.Reader, name string, rest []byte, hdrSize int64, size int) *reader {
	if size <= 0 {
		size = DefaultBufferSize
	}
	if size < 4096 {
		size = 4096
	}
	if size < len(rest) {
		size = len(rest)
	}
	rd := &reader{r: r, name: name, buf: make([]byte, size), off: hdrSize}
	rd.end = copy(rd.buf, rest)
	return rd
}

// fill moves the unread tail to the front and reads until at least one more
// byte is present or the source ends.
func (rd *reader) fill() error {
	if rd.eof {
		return nil
	}
	if rd.pos > 0 {
		n := copy(rd.buf, rd.buf[rd.pos:rd.end])
		rd.off += int64(rd.pos)
		rd.pos, rd.end = 0, n
	}
	for rd.end < len(rd.buf) {
		n, err := rd.r.Read(rd.buf[rd.end:])
		rd.end += n
		if err == io.EOF {
			rd.eof = true
			return nil
		}
		if err != nil {
			return &events.Error{Name: rd.name, Offset: rd.off + int64(rd.end), Err: err}
		}
		if n > 0 && rd.end-rd.pos >= len(rd.buf)/2 {
			return nil
		}
	}
	return nil
}

// NewDecoder reads the RAW header from r and returns the EVT 2.0 or EVT 3.0
// decoder it calls for ("% evt 2.0"/"% evt 3.0" or "% format EVT2/EVT3"). A
// header with neither is taken as EVT 2.0, Prophesee's format before the key
// existed. EVT 2.1 and other encodings are an ErrFormat error.
func NewDecoder(r io.Reader, opt Options) (events.Decoder, error) {
	h, rest, err := events.ReadHeader(r, opt.Name)
	if err != nil {
		return nil, err
	}
	switch f := headerFormat(h); f {
	case events.FormatEVT2, "":
		return newEVT2(r, h, rest, opt), nil
	case events.FormatEVT3:
		return newEVT3(r, h, rest, opt), nil
	default:
		return nil, events.Errorf(opt.Name, 0, events.ErrFormat, "unsupported RAW encoding %q", f)
	}
}

// headerFormat returns the encoding the header names, "" when it names none.
func headerFormat(h *events.Header) string {
	var b []byte
	for _, l := range h.Lines {
		b = append(b, "% "...)
		b = append(b, l...)
		b = append(b, '\n')
	}
	if v, ok := h.Get("evt"); ok || h.Keys["format"] != "" {
		f := events.Sniff(b)
		if f == events.FormatDAT {
			return fmt.Sprintf("evt %s", v)
		}
		return f
	}
	return ""
}

func geometry(h *events.Header, opt Options, format string) events.Geometry {
	w, hh := h.Geometry()
	if opt.Width > 0 {
		w = opt.Width
	}
	if opt.Height > 0 {
		hh = opt.Height
	}
	return events.Geometry{Width: w, Height: hh, Format: format}
}

// limit returns the exclusive coordinate bound checked on decode: the sensor
// size when known, else 2048 (11-bit coordinates can never exceed it).
func limit(n int) uint16 {
	if n <= 0 || n > 2048 {
		return 2048
	}
	return uint16(n)
}
