package mat

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/neurotab/neurotab"
)

// maxDepth bounds the nesting of cells and structs.
const maxDepth = 512

// maxNumel bounds the element count computed from dims before any data is
// checked (the data checks bound it further by the input size).
const maxNumel = 1 << 50

// decoder decodes the elements of one variable held in buf.
type decoder struct {
	file     string
	order    binary.ByteOrder
	buf      []byte
	base     int64 // file offset of buf[0], or of the miCOMPRESSED element when inflated
	inflated bool
	start    int
	depth    int
}

func (f *File) newDecoder(buf []byte, base int64, inflated bool) *decoder {
	return &decoder{file: f.name, order: f.order, buf: buf, base: base, inflated: inflated}
}

func (d *decoder) errf(pos int, path string, sentinel error, format string, args ...any) error {
	e := &Error{File: d.file, Path: path, Offset: d.base + int64(pos), Inner: -1, Err: cause(sentinel, format, args...)}
	if d.inflated {
		e.Offset, e.Inner = d.base, int64(pos)
	}
	return e
}

// tag reads the data element tag at pos (bounded by end) and returns the
// element type, its byte count, the offset of its data and of the next
// element.
func (d *decoder) tag(pos, end int, path string) (typ uint32, n, data, next int, err error) {
	if pos+8 > end {
		if pos+4 <= end {
			if w := d.order.Uint32(d.buf[pos:]); w>>16 != 0 && int(w>>16) <= 4 && pos+4+int(w>>16) <= end {
				return w & 0xffff, int(w >> 16), pos + 4, end, nil
			}
		}
		return 0, 0, 0, 0, d.errf(pos, path, neurotab.ErrTruncated, "data element tag needs 8 bytes, %d remain", max(end-pos, 0))
	}
	w := d.order.Uint32(d.buf[pos:])
	if w>>16 != 0 { // small data element: size and type packed in 4 bytes
		n = int(w >> 16)
		if n > 4 {
			return 0, 0, 0, 0, d.errf(pos, path, neurotab.ErrMalformed, "small data element declares %d bytes (max 4)", n)
		}
		return w & 0xffff, n, pos + 4, pos + 8, nil
	}
	n64 := uint64(d.order.Uint32(d.buf[pos+4:]))
	if n64 > uint64(end-pos-8) {
		return 0, 0, 0, 0, d.errf(pos, path, neurotab.ErrTruncated, "element of type %d declares %d bytes, only %d remain", w, n64, end-pos-8)
	}
	n = int(n64)
	data = pos + 8
	next = data + n
	if w != miCOMPRESSED {
		next += (8 - n%8) % 8
	}
	return w, n, data, min(next, end), nil
}

// arrayHeader is the part of an miMATRIX element before its data.
type arrayHeader struct {
	mx        byte
	class     Class
	complex   bool
	logical   bool
	sparse    bool
	nzmax     int
	dims      []int
	numel     int
	name      string
	className string
}

var mxClass = [...]Class{
	1: ClassCell, 2: ClassStruct, 3: ClassObject, 4: ClassChar, 5: ClassDouble,
	6: ClassDouble, 7: ClassSingle, 8: ClassInt8, 9: ClassUint8, 10: ClassInt16,
	11: ClassUint16, 12: ClassInt32, 13: ClassUint32, 14: ClassInt64, 15: ClassUint64,
	16: ClassFunctionHandle, 17: ClassOpaque,
}

