package events

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
)

// MaxHeaderBytes bounds a '%' text header. A file whose header runs longer is
// rejected rather than read into memory without limit.
const MaxHeaderBytes = 1 << 20

// Header is the ASCII header of Prophesee RAW (EVT 2.0 / 3.0) and DAT files:
// lines that start with '%' and end with '\n', optionally closed by "% end"
// (Prophesee, "RAW File Format" and "DAT File Format",
// https://docs.prophesee.ai/stable/data/file_formats/).
type Header struct {
	Lines []string          // header lines without the leading "% " and the trailing newline
	Keys  map[string]string // first word of a line → rest of the line (first occurrence wins)
	Size  int64             // header length in bytes, i.e. the offset of the first body byte
}

// Get returns the value of key (case-sensitive) and whether it is present.
func (h *Header) Get(key string) (string, bool) {
	v, ok := h.Keys[key]
	return v, ok
}

// ReadHeader reads the '%' header at the start of r. It reads r in chunks and
// returns, besides the header, the body bytes it read past the header (rest),
// which the caller must consume before reading r again. A header with no body
// at all is valid (rest is empty). Errors: neurotab.ErrTruncated when r ends inside a
// header line, neurotab.ErrTooLarge when the header exceeds MaxHeaderBytes.
func ReadHeader(r io.Reader, name string) (h *Header, rest []byte, err error) {
	h = &Header{Keys: map[string]string{}}
	buf := make([]byte, 0, 64<<10)
	pos := 0 // start of the current line in buf
	eof := false
	for {
		// Need at least one byte to decide whether a header line follows.
		if pos >= len(buf) && !eof {
			buf, eof, err = fill(r, buf, name)
			if err != nil {
				return nil, nil, err
			}
			continue
		}
		if pos >= len(buf) || buf[pos] != '%' {
			break
		}
		nl := bytes.IndexByte(buf[pos:], '\n')
		if nl < 0 {
			if eof {
				return nil, nil, Errorf(name, int64(pos), neurotab.ErrTruncated, "header line without newline")
			}
			if len(buf) >= MaxHeaderBytes {
				return nil, nil, Errorf(name, int64(pos), neurotab.ErrTooLarge, "header longer than %d bytes", MaxHeaderBytes)
			}
			buf, eof, err = fill(r, buf, name)
			if err != nil {
				return nil, nil, err
			}
			continue
		}
		line := string(buf[pos+1 : pos+nl])
		pos += nl + 1
		if pos > MaxHeaderBytes {
			return nil, nil, Errorf(name, int64(pos), neurotab.ErrTooLarge, "header longer than %d bytes", MaxHeaderBytes)
		}
		line = strings.TrimSuffix(line, "\r")
		line = strings.TrimPrefix(line, " ")
		h.Lines = append(h.Lines, line)
		key, val, _ := strings.Cut(line, " ")
		if _, dup := h.Keys[key]; !dup && key != "" {
			h.Keys[key] = strings.TrimSpace(val)
		}
		if line == "end" {
			break
		}
	}
	h.Size = int64(pos)
	return h, buf[pos:], nil
}

// fill appends one read's worth of bytes from r to buf, doubling capacity as
// needed, up to MaxHeaderBytes+64 KiB.
func fill(r io.Reader, buf []byte, name string) ([]byte, bool, error) {
	if cap(buf)-len(buf) < 4096 {
		nb := make([]byte, len(buf), 2*cap(buf)+4096)
		copy(nb, buf)
		buf = nb
	}
	n, err := r.Read(buf[len(buf):cap(buf)])
	buf = buf[:len(buf)+n]
	if err == io.EOF {
		return buf, true, nil
	}
	if err != nil {
		return buf, false, Errorf(name, int64(len(buf)), err, "")
	}
	return buf, false, nil
}

// Geometry returns the sensor size the header states, or 0, 0. It reads, in
// order of preference, "format EVT3;height=720;width=1280", "geometry
// 1280x720", the DAT keys "Width"/"Height", and last the camera plugin name
// (hal_plugin_gen3* → 640 x 480, gen41/imx636 → 1280 x 720, genx320 → 320 x
// 320), the inference Prophesee's own tools make for old files with no size.
func (h *Header) Geometry() (width, height int) {
	if v, ok := h.Keys["format"]; ok {
		var w, hh int
		for _, f := range strings.Split(v, ";") {
			k, val, _ := strings.Cut(f, "=")
			n, err := strconv.Atoi(strings.TrimSpace(val))
			if err != nil {
				continue
			}
			switch strings.TrimSpace(k) {
			case "width":
				w = n
			case "height":
				hh = n
			}
		}
		if w > 0 && hh > 0 {
			return w, hh
		}
	}
	if v, ok := h.Keys["geometry"]; ok {
		a, b, _ := strings.Cut(v, "x")
		w, e1 := strconv.Atoi(strings.TrimSpace(a))
		hh, e2 := strconv.Atoi(strings.TrimSpace(b))
		if e1 == nil && e2 == nil && w > 0 && hh > 0 {
			return w, hh
		}
	}
	w, e1 := strconv.Atoi(h.Keys["Width"])
	hh, e2 := strconv.Atoi(h.Keys["Height"])
	if e1 == nil && e2 == nil && w > 0 && hh > 0 {
		return w, hh
	}
	p := strings.ToLower(h.Keys["plugin_name"])
	switch {
	case strings.Contains(p, "gen41"), strings.Contains(p, "imx636"):
		return 1280, 720
	case strings.Contains(p, "genx320"):
		return 320, 320
	case strings.Contains(p, "gen3"):
		return 640, 480
	}
	return 0, 0
}
