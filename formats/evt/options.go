package evt

import (
	"fmt"
	"io"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// ErrOtherVersion is the cause of NewDecoder2 and NewDecoder3 errors for a
// header that names the other EVT version; it wraps neurotab.ErrMalformed.
var ErrOtherVersion = fmt.Errorf("EVT version mismatch: %w", neurotab.ErrMalformed)

// Options configure a decoder. The zero value decodes strictly with the
// geometry the header gives. BufferSize is the read buffer.
type Options struct {
	events.DecodeOptions
	// Trigger, when set, is called for every EXT_TRIGGER word with the
	// trigger time (µs), the channel id and the edge value (0 falling, 1 rising).
	Trigger func(t int64, channel uint8, value uint8)
}

// NewDecoder reads the RAW header from r and returns the EVT 2.0 or EVT 3.0
// decoder it calls for ("% evt 2.0"/"% evt 3.0" or "% format EVT2/EVT3"). A
// header with neither is taken as EVT 2.0, Prophesee's format before the key
// existed. EVT 2.1 and other encodings are an error wrapping
// neurotab.ErrUnsupported.
func NewDecoder(r io.Reader, opt Options) (events.Decoder, error) {
	h, rest, err := events.ReadHeader(r, opt.Name)
	if err != nil {
		return nil, err
	}
	switch f := headerFormat(h); f {
	case events.FormatEVT2, "":
		return newDecoder2(r, h, rest, opt), nil
	case events.FormatEVT3:
		return newDecoder3(r, h, rest, opt), nil
	default:
		return nil, events.Errorf(opt.Name, 0, neurotab.ErrUnsupported, "RAW encoding %q", f)
	}
}

// checkFormat accepts a header that names want or no encoding: naming the
// other EVT version is malformed input for this decoder, naming any other
// encoding (EVT 2.1) unsupported.
func checkFormat(h *events.Header, want, name string) error {
	switch f := headerFormat(h); f {
	case want, "":
		return nil
	case events.FormatEVT2, events.FormatEVT3:
		return events.Errorf(name, 0, ErrOtherVersion, "header says %s, not %s", f, want)
	default:
		return events.Errorf(name, 0, neurotab.ErrUnsupported, "RAW encoding %q", f)
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
	w, hh := opt.Size(h.Geometry())
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