// header reads array flags, dims and name of the miMATRIX payload
// [pos, end), returning the offset of the next sub-element.
func (d *decoder) header(pos, end int, path string) (h arrayHeader, next int, err error) {
	typ, n, data, next, err := d.tag(pos, end, path)
	if err != nil {
		return h, 0, err
	}
	if typ != miUINT32 || n != 8 {
		return h, 0, d.errf(pos, path, neurotab.ErrMalformed, "array flags: element type %d with %d bytes, want miUINT32 with 8", typ, n)
	}
	flags := d.order.Uint32(d.buf[data:])
	h.mx = byte(flags)
	h.complex = flags&0x800 != 0
	h.logical = flags&0x200 != 0
	h.nzmax = int(d.order.Uint32(d.buf[data+4:]))
	if int(h.mx) >= len(mxClass) || mxClass[h.mx] == ClassUnknown {
		return h, 0, d.errf(data, path, neurotab.ErrMalformed, "unknown array class %d", h.mx)
	}
	h.class = mxClass[h.mx]
	h.sparse = h.mx == 5
	if h.logical {
		h.class = ClassLogical
	}
	if h.mx == 17 { // mxOPAQUE_CLASS: name, type system, class name, then data
		var s [3]string
		for i := range s {
			p := next
			var t uint32
			t, n, data, next, err = d.tag(p, end, path)
			if err != nil {
				return h, 0, err
			}
			if t != miINT8 && t != miUINT8 {
				return h, 0, d.errf(p, path, neurotab.ErrMalformed, "opaque object: string element of type %d", t)
			}
			s[i] = string(d.buf[data : data+n])
		}
		h.name, h.className = s[0], s[2]
		return h, next, nil
	}
	p := next
	typ, n, data, next, err = d.tag(p, end, path)
	if err != nil {
		return h, 0, err
	}
	if typ != miINT32 || n%4 != 0 || n < 8 {
		return h, 0, d.errf(p, path, neurotab.ErrMalformed, "dimensions: element type %d with %d bytes, want miINT32 with at least 2 dims", typ, n)
	}
	h.dims = make([]int, n/4)
	h.numel = 1
	for i := range h.dims {
		v := int32(d.order.Uint32(d.buf[data+4*i:]))
		if v < 0 {
			return h, 0, d.errf(data+4*i, path, neurotab.ErrMalformed, "negative dimension %d", v)
		}
		h.dims[i] = int(v)
		if h.numel != 0 && int(v) > maxNumel/h.numel {
			return h, 0, d.errf(data, path, neurotab.ErrTooLarge, "dims %s exceed %d elements", dimString(h.dims[:i+1]), maxNumel)
		}
		h.numel *= int(v)
	}
	p = next
	typ, n, data, next, err = d.tag(p, end, path)
	if err != nil {
		return h, 0, err
	}
	if typ != miINT8 && typ != miUINT8 {
		return h, 0, d.errf(p, path, neurotab.ErrMalformed, "array name: element type %d, want miINT8", typ)
	}
	h.name = string(d.buf[data : data+n])
	return h, next, nil
}

