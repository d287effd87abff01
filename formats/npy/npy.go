package npy

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/neurotab/neurotab"
)

// Magic is the 6-byte prefix of every .npy file.
const Magic = "\x93NUMPY"

// MaxHeaderLen bounds the header dictionary length accepted by Read
// (NumPy itself refuses headers over 10000 bytes by default).
const MaxHeaderLen = 1 << 20

// Error says where reading a .npy file failed, on one line:
//
//	F.npy: data at offset 128: shape [3 4] of <f8 needs 96 bytes, file has 20: truncated
//
// Err wraps a sentinel of package neurotab: ErrMalformed (ErrTruncated for
// a file that ends inside the preamble, header or data), ErrUnsupported
// (object/pickled arrays, structured or complex dtypes, format versions
// other than 1–3) or ErrTooLarge (a shape whose byte count overflows, a
// header longer than MaxHeaderLen).
type Error struct {
	File   string // file name given to Open, NewReader or Read
	Path   string // header field ("magic", "version", "header_len", "header", "descr", "fortran_order", "shape") or "data"
	Offset int64  // byte offset in the file
	Err    error  // cause, wrapping a neurotab sentinel
}

// Error formats the error as "file: field at offset N: cause".
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s at offset %d: %v", e.File, e.Path, e.Offset, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Array is one decoded .npy array.
type Array struct {
	Shape        []int  // NumPy shape; empty for a 0-d scalar
	Dtype        string // the header's descr, e.g. "<f4", ">f8", "|b1"
	FortranOrder bool   // the file stored the data column-major
	Major, Minor int    // format version

	// data holds the elements in file order as a typed slice:
	// []float32 (also for f2), []float64, []int8, []int16, []int32,
	// []int64, []uint8, []uint16, []uint32, []uint64 or []bool.
	data any
}

// Len returns the number of elements.
func (a *Array) Len() int { return numel(a.Shape) }

// Data returns the elements as a typed slice in the order stored in the file
// (column-major when FortranOrder); float16 data is widened to []float32.
func (a *Array) Data() any { return a.data }

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Open reads the .npy file at path; its size bounds every length read from
// the header.
func Open(path string) (*Array, error) {
	return withFile(path, func(r io.Reader, size int64) (*Array, error) { return read(r, path, size) })
}

// withFile runs fn on the buffered file at path and its size.
func withFile[T any](path string, fn func(r io.Reader, size int64) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		var zero T
		return zero, err
	}
	return fn(bufio.NewReaderSize(f, 1<<16), st.Size())
}

// NewReader reads a .npy file of the given size from r; name is used in
// error messages. Like Open, it checks the shape against size before
// allocating.
func NewReader(r io.ReaderAt, size int64, name string) (*Array, error) {
	return read(bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 1<<16), name, size)
}

// Read reads one .npy array from a stream r of unknown size (a pipe, an
// archive member); name is used in error messages. The data buffer grows
// with the bytes that actually arrive, so a corrupt shape cannot force a
// large allocation.
func Read(r io.Reader, name string) (*Array, error) {
	return read(r, name, -1)
}

type dtypeInfo struct {
	kind  byte // 'f', 'i', 'u', 'b'
	size  int
	order binary.ByteOrder
}

func parseDescr(d string) (dtypeInfo, bool) {
	if len(d) < 3 {
		return dtypeInfo{}, false
	}
	var t dtypeInfo
	switch d[0] {
	case '<', '|', '=':
		t.order = binary.LittleEndian
	case '>':
		t.order = binary.BigEndian
	default:
		return t, false
	}
	t.kind = d[1]
	n, err := strconv.Atoi(d[2:])
	if err != nil {
		return t, false
	}
	t.size = n
	switch {
	case t.kind == 'f' && (n == 2 || n == 4 || n == 8),
		(t.kind == 'i' || t.kind == 'u') && (n == 1 || n == 2 || n == 4 || n == 8),
		t.kind == 'b' && n == 1:
		return t, true
	}
	return t, false
}

// Header is what the preamble and header dictionary of a .npy file say,
// without the data.
type Header struct {
	Shape        []int  // NumPy shape; empty for a 0-d scalar
	Dtype        string // the header's descr, e.g. "<f4"
	FortranOrder bool   // the data is stored column-major
	Major, Minor int    // format version
	DataOffset   int64  // byte offset of the first element: preamble plus header
	DataBytes    int64  // bytes the shape and dtype need
}

