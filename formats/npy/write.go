package npy

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
)

// Write writes data as a C-order, little-endian .npy array of the given
// shape (format version 1.0, or 2.0 when the header needs it). data is one
// of []float64 (<f8), []float32 (<f4), []int8, []int16, []int32, []int64,
// []uint8, []uint16, []uint32, []uint64 (<i1…<u8) or []bool (|b1), in
// row-major order; len(data) must equal the product of shape. An empty shape
// writes a 0-d scalar.
func Write(w io.Writer, shape []int, data any) error {
	descr, n, size := "", 0, 0
	switch d := data.(type) {
	case []float64:
		descr, n, size = "<f8", len(d), 8
	case []float32:
		descr, n, size = "<f4", len(d), 4
	case []int8:
		descr, n, size = "|i1", len(d), 1
	case []int16:
		descr, n, size = "<i2", len(d), 2
	case []int32:
		descr, n, size = "<i4", len(d), 4
	case []int64:
		descr, n, size = "<i8", len(d), 8
	case []uint8:
		descr, n, size = "|u1", len(d), 1
	case []uint16:
		descr, n, size = "<u2", len(d), 2
	case []uint32:
		descr, n, size = "<u4", len(d), 4
	case []uint64:
		descr, n, size = "<u8", len(d), 8
	case []bool:
		descr, n, size = "|b1", len(d), 1
	default:
		return fmt.Errorf("npy: Write: unsupported data type %T: %w", data, neurotab.ErrUnsupported)
	}
	for _, s := range shape {
		if s < 0 {
			return fmt.Errorf("npy: Write: negative dimension in shape %v: %w", shape, neurotab.ErrShape)
		}
	}
	if numel(shape) != n {
		return fmt.Errorf("npy: Write: %d elements for shape %v: %w", n, shape, neurotab.ErrShape)
	}
	var sh strings.Builder
	sh.WriteByte('(')
	for i, s := range shape {
		if i > 0 {
			sh.WriteString(", ")
		}
		sh.WriteString(strconv.Itoa(s))
	}
	if len(shape) == 1 {
		sh.WriteByte(',')
	}
	sh.WriteByte(')')
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, sh.String())
	// Pad with spaces and a final newline so the data starts on a 64-byte
	// boundary, as NumPy does.
	pre := 10
	if len(dict)+1+pre > 65535 {
		pre = 12
	}
	total := pre + len(dict) + 1
	pad := (64 - total%64) % 64
	hdr := make([]byte, 0, total+pad)
	hdr = append(hdr, Magic...)
	if pre == 10 {
		hdr = append(hdr, 1, 0)
		hdr = binary.LittleEndian.AppendUint16(hdr, uint16(len(dict)+1+pad))
	} else {
		hdr = append(hdr, 2, 0)
		hdr = binary.LittleEndian.AppendUint32(hdr, uint32(len(dict)+1+pad))
	}
	hdr = append(hdr, dict...)
	for range pad {
		hdr = append(hdr, ' ')
	}
	hdr = append(hdr, '\n')
	if _, err := w.Write(hdr); err != nil {
		return fmt.Errorf("npy: Write: %w", err)
	}
	// Encode in blocks to bound the temporary buffer.
	const block = 1 << 16
	buf := make([]byte, 0, block*size)
	le := binary.LittleEndian
	for start := 0; start < n; start += block {
		end := min(start+block, n)
		buf = buf[:0]
		switch d := data.(type) {
		case []float64:
			for _, v := range d[start:end] {
				buf = le.AppendUint64(buf, math.Float64bits(v))
			}
		case []float32:
			for _, v := range d[start:end] {
				buf = le.AppendUint32(buf, math.Float32bits(v))
			}
		case []int8:
			for _, v := range d[start:end] {
				buf = append(buf, byte(v))
			}
		case []int16:
			for _, v := range d[start:end] {
				buf = le.AppendUint16(buf, uint16(v))
			}
		case []int32:
			for _, v := range d[start:end] {
				buf = le.AppendUint32(buf, uint32(v))
			}
		case []int64:
			for _, v := range d[start:end] {
				buf = le.AppendUint64(buf, uint64(v))
			}
		case []uint8:
			buf = append(buf, d[start:end]...)
		case []uint16:
			for _, v := range d[start:end] {
				buf = le.AppendUint16(buf, v)
			}
		case []uint32:
			for _, v := range d[start:end] {
				buf = le.AppendUint32(buf, v)
			}
		case []uint64:
			for _, v := range d[start:end] {
				buf = le.AppendUint64(buf, v)
			}
		case []bool:
			for _, v := range d[start:end] {
				if v {
					buf = append(buf, 1)
				} else {
					buf = append(buf, 0)
				}
			}
		}
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("npy: Write: %w", err)
		}
	}
	return nil
}
