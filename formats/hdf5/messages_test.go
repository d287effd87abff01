package hdf5

import (
	"errors"
	"reflect"
	"testing"

	"github.com/neurotab/neurotab"
)

// The byte strings below are laid out by hand from the HDF5 File Format
// Specification 3.0 (section IV.A.2), field by field, little-endian.

func newTestCursor(b []byte) *cursor { return &cursor{b: b, offSz: 8, lenSz: 8} }

func TestParseDatatype(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want string
		size int
	}{
		// class 0 version 1, bit field: signed (bit 3), size 4, offset 0, precision 32
		{"int32", []byte{0x10, 0x08, 0, 0, 4, 0, 0, 0, 0, 0, 32, 0}, "int32", 4},
		// unsigned big-endian 16-bit
		{"uint16be", []byte{0x10, 0x01, 0, 0, 2, 0, 0, 0, 0, 0, 16, 0}, "uint16be", 2},
		// class 1 float: byte order LE, sign at bit 31, exp 23/8, mantissa 0/23, bias 127
		{"float32", []byte{0x11, 0x20, 31, 0, 4, 0, 0, 0, 0, 0, 32, 0, 23, 8, 0, 23, 127, 0, 0, 0}, "float32", 4},
		// class 3 string: nullpad (1), UTF-8 (1 << 4), size 6
		{"string", []byte{0x13, 0x11, 0, 0, 6, 0, 0, 0}, "str[6]", 6},
		// class 9 vlen string: type 1, base = 1-byte string
		{"vlen str", []byte{0x19, 0x01, 0x01, 0, 16, 0, 0, 0, 0x13, 0, 0, 0, 1, 0, 0, 0}, "vlen str", 16},
		// class 7 reference, object (0), size 8
		{"ref", []byte{0x17, 0, 0, 0, 8, 0, 0, 0}, "ref", 8},
		// class 10 array v3: rank 1, dim 3, base float32
		{"array", append([]byte{0x3a, 0, 0, 0, 12, 0, 0, 0, 1, 3, 0, 0, 0}, 0x11, 0x20, 31, 0, 4, 0, 0, 0, 0, 0, 32, 0, 23, 8, 0, 23, 127, 0, 0, 0), "[3]float32", 12},
		// class 8 enum v3: 2 members over int8, names "FALSE\0", "TRUE\0" unpadded, values 0, 1
		{"bool", append(append([]byte{0x38, 2, 0, 0, 1, 0, 0, 0}, 0x10, 0x08, 0, 0, 1, 0, 0, 0, 0, 0, 8, 0), append([]byte("FALSE\x00TRUE\x00"), 0, 1)...), "bool", 1},
		// class 6 compound v3: 2 members, size 16; "r" at 0 and "i" at 8 (offset
		// field 1 byte since size < 256), both float64
		{"complex", func() []byte {
			f64 := []byte{0x11, 0x20, 63, 0, 8, 0, 0, 0, 0, 0, 64, 0, 52, 11, 0, 52, 0xff, 3, 0, 0}
			b := []byte{0x36, 2, 0, 0, 16, 0, 0, 0}
			b = append(b, 'r', 0, 0)
			b = append(b, f64...)
			b = append(b, 'i', 0, 8)
			return append(b, f64...)
		}(), "compound{r float64, i float64}", 16},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cur := newTestCursor(c.in)
			dt, err := parseDatatype(cur, 0)
			if err != nil {
				t.Fatal(err)
			}
			if dt.String() != c.want || dt.Size != c.size {
				t.Errorf("got %s size %d, want %s size %d", dt, dt.Size, c.want, c.size)
			}
			if cur.p != len(c.in) {
				t.Errorf("consumed %d of %d bytes", cur.p, len(c.in))
			}
		})
	}
}

func TestParseDatatypeErrors(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"truncated", []byte{0x10, 0x08}, neurotab.ErrMalformed},
		{"version 0", []byte{0x00, 0, 0, 0, 4, 0, 0, 0}, neurotab.ErrMalformed},
		{"class 15", []byte{0x1f, 0, 0, 0, 4, 0, 0, 0}, neurotab.ErrUnsupported},
		{"huge size", []byte{0x10, 0, 0, 0, 0, 0, 0, 0x7f, 0, 0, 32, 0}, neurotab.ErrMalformed},
		{"array rank 0", []byte{0x3a, 0, 0, 0, 4, 0, 0, 0, 0}, neurotab.ErrMalformed},
		{"array size mismatch", append([]byte{0x3a, 0, 0, 0, 5, 0, 0, 0, 1, 3, 0, 0, 0}, 0x10, 0x08, 0, 0, 1, 0, 0, 0, 0, 0, 8, 0), neurotab.ErrMalformed},
		{"member beyond record", append([]byte{0x36, 1, 0, 0, 4, 0, 0, 0, 'x', 0, 2}, 0x10, 0x08, 0, 0, 4, 0, 0, 0, 0, 0, 32, 0), neurotab.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseDatatype(newTestCursor(c.in), 0)
			if !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
		})
	}
	// nesting deeper than maxTypeDepth: vlen of vlen of ...
	var deep []byte
	for i := 0; i < maxTypeDepth+2; i++ {
		deep = append(deep, 0x19, 0, 0, 0, 16, 0, 0, 0)
	}
	if _, err := parseDatatype(newTestCursor(deep), 0); !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("deep nesting error %v, want neurotab.ErrMalformed", err)
	}
}