// OpenHeader reads the header of the .npy file at path without its data and
// checks that the file holds the DataBytes the header needs. It fails as
// Open does (an *Error naming the field and offset) for every fault of the
// preamble, header or data size.
func OpenHeader(path string) (*Header, error) {
	return withFile(path, func(r io.Reader, size int64) (*Header, error) {
		a, _, off, n, err := readHeader(r, path, size)
		if err != nil {
			return nil, err
		}
		return &Header{Shape: a.Shape, Dtype: a.Dtype, FortranOrder: a.FortranOrder, Major: a.Major, Minor: a.Minor, DataOffset: off, DataBytes: n}, nil
	})
}

func read(r io.Reader, name string, size int64) (*Array, error) {
	a, dt, dataOff, nbytes, err := readHeader(r, name, size)
	if err != nil {
		return nil, err
	}
	raw, err := readBounded(r, nbytes, size >= 0)
	if err != nil {
		return nil, &Error{File: name, Path: "data", Offset: dataOff + int64(len(raw)), Err: fmt.Errorf("shape %v of %s needs %d bytes, %d present: %w", a.Shape, a.Dtype, nbytes, len(raw), short(err))}
	}
	a.data = decode(raw, dt, int(nbytes/int64(dt.size)))
	return a, nil
}

// readHeader reads the preamble and header of a .npy stream and returns the
// array without data, its dtype, the data offset and the data byte count
// (checked against size when size ≥ 0).
func readHeader(r io.Reader, name string, size int64) (*Array, dtypeInfo, int64, int64, error) {
	ferr := func(field string, off int64, sentinel error, format string, args ...any) error {
		return &Error{File: name, Path: field, Offset: off, Err: fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), sentinel)}
	}
	var pre [12]byte
	if n, err := io.ReadFull(r, pre[:10]); err != nil {
		return nil, dtypeInfo{}, 0, 0, ferr("magic", int64(n), short(err), "file of %d bytes, shorter than the 10-byte preamble", n)
	}
	if string(pre[:6]) != Magic {
		return nil, dtypeInfo{}, 0, 0, ferr("magic", 0, neurotab.ErrMalformed, "no %q magic", Magic)
	}
	a := &Array{Major: int(pre[6]), Minor: int(pre[7])}
	var hlen int64
	off := int64(10)
	switch a.Major {
	case 1:
		hlen = int64(binary.LittleEndian.Uint16(pre[8:10]))
	case 2, 3:
		if _, err := io.ReadFull(r, pre[10:12]); err != nil {
			return nil, dtypeInfo{}, 0, 0, ferr("header_len", 10, short(err), "header length cut short")
		}
		hlen = int64(binary.LittleEndian.Uint32(pre[8:12]))
		off = 12
	default:
		return nil, dtypeInfo{}, 0, 0, ferr("version", 6, neurotab.ErrUnsupported, "format version %d.%d", a.Major, a.Minor)
	}
	if hlen > MaxHeaderLen {
		return nil, dtypeInfo{}, 0, 0, ferr("header_len", 8, neurotab.ErrTooLarge, "header length %d exceeds the limit of %d", hlen, MaxHeaderLen)
	}
	if size >= 0 && hlen > size-off {
		return nil, dtypeInfo{}, 0, 0, ferr("header_len", 8, neurotab.ErrTruncated, "header length %d, file has %d bytes after the preamble", hlen, size-off)
	}
	hbuf := make([]byte, hlen)
	if n, err := io.ReadFull(r, hbuf); err != nil {
		return nil, dtypeInfo{}, 0, 0, ferr("header", off+int64(n), short(err), "header declares %d bytes, %d present", hlen, n)
	}
	var header string
	if a.Major == 3 {
		if !utf8.Valid(hbuf) {
			return nil, dtypeInfo{}, 0, 0, ferr("header", off, neurotab.ErrMalformed, "version 3 header is not UTF-8")
		}
		header = string(hbuf)
	} else { // latin-1
		rs := make([]rune, len(hbuf))
		for i, b := range hbuf {
			rs[i] = rune(b)
		}
		header = string(rs)
	}
	dict, err := parseDict(header)
	if err != nil {
		return nil, dtypeInfo{}, 0, 0, ferr("header", off, neurotab.ErrMalformed, "%v", err)
	}
	descr, ok := dict["descr"].(string)
	if !ok {
		if _, isList := dict["descr"].([]any); isList {
			return nil, dtypeInfo{}, 0, 0, ferr("descr", off, neurotab.ErrUnsupported, "structured dtype (record array)")
		}
		return nil, dtypeInfo{}, 0, 0, ferr("descr", off, neurotab.ErrMalformed, "missing or non-string 'descr'")
	}
	a.Dtype = descr
	fo, ok := dict["fortran_order"].(bool)
	if !ok {
		return nil, dtypeInfo{}, 0, 0, ferr("fortran_order", off, neurotab.ErrMalformed, "missing or non-boolean 'fortran_order'")
	}
	a.FortranOrder = fo
	shape, ok := dict["shape"].([]any)
	if !ok {
		return nil, dtypeInfo{}, 0, 0, ferr("shape", off, neurotab.ErrMalformed, "missing or non-tuple 'shape'")
	}
	a.Shape = make([]int, len(shape))
	count := int64(1)
	for i, s := range shape {
		d, ok := s.(int64)
		if !ok || d < 0 {
			return nil, dtypeInfo{}, 0, 0, ferr("shape", off, neurotab.ErrMalformed, "dimension %d is %v", i, s)
		}
		if d != 0 && count > math.MaxInt64/8/d {
			return nil, dtypeInfo{}, 0, 0, ferr("shape", off, neurotab.ErrTooLarge, "shape %v overflows", shape)
		}
		count *= d
		a.Shape[i] = int(d)
	}
	if strings.Contains(descr, "O") {
		return nil, dtypeInfo{}, 0, 0, ferr("descr", off, neurotab.ErrUnsupported, "object array (dtype %q) holds pickled Python objects; re-save it as a numeric array", descr)
	}
	dt, ok := parseDescr(descr)
	if !ok {
		return nil, dtypeInfo{}, 0, 0, ferr("descr", off, neurotab.ErrUnsupported, "dtype %q (supported: f2 f4 f8, i1–i8, u1–u8, b1)", descr)
	}
	dataOff := off + hlen
	nbytes := count * int64(dt.size)
	if size >= 0 && nbytes > size-dataOff {
		return nil, dtypeInfo{}, 0, 0, ferr("data", dataOff, neurotab.ErrTruncated, "shape %v of %s needs %d bytes, file has %d", a.Shape, descr, nbytes, size-dataOff)
	}
	return a, dt, dataOff, nbytes, nil
}

