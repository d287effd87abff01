package biff

import (
	"encoding/binary"
	"fmt"
	"unicode/utf16"
)

// segReader walks the data of a record and its CONTINUE records. A string's
// characters may be split across records; each continuation then starts with
// a fresh option byte giving the character width ([MS-XLS] 2.4.58).
type segReader struct {
	rec  record
	segs [][]byte
	i    int // current segment
	pos  int // position in the current segment
}

func (r *segReader) err(msg string) error {
	return recErr(r.rec, fmt.Sprintf("SST string table: %s", msg))
}

// advance moves to the next segment when the current one is used up.
func (r *segReader) advance() bool {
	for r.i < len(r.segs) && r.pos >= len(r.segs[r.i]) {
		r.i++
		r.pos = 0
	}
	return r.i < len(r.segs)
}

// bytes reads n bytes that may span segments.
func (r *segReader) bytes(n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		if !r.advance() {
			return nil, r.err("truncated")
		}
		seg := r.segs[r.i][r.pos:]
		k := n - len(out)
		if k > len(seg) {
			k = len(seg)
		}
		out = append(out, seg[:k]...)
		r.pos += k
	}
	return out, nil
}

// skip discards n bytes without copying them.
func (r *segReader) skip(n int) error {
	for n > 0 {
		if !r.advance() {
			return r.err("truncated")
		}
		k := len(r.segs[r.i]) - r.pos
		if k > n {
			k = n
		}
		r.pos += k
		n -= k
	}
	return nil
}

// chars reads n characters, re-reading the width flag at each segment start.
func (r *segReader) chars(n int, high bool) (string, error) {
	u := make([]uint16, 0, n)
	for len(u) < n {
		if r.i >= len(r.segs) {
			return "", r.err("truncated string")
		}
		if r.pos >= len(r.segs[r.i]) {
			r.i++
			r.pos = 0
			if r.i >= len(r.segs) || len(r.segs[r.i]) == 0 {
				return "", r.err("truncated string")
			}
			high = r.segs[r.i][0]&1 != 0
			r.pos = 1
			continue
		}
		seg := r.segs[r.i]
		if high {
			if r.pos+2 > len(seg) {
				return "", r.err("character split across records")
			}
			u = append(u, binary.LittleEndian.Uint16(seg[r.pos:]))
			r.pos += 2
		} else {
			u = append(u, uint16(seg[r.pos]))
			r.pos++
		}
	}
	return string(utf16.Decode(u)), nil
}

// decodeSST decodes the shared string table ([MS-XLS] 2.4.265).
func decodeSST(rec record) ([]string, error) {
	r := &segReader{rec: rec, segs: append([][]byte{rec.data}, rec.cont...)}
	h, err := r.bytes(8)
	if err != nil {
		return nil, err
	}
	unique := int(binary.LittleEndian.Uint32(h[4:]))
	total := 0
	for _, s := range r.segs {
		total += len(s)
	}
	if unique < 0 || unique > total/3 { // every string needs at least 3 bytes
		return nil, r.err(fmt.Sprintf("%d unique strings in %d bytes", unique, total))
	}
	out := make([]string, 0, unique)
	for k := 0; k < unique; k++ {
		b, err := r.bytes(3)
		if err != nil {
			return nil, err
		}
		n, flags := int(binary.LittleEndian.Uint16(b)), b[2]
		runs, ext := 0, 0
		if flags&0x08 != 0 {
			b, err := r.bytes(2)
			if err != nil {
				return nil, err
			}
			runs = int(binary.LittleEndian.Uint16(b))
		}
		if flags&0x04 != 0 {
			b, err := r.bytes(4)
			if err != nil {
				return nil, err
			}
			ext = int(int32(binary.LittleEndian.Uint32(b)))
			if ext < 0 {
				return nil, r.err(fmt.Sprintf("string %d: negative extension size", k))
			}
		}
		s, err := r.chars(n, flags&1 != 0)
		if err != nil {
			return nil, err
		}
		if err := r.skip(4*runs + ext); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