// matrix decodes the miMATRIX payload of n bytes at pos. path names the value
// for error messages.
func (d *decoder) matrix(pos, n int, path string) (string, Value, error) {
	if n == 0 { // a zero-byte miMATRIX is MATLAB's []
		return "", &Numeric{Type: ClassDouble, Shape: []int{0, 0}, Real: []float64{}}, nil
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > maxDepth {
		return "", nil, d.errf(pos, path, neurotab.ErrTooLarge, "cells/structs nested deeper than %d", maxDepth)
	}
	end := pos + n
	h, p, err := d.header(pos, end, path)
	if err != nil {
		return "", nil, err
	}
	if path == "" {
		path = h.name
	}
	var v Value
	switch {
	case h.mx == 16:
		v = &Unsupported{Type: ClassFunctionHandle, Shape: h.dims, Reason: "function handles are not decoded"}
	case h.mx == 17:
		v = &Unsupported{Type: ClassOpaque, ClassName: h.className, Reason: fmt.Sprintf("MCOS object of class %q is stored as opaque subsystem data, not decoded", h.className)}
	case h.sparse:
		v, err = d.sparse(&h, p, end, path)
	case h.mx >= 6 && h.mx <= 15:
		v, err = d.numeric(&h, p, end, path)
	case h.mx == 4:
		v, err = d.char(&h, p, end, path)
	case h.mx == 1:
		v, err = d.cell(&h, p, end, path)
	case h.mx == 2 || h.mx == 3:
		v, err = d.structure(&h, p, end, path)
	default:
		err = d.errf(pos, path, neurotab.ErrMalformed, "array class %d", h.mx)
	}
	if err != nil {
		return "", nil, err
	}
	return h.name, v, nil
}

var miSize = [...]int{miINT8: 1, miUINT8: 1, miINT16: 2, miUINT16: 2, miINT32: 4, miUINT32: 4,
	miSINGLE: 4, miDOUBLE: 8, miINT64: 8, miUINT64: 8, miUTF8: 1, miUTF16: 2, miUTF32: 4}

// numericElem checks that the element at p holds numbers and returns type,
// count and data offset.
func (d *decoder) numericElem(p, end int, path, what string) (typ uint32, count, data, next int, err error) {
	typ, n, data, next, err := d.tag(p, end, path)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if int(typ) >= len(miSize) || miSize[typ] == 0 || typ == miUTF8 || typ == miUTF16 || typ == miUTF32 {
		return 0, 0, 0, 0, d.errf(p, path, neurotab.ErrMalformed, "%s: element type %d is not numeric", what, typ)
	}
	sz := miSize[typ]
	if n%sz != 0 {
		return 0, 0, 0, 0, d.errf(p, path, neurotab.ErrMalformed, "%s: %d bytes is not a whole number of %d-byte values", what, n, sz)
	}
	return typ, n / sz, data, next, nil
}

// floats converts count values of mi type typ at data into dst.
func (d *decoder) floats(dst []float64, typ uint32, data int) {
	b := d.buf[data:]
	o := d.order
	switch typ {
	case miDOUBLE:
		if o == binary.LittleEndian {
			for i := range dst {
				dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
			}
		} else {
			for i := range dst {
				dst[i] = math.Float64frombits(o.Uint64(b[8*i:]))
			}
		}
	case miSINGLE:
		for i := range dst {
			dst[i] = float64(math.Float32frombits(o.Uint32(b[4*i:])))
		}
	case miINT8:
		for i := range dst {
			dst[i] = float64(int8(b[i]))
		}
	case miUINT8:
		for i := range dst {
			dst[i] = float64(b[i])
		}
	case miINT16:
		for i := range dst {
			dst[i] = float64(int16(o.Uint16(b[2*i:])))
		}
	case miUINT16:
		for i := range dst {
			dst[i] = float64(o.Uint16(b[2*i:]))
		}
	case miINT32:
		for i := range dst {
			dst[i] = float64(int32(o.Uint32(b[4*i:])))
		}
	case miUINT32:
		for i := range dst {
			dst[i] = float64(o.Uint32(b[4*i:]))
		}
	case miINT64:
		for i := range dst {
			dst[i] = float64(int64(o.Uint64(b[8*i:])))
		}
	case miUINT64:
		for i := range dst {
			dst[i] = float64(o.Uint64(b[8*i:]))
		}
	}
}

// ints converts count values to int64 (floats are truncated toward zero).
func (d *decoder) ints(dst []int64, typ uint32, data int) {
	b := d.buf[data:]
	o := d.order
	switch typ {
	case miINT64:
		for i := range dst {
			dst[i] = int64(o.Uint64(b[8*i:]))
		}
	case miUINT64:
		for i := range dst {
			dst[i] = int64(o.Uint64(b[8*i:]))
		}
	default:
		tmp := make([]float64, len(dst))
		d.floats(tmp, typ, data)
		for i, v := range tmp {
			dst[i] = satInt64(v)
		}
	}
}

func satInt64(v float64) int64 {
	switch {
	case v != v:
		return 0
	case v >= math.MaxInt64:
		return math.MaxInt64
	case v <= math.MinInt64:
		return math.MinInt64
	}
	return int64(v)
}

func (d *decoder) numeric(h *arrayHeader, p, end int, path string) (Value, error) {
	out := &Numeric{Type: h.class, Shape: h.dims}
	parts := 1
	if h.complex {
		parts = 2
	}
	for part := range parts {
		q := p
		typ, count, data, next, err := d.numericElem(q, end, path, [2]string{"real part", "imaginary part"}[part])
		if err != nil {
			if h.numel == 0 && q >= end { // empty arrays may omit the data element
				break
			}
			return nil, err
		}
		if count != h.numel {
			return nil, d.errf(q, path, neurotab.ErrMalformed, "%s: %d values for dims %s (%d elements)", [2]string{"real part", "imaginary part"}[part], count, dimString(h.dims), h.numel)
		}
		vals := make([]float64, count)
		d.floats(vals, typ, data)
		if part == 0 {
			out.Real = vals
			switch h.class {
			case ClassInt64:
				out.Int64 = make([]int64, count)
				d.ints(out.Int64, typ, data)
			case ClassUint64:
				out.Uint64 = make([]uint64, count)
				if typ == miUINT64 || typ == miINT64 {
					for i := range out.Uint64 {
						out.Uint64[i] = d.order.Uint64(d.buf[data+8*i:])
					}
				} else {
					for i, v := range vals {
						out.Uint64[i] = uint64(max(v, 0))
					}
				}
			}
		} else {
			out.Imag = vals
		}
		p = next
	}
	if out.Real == nil {
		out.Real = []float64{}
		if h.class == ClassInt64 {
			out.Int64 = []int64{}
		}
		if h.class == ClassUint64 {
			out.Uint64 = []uint64{}
		}
	}
	if h.complex && out.Imag == nil {
		out.Imag = []float64{}
	}
	if h.class == ClassSingle {
		roundSingle(out.Real)
		roundSingle(out.Imag)
	}
	if h.logical {
		l := &Logical{Shape: h.dims, Data: make([]bool, len(out.Real))}
		for i, v := range out.Real {
			l.Data[i] = v != 0
		}
		return l, nil
	}
	return out, nil
}

// roundSingle rounds values stored in a wider type to float32, as MATLAB
// does when it converts stored data to class single.
func roundSingle(v []float64) {
	for i, x := range v {
		v[i] = float64(float32(x))
	}
}

func (d *decoder) char(h *arrayHeader, p, end int, path string) (Value, error) {
	out := &Char{Shape: h.dims, Data: []uint16{}}
	if p >= end {
		if h.numel != 0 {
			return nil, d.errf(p, path, neurotab.ErrMalformed, "char array %s has no data element", dimString(h.dims))
		}
		return out, nil
	}
	typ, n, data, _, err := d.tag(p, end, path)
	if err != nil {
		return nil, err
	}
	raw := d.buf[data : data+n]
	var units []uint16
	switch typ {
	case miUTF8:
		if !utf8.Valid(raw) {
			return nil, d.errf(data, path, neurotab.ErrMalformed, "char data is not valid UTF-8")
		}
		units = utf16.Encode([]rune(string(raw)))
	case miUTF16, miUINT16, miINT16:
		if n%2 != 0 {
			return nil, d.errf(p, path, neurotab.ErrMalformed, "UTF-16 char data has odd length %d", n)
		}
		units = make([]uint16, n/2)
		for i := range units {
			units[i] = d.order.Uint16(raw[2*i:])
		}
	case miUTF32, miUINT32, miINT32:
		if n%4 != 0 {
			return nil, d.errf(p, path, neurotab.ErrMalformed, "UTF-32 char data length %d is not a multiple of 4", n)
		}
		rs := make([]rune, n/4)
		for i := range rs {
			rs[i] = rune(d.order.Uint32(raw[4*i:]))
		}
		units = utf16.Encode(rs)
	case miUINT8, miINT8:
		units = make([]uint16, n) // Latin-1 / ASCII
		for i, b := range raw {
			units[i] = uint16(b)
		}
	default:
		return nil, d.errf(p, path, neurotab.ErrMalformed, "char data of element type %d", typ)
	}
	if len(units) != h.numel {
		return nil, d.errf(p, path, neurotab.ErrMalformed, "char array %s holds %d chars, want %d", dimString(h.dims), len(units), h.numel)
	}
	out.Data = units
	return out, nil
}

func (d *decoder) cell(h *arrayHeader, p, end int, path string) (Value, error) {
	if h.numel > (end-p)/8 {
		return nil, d.errf(p, path, neurotab.ErrMalformed, "cell %s needs %d elements, only %d bytes remain", dimString(h.dims), h.numel, end-p)
	}
	out := &Cell{Shape: h.dims, Elems: make([]Value, h.numel)}
	for i := range out.Elems {
		sub := path + "{" + strconv.Itoa(i+1) + "}"
		typ, n, data, next, err := d.tag(p, end, sub)
		if err != nil {
			return nil, err
		}
		if typ != miMATRIX {
			return nil, d.errf(p, sub, neurotab.ErrMalformed, "cell element of type %d, want miMATRIX", typ)
		}
		if _, out.Elems[i], err = d.matrix(data, n, sub); err != nil {
			return nil, err
		}
		p = next
	}
	return out, nil
}

func (d *decoder) structure(h *arrayHeader, p, end int, path string) (Value, error) {
	var className string
	if h.mx == 3 {
		typ, n, data, next, err := d.tag(p, end, path)
		if err != nil {
			return nil, err
		}
		if typ != miINT8 && typ != miUINT8 {
			return nil, d.errf(p, path, neurotab.ErrMalformed, "object class name: element type %d", typ)
		}
		className = string(d.buf[data : data+n])
		p = next
	}
	typ, n, data, next, err := d.tag(p, end, path)
	if err != nil {
		return nil, err
	}
	if typ != miINT32 || n != 4 {
		return nil, d.errf(p, path, neurotab.ErrMalformed, "field name length: element type %d with %d bytes, want miINT32 with 4", typ, n)
	}
	fnl := int(int32(d.order.Uint32(d.buf[data:])))
	p = next
	typ, n, data, next, err = d.tag(p, end, path)
	if err != nil {
		return nil, err
	}
	if typ != miINT8 && typ != miUINT8 {
		return nil, d.errf(p, path, neurotab.ErrMalformed, "field names: element type %d, want miINT8", typ)
	}
	if fnl <= 0 && n > 0 || fnl > 0 && n%fnl != 0 {
		return nil, d.errf(p, path, neurotab.ErrMalformed, "field names: %d bytes with field name length %d", n, fnl)
	}
	var fields []string
	for i := 0; i < n; i += fnl {
		name := d.buf[data+i : data+i+fnl]
		for k, c := range name {
			if c == 0 {
				name = name[:k]
				break
			}
		}
		fields = append(fields, string(name))
	}
	p = next
	nf := len(fields)
	if nf != 0 && h.numel > (end-p)/8/nf {
		return nil, d.errf(p, path, neurotab.ErrMalformed, "struct %s with %d fields needs %d values, only %d bytes remain", dimString(h.dims), nf, h.numel*nf, end-p)
	}
	s := Struct{Shape: h.dims, Fields: fields, Values: make([]Value, h.numel*nf)}
	for e := range h.numel {
		for f, name := range fields {
			sub := path + "." + name
			if h.numel != 1 {
				sub = path + "(" + strconv.Itoa(e+1) + ")." + name
			}
			typ, n, data, next, err := d.tag(p, end, sub)
			if err != nil {
				return nil, err
			}
			if typ != miMATRIX {
				return nil, d.errf(p, sub, neurotab.ErrMalformed, "struct field value of type %d, want miMATRIX", typ)
			}
			if _, s.Values[e*nf+f], err = d.matrix(data, n, sub); err != nil {
				return nil, err
			}
			p = next
		}
	}
	if h.mx == 3 {
		return &Object{ClassName: className, Struct: s}, nil
	}
	return &s, nil
}

func (d *decoder) sparse(h *arrayHeader, p, end int, path string) (Value, error) {
	if len(h.dims) != 2 {
		return nil, d.errf(p, path, neurotab.ErrMalformed, "sparse array with %d dims", len(h.dims))
	}
	m, ncol := h.dims[0], h.dims[1]
	q := p
	typ, nir, data, next, err := d.numericElem(q, end, path, "sparse row indices")
	if err != nil {
		return nil, err
	}
	ir := make([]int64, nir)
	d.ints(ir, typ, data)
	q = next
	typ, njc, data, next, err := d.numericElem(q, end, path, "sparse column starts")
	if err != nil {
		return nil, err
	}
	if njc != ncol+1 {
		return nil, d.errf(q, path, neurotab.ErrMalformed, "sparse column starts: %d values for %d columns", njc, ncol)
	}
	jc := make([]int64, njc)
	d.ints(jc, typ, data)
	nnz := int(max(0, min(jc[ncol], int64(nir)))) // validated by sparseFromCSC
	q = next
	var re, im []float64
	for part := range 1 + b2i(h.complex && !h.logical) {
		what := [2]string{"sparse values", "sparse imaginary values"}[part]
		_, n, data, nx, err := d.tag(q, end, path)
		if err != nil {
			if nnz == 0 && q >= end { // an all-zero matrix may omit its values
				break
			}
			return nil, err
		}
		var vals []float64
		if h.logical && n == nnz {
			// MATLAB writes logical sparse values one byte each, whatever
			// the element type says (an miDOUBLE tag over nnz bytes).
			vals = make([]float64, nnz)
			for k := range vals {
				vals[k] = float64(d.buf[data+k])
			}
		} else {
			t, count, data, _, err := d.numericElem(q, end, path, what)
			if err != nil {
				return nil, err
			}
			vals = make([]float64, count)
			d.floats(vals, t, data)
		}
		if part == 0 {
			re = vals
		} else {
			im = vals
		}
		q = nx
	}
	if re == nil {
		re = []float64{}
	}
	if h.complex && !h.logical && im == nil {
		im = []float64{}
	}
	sp, err := sparseFromCSC(h.class, m, ncol, ir, jc, re, im)
	if err != nil {
		return nil, d.errf(p, path, neurotab.ErrMalformed, "sparse: %v", err)
	}
	return sp, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