// short is the sentinel of a read that stopped early: ErrTruncated at the
// end of the input, the read error itself (with ErrMalformed) otherwise.
func short(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return neurotab.ErrTruncated
	}
	return fmt.Errorf("%w: %w", err, neurotab.ErrMalformed)
}

// readBounded reads exactly n bytes. Unless the size was checked against
// the file (trusted), the buffer grows with the data that actually arrives,
// so a corrupt shape cannot force a huge allocation.
func readBounded(r io.Reader, n int64, trusted bool) ([]byte, error) {
	const step = 1 << 20
	first := n
	if !trusted {
		first = min(n, step)
	}
	buf := make([]byte, 0, first)
	for int64(len(buf)) < n {
		if len(buf) == cap(buf) {
			nb := make([]byte, len(buf), int64(len(buf))+min(n-int64(len(buf)), int64(cap(buf))))
			copy(nb, buf)
			buf = nb
		}
		m, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func decode(b []byte, t dtypeInfo, n int) any {
	o := t.order
	switch {
	case t.kind == 'b':
		out := make([]bool, n)
		for i := range out {
			out[i] = b[i] != 0
		}
		return out
	case t.kind == 'f' && t.size == 2:
		out := make([]float32, n)
		for i := range out {
			out[i] = halfToFloat32(o.Uint16(b[2*i:]))
		}
		return out
	case t.kind == 'f' && t.size == 4:
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(o.Uint32(b[4*i:]))
		}
		return out
	case t.kind == 'f':
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(o.Uint64(b[8*i:]))
		}
		return out
	case t.kind == 'i' && t.size == 1:
		out := make([]int8, n)
		for i := range out {
			out[i] = int8(b[i])
		}
		return out
	case t.kind == 'i' && t.size == 2:
		out := make([]int16, n)
		for i := range out {
			out[i] = int16(o.Uint16(b[2*i:]))
		}
		return out
	case t.kind == 'i' && t.size == 4:
		out := make([]int32, n)
		for i := range out {
			out[i] = int32(o.Uint32(b[4*i:]))
		}
		return out
	case t.kind == 'i':
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(o.Uint64(b[8*i:]))
		}
		return out
	case t.size == 1:
		return append([]uint8(nil), b[:n]...)
	case t.size == 2:
		out := make([]uint16, n)
		for i := range out {
			out[i] = o.Uint16(b[2*i:])
		}
		return out
	case t.size == 4:
		out := make([]uint32, n)
		for i := range out {
			out[i] = o.Uint32(b[4*i:])
		}
		return out
	default:
		out := make([]uint64, n)
		for i := range out {
			out[i] = o.Uint64(b[8*i:])
		}
		return out
	}
}

// halfToFloat32 converts an IEEE 754 binary16 value.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp == 0:
		if frac == 0 {
			return math.Float32frombits(sign)
		}
		// Subnormal: value = frac × 2^-24.
		v := float32(frac) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}