func TestParseDataspace(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		kind SpaceKind
		dims []uint64
		max  []uint64
	}{
		// version 1: rank 2, flags 1 (max present), 5 reserved bytes, dims 3, 4, max 3, unlimited
		{"v1 simple", append([]byte{1, 2, 1, 0, 0, 0, 0, 0},
			3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0,
			3, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), SpaceSimple, []uint64{3, 4}, []uint64{3, Unlimited}},
		// version 1 rank 0 is scalar
		{"v1 scalar", []byte{1, 0, 0, 0, 0, 0, 0, 0}, SpaceScalar, nil, nil},
		// version 2: rank 1, no max, type simple, dim 7
		{"v2 simple", []byte{2, 1, 0, 1, 7, 0, 0, 0, 0, 0, 0, 0}, SpaceSimple, []uint64{7}, nil},
		{"v2 null", []byte{2, 0, 0, 2}, SpaceNull, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := parseDataspace(newTestCursor(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if s.kind != c.kind || !reflect.DeepEqual(s.dims, c.dims) && len(c.dims) > 0 || !reflect.DeepEqual(s.max, c.max) {
				t.Errorf("got %v %v %v, want %v %v %v", s.kind, s.dims, s.max, c.kind, c.dims, c.max)
			}
		})
	}
	// dims whose product overflows
	over := []byte{2, 2, 0, 1}
	for i := 0; i < 2; i++ {
		over = append(over, 0, 0, 0, 0, 0, 0, 0, 0x40)
	}
	if _, err := parseDataspace(newTestCursor(over)); !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("overflowing dataspace error %v, want neurotab.ErrMalformed", err)
	}
}

func TestParseFilters(t *testing.T) {
	// version 2: 2 filters; shuffle (id 2, flags 1, 1 value: 4); deflate
	// (id 1, flags 0, 1 value: 6)
	in := []byte{2, 2, 2, 0, 1, 0, 1, 0, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 6, 0, 0, 0}
	fs, err := parseFilters(newTestCursor(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Filter{{ID: 2, Name: "shuffle", Flags: 1, ClientData: []uint32{4}}, {ID: 1, Name: "deflate", ClientData: []uint32{6}}}
	if !reflect.DeepEqual(fs, want) {
		t.Errorf("got %+v, want %+v", fs, want)
	}
	// version 1 with a name padded to 8 and an odd value count padded
	in1 := []byte{1, 1, 0, 0, 0, 0, 0, 0, 0x00, 0x7d, 6, 0, 0, 0, 1, 0, 'l', 'z', 'f', '3', '2', 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0}
	fs, err = parseFilters(newTestCursor(in1))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].ID != 32000 || fs[0].Name != "lzf32" || !reflect.DeepEqual(fs[0].ClientData, []uint32{9}) {
		t.Errorf("got %+v", fs)
	}
}

func TestParseLayout(t *testing.T) {
	cases := []struct {
		name  string
		in    []byte
		class LayoutClass
		chunk []uint64
		index ChunkIndex
	}{
		// v3 contiguous: address 0x100, size 0x40
		{"v3 contiguous", []byte{3, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0}, LayoutContiguous, nil, 0},
		// v3 chunked: rank 3 (2 dims + element size), address, dims 16, 8, 4
		{"v3 chunked", []byte{3, 2, 3, 0, 2, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 8, 0, 0, 0, 4, 0, 0, 0}, LayoutChunked, []uint64{16, 8}, IndexBTreeV1},
		// v4 chunked, fixed array: flags 0, rank 2, 2-byte dims 32, 4; index 3, page bits 10, address
		{"v4 fixed array", []byte{4, 2, 0, 2, 2, 32, 0, 4, 0, 3, 10, 0, 3, 0, 0, 0, 0, 0, 0}, LayoutChunked, []uint64{32}, IndexFixedArray},
		// v3 compact: 2 bytes of data
		{"v3 compact", []byte{3, 0, 2, 0, 0xaa, 0xbb}, LayoutCompact, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := parseLayout(newTestCursor(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if l.Class != c.class || !reflect.DeepEqual(l.Chunk, c.chunk) || l.Index != c.index {
				t.Errorf("got %v %v %v, want %v %v %v", l.Class, l.Chunk, l.Index, c.class, c.chunk, c.index)
			}
		})
	}
	if _, err := parseLayout(newTestCursor([]byte{3, 3})); !errors.Is(err, neurotab.ErrUnsupported) {
		t.Errorf("virtual layout error %v, want neurotab.ErrUnsupported", err)
	}
	if _, err := parseLayout(newTestCursor([]byte{3, 2, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0})); !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("zero chunk dim error %v, want neurotab.ErrMalformed", err)
	}
}

func TestCursorBounds(t *testing.T) {
	c := newTestCursor([]byte{1, 2, 3})
	if c.u16() != 0x0201 || c.err != nil {
		t.Fatal("u16")
	}
	if c.u32() != 0 || !errors.Is(c.err, neurotab.ErrMalformed) {
		t.Errorf("reading past the end: %v", c.err)
	}
	c = newTestCursor([]byte{'a', 'b'})
	if c.cstring() != "" || !errors.Is(c.err, neurotab.ErrMalformed) {
		t.Errorf("unterminated string: %v", c.err)
	}
	c = newTestCursor([]byte{0xff, 0xff, 0xff, 0xff})
	c.offSz = 4
	if c.addr() != undefAddr {
		t.Error("4-byte all-ones address is not undefined")
	}
}

func TestCopyBox(t *testing.T) {
	// source 3x4 (values = index), copy the 2x2 block at (1,2) to (0,0) of a 2x2 destination
	src := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	dst := make([]byte, 4)
	copyBox(dst, []uint64{2, 2}, []uint64{0, 0}, src, []uint64{3, 4}, []uint64{1, 2}, []uint64{2, 2}, 1)
	if !reflect.DeepEqual(dst, []byte{6, 7, 10, 11}) {
		t.Errorf("got %v, want [6 7 10 11]", dst)
	}
}
