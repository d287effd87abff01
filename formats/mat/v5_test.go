package mat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
)

func decodeBytes(b []byte, name string) (*File, error) {
	return NewReader(bytes.NewReader(b), int64(len(b)), name)
}

// TestRoundTripDouble writes a 3×4 double matrix with the test encoder in
// both byte orders, plain and compressed, and reads it back. Expected
// values: element (r, c) = 10r + c by construction.
func TestRoundTripDouble(t *testing.T) {
	vals := make([]float64, 12) // column-major
	for c := range 4 {
		for r := range 3 {
			vals[r+3*c] = float64(10*r + c)
		}
	}
	for _, tc := range []struct {
		name     string
		order    binary.ByteOrder
		compress bool
	}{
		{"le", binary.LittleEndian, false},
		{"be", binary.BigEndian, false},
		{"le-compressed", binary.LittleEndian, true},
		{"be-compressed", binary.BigEndian, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := enc{tc.order}
			el := e.double("m", []int32{3, 4}, vals)
			if tc.compress {
				el = e.compress(el)
			}
			f, err := decodeBytes(e.file(el, e.double("after", []int32{1, 1}, []float64{-2.5})), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Names(); !equalStrings(got, []string{"m", "after"}) {
				t.Fatalf("names %q", got)
			}
			if vi := f.Variables()[0]; vi.Compressed != tc.compress || vi.Class != ClassDouble || !equalInts(vi.Dims, []int{3, 4}) {
				t.Errorf("VarInfo %+v", vi)
			}
			v, err := f.Var("m")
			if err != nil {
				t.Fatal(err)
			}
			rm := v.(*Numeric).RowMajor()
			for r := range 3 {
				for c := range 4 {
					if got := rm[r*4+c]; got != float64(10*r+c) {
						t.Errorf("(%d,%d) = %v, want %d", r, c, got, 10*r+c)
					}
				}
			}
			a, err := f.Lookup("after")
			if err != nil {
				t.Fatal(err)
			}
			if s, err := a.(*Numeric).Scalar(); err != nil || s != -2.5 {
				t.Errorf("after = %v, %v; want -2.5", s, err)
			}
		})
	}
}

// TestRowMajor checks the column-major → row-major conversion against the
// index formulas: column-major linear index i + d0*j + d0*d1*k, row-major
// (i*d1 + j)*d2 + k.
func TestRowMajor(t *testing.T) {
	for _, dims := range [][]int{{1, 1}, {1, 5}, {5, 1}, {3, 4}, {2, 3, 4}, {2, 1, 3, 2}, {0, 3}} {
		t.Run(dimString(dims), func(t *testing.T) {
			n := numel(dims)
			col := make([]int, n)
			for i := range col {
				col[i] = i
			}
			got := RowMajor(dims, col)
			// Enumerate multi-indices in row-major order with an odometer
			// (last index fastest) and compute the column-major index.
			idx := make([]int, len(dims))
			for o := range n {
				cm, stride := 0, 1
				for k, d := range dims {
					cm += idx[k] * stride
					stride *= d
				}
				if got[o] != cm {
					t.Fatalf("out[%d] = %d, want %d (index %v)", o, got[o], cm, idx)
				}
				for k := len(dims) - 1; k >= 0; k-- {
					if idx[k]++; idx[k] < dims[k] {
						break
					}
					idx[k] = 0
				}
			}
		})
	}
}

func sampleTree() *Struct {
	ch := func(s string) *Char {
		c := &Char{Shape: []int{1, len(s)}}
		for _, r := range s {
			c.Data = append(c.Data, uint16(r))
		}
		return c
	}
	num := func(v ...float64) *Numeric { return &Numeric{Type: ClassDouble, Shape: []int{1, len(v)}, Real: v} }
	trials := &Struct{Shape: []int{1, 2}, Fields: []string{"x"}, Values: []Value{num(1), num(2, 3)}}
	ids := &Cell{Shape: []int{1, 3}, Elems: []Value{ch("AVAL"), &Numeric{Type: ClassDouble, Shape: []int{0, 0}, Real: []float64{}},
		&Cell{Shape: []int{1, 2}, Elems: []Value{ch("DA01"), ch("DA1")}}}}
	return &Struct{Shape: []int{1, 1}, Fields: []string{"trials", "ids", "fps"}, Values: []Value{trials, ids, num(2.5)}}
}

func TestLookup(t *testing.T) {
	root := sampleTree()
	for _, tc := range []struct {
		path string
		want string // String() of a char, or the first number
		err  error
	}{
		{"fps", "2.5", nil},
		{"trials(2).x", "2", nil},
		{"ids{1}", "AVAL", nil},
		{"ids{3}{2}", "DA1", nil},
		{"ids{2}", "", nil},
		{"nope", "", neurotab.ErrNotFound},
		{"trials.x", "", neurotab.ErrType}, // a 1×2 struct array needs an index
		{"ids(1)", "", neurotab.ErrType},
		{"ids{4}", "", neurotab.ErrNotFound},
		{"fps.a", "", neurotab.ErrType},
		{"ids{0}", "", neurotab.ErrNotFound},
		{"ids{1", "", neurotab.ErrNotFound},
	} {
		t.Run(tc.path, func(t *testing.T) {
			v, err := Lookup(root, tc.path)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got string
			switch v := v.(type) {
			case *Char:
				got = v.String()
			case *Numeric:
				if len(v.Real) > 0 {
					got = strconv.FormatFloat(v.Real[0], 'g', -1, 64)
				}
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestStrings(t *testing.T) {
	ids, _ := Lookup(sampleTree(), "ids{3}")
	got, err := Strings(ids)
	if err != nil || !equalStrings(got, []string{"DA01", "DA1"}) {
		t.Errorf("cellstr: %q, %v", got, err)
	}
	// 2×3 char matrix ["ab ";"cde"] stored column-major: a c b d ' ' e.
	cm := &Char{Shape: []int{2, 3}, Data: []uint16{'a', 'c', 'b', 'd', ' ', 'e'}}
	if rows := cm.Rows(); !equalStrings(rows, []string{"ab ", "cde"}) {
		t.Errorf("rows %q", rows)
	}
	if got, _ := Strings(cm); !equalStrings(got, []string{"ab", "cde"}) {
		t.Errorf("Strings(char matrix) %q", got)
	}
	if _, err := Strings(sampleTree()); !errors.Is(err, neurotab.ErrType) {
		t.Errorf("Strings(struct) err %v", err)
	}
	all, _ := Lookup(sampleTree(), "ids")
	if _, err := Strings(all); !errors.Is(err, neurotab.ErrType) {
		t.Errorf("Strings(cell with a nested cell) err %v, want neurotab.ErrType", err)
	}
}

// TestSparseToDense: duplicates add up (MATLAB's sparse(i,j,v) semantics),
// out-of-range coordinates are an error, logical gives *Logical.
func TestSparseToDense(t *testing.T) {
	s := &Sparse{Type: ClassDouble, Shape: []int{2, 3}, Rows: []int{1, 0, 0}, Cols: []int{0, 2, 2}, Real: []float64{4, 1, 2}}
	d, err := s.ToDense()
	if err != nil {
		t.Fatal(err)
	}
	// Dense [0 0 3; 4 0 0] column-major: 0 4 0 0 3 0.
	want := []float64{0, 4, 0, 0, 3, 0}
	got, _ := Float64s(d)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("dense %v, want %v", got, want)
		}
	}
	s.Rows[0] = 2
	if _, err := s.ToDense(); !errors.Is(err, neurotab.ErrType) {
		t.Errorf("out-of-range row: err %v", err)
	}
	l := &Sparse{Type: ClassLogical, Shape: []int{1, 2}, Rows: []int{0}, Cols: []int{1}, Real: []float64{1}}
	lv, err := l.ToDense()
	if lg, ok := lv.(*Logical); err != nil || !ok || lg.Data[0] || !lg.Data[1] {
		t.Errorf("logical dense %#v, %v", lv, err)
	}
	big := &Sparse{Type: ClassDouble, Shape: []int{1 << 20, 1 << 20}}
	if _, err := big.ToDense(); !errors.Is(err, neurotab.ErrTooLarge) {
		t.Errorf("huge ToDense err %v", err)
	}
}

// TestUnsupportedNotFatal: a function handle variable comes back as
// *Unsupported with neurotab.ErrUnsupported, and the next variable still reads.
func TestUnsupportedNotFatal(t *testing.T) {
	e := enc{binary.LittleEndian}
	fh := e.matrix(16, 0, []int32{1, 1}, "fh")
	b := e.file(fh, e.double("x", []int32{1, 1}, []float64{7}))
	f, err := decodeBytes(b, "fh.mat")
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.Var("fh")
	if !errors.Is(err, neurotab.ErrUnsupported) {
		t.Errorf("fh: err %v, want neurotab.ErrUnsupported", err)
	}
	if u, ok := v.(*Unsupported); !ok || u.Class() != ClassFunctionHandle {
		t.Errorf("fh: %#v", v)
	}
	// An MCOS object (mxOPAQUE_CLASS): flags, name, type system, class
	// name, then its data; reported as unsupported with the class name.
	flags := make([]byte, 8)
	binary.LittleEndian.PutUint32(flags, 17)
	var p []byte
	p = append(p, e.el(miUINT32, flags)...)
	p = append(p, e.el(miINT8, []byte("tbl"))...)
	p = append(p, e.el(miINT8, []byte("MCOS"))...)
	p = append(p, e.el(miINT8, []byte("table"))...)
	p = append(p, e.double("", []int32{1, 1}, []float64{0})...)
	f2, err := decodeBytes(e.file(e.el(miMATRIX, p), e.double("y", []int32{1, 1}, []float64{8})), "mcos.mat")
	if err != nil {
		t.Fatal(err)
	}
	if vi := f2.Variables()[0]; vi.Name != "tbl" || vi.Class != ClassOpaque {
		t.Errorf("MCOS VarInfo %+v", vi)
	}
	tv, err := f2.Var("tbl")
	if u, ok := tv.(*Unsupported); !errors.Is(err, neurotab.ErrUnsupported) || !ok || u.ClassName != "table" {
		t.Errorf("MCOS: %#v, %v", tv, err)
	}
	if y, err := f2.Var("y"); err != nil || y.(*Numeric).Real[0] != 8 {
		t.Errorf("y after MCOS: %v, %v", y, err)
	}

	x, err := f.Var("x")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := Float64s(x); len(got) != 1 || got[0] != 7 {
		t.Errorf("x = %v, want [7]", got)
	}
	if _, err := f.Var("missing"); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("missing: err %v", err)
	}
}

// TestMalformed: each damaged input gives an error wrapping the stated
// sentinel and naming the file and an offset, never a panic.
func TestMalformed(t *testing.T) {
	e := enc{binary.LittleEndian}
	good := e.double("x", []int32{2, 2}, []float64{1, 2, 3, 4})
	hdr := e.header("MATLAB 5.0 MAT-file")
	withTag := func(typ, n uint32) []byte {
		b := make([]byte, 8)
		binary.LittleEndian.PutUint32(b, typ)
		binary.LittleEndian.PutUint32(b[4:], n)
		return b
	}
	// A compressed element declaring a 1 GB inner matrix from a few bytes.
	bomb := e.compress(withTag(miMATRIX, 1<<30))
	deep := e.double("", []int32{0, 0}, nil)
	for range maxDepth + 2 {
		deep = e.matrix(1, 0, []int32{1, 1}, "", deep)
	}
	for _, tc := range []struct {
		name string
		data []byte
		err  error
	}{
		{"short", hdr[:100], neurotab.ErrTruncated},
		{"v4", append([]byte{0, 0, 0, 0}, make([]byte, 200)...), neurotab.ErrUnsupported},
		{"past-end", append(append([]byte{}, hdr...), withTag(miMATRIX, 5000)...), neurotab.ErrTruncated},
		{"top-level-double", e.file(e.el(miDOUBLE, make([]byte, 8))), neurotab.ErrMalformed},
		{"too-few-values", e.file(e.double("x", []int32{3, 3}, []float64{1, 2})), neurotab.ErrMalformed},
		{"negative-dim", e.file(e.double("x", []int32{-1, 3}, nil)), neurotab.ErrMalformed},
		{"huge-dims", e.file(e.double("x", []int32{1 << 30, 1 << 30, 1 << 30}, nil)), neurotab.ErrTooLarge},
		{"huge-cell", e.file(e.matrix(1, 0, []int32{1 << 30, 1}, "c")), neurotab.ErrMalformed},
		{"bad-class", e.file(e.matrix(40, 0, []int32{1, 1}, "c")), neurotab.ErrMalformed},
		{"bad-char", e.file(e.matrix(4, 0, []int32{1, 3}, "c", e.el(miUTF8, []byte{0xff, 0xfe, 0x41}))), neurotab.ErrMalformed},
		{"truncated-compressed", e.file(e.compress(good)[:30]), neurotab.ErrTruncated},
		{"bomb", e.file(bomb), neurotab.ErrTooLarge},
		{"deep", e.file(deep), neurotab.ErrTooLarge},
		{"sparse-bad-row", e.file(e.matrix(5, 0, []int32{2, 1}, "s",
			e.el(miINT32, e.i32s(5)), e.el(miINT32, e.i32s(0, 1)), e.el(miDOUBLE, e.f64s([]float64{1})))), neurotab.ErrMalformed},
		{"sparse-bad-jc", e.file(e.matrix(5, 0, []int32{2, 1}, "s",
			e.el(miINT32, e.i32s(0)), e.el(miINT32, e.i32s(0, 9)), e.el(miDOUBLE, e.f64s([]float64{1})))), neurotab.ErrMalformed},
		{"struct-bad-fnl", e.file(e.matrix(2, 0, []int32{1, 1}, "s", e.small(miINT32, e.i32s(0)), e.el(miINT8, []byte("ab")))), neurotab.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := decodeBytes(tc.data, tc.name+".mat")
			if err == nil {
				for _, n := range f.Names() {
					if _, err = f.Var(n); err != nil {
						break
					}
				}
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.name+".mat") || !strings.Contains(msg, "offset") {
				t.Errorf("message %q lacks file name or offset", msg)
			}
		})
	}
}

// TestDamagedVariableIsolated: a compressed variable with a broken zlib
// stream fails on its own; the variables after it still read.
func TestDamagedVariableIsolated(t *testing.T) {
	e := enc{binary.LittleEndian}
	bad := e.compress(e.double("bad", []int32{1, 1}, []float64{1}))
	bad[len(bad)-1] ^= 0xff // corrupt the Adler-32 checksum
	f, err := decodeBytes(e.file(bad, e.double("good", []int32{1, 1}, []float64{3})), "damaged.mat")
	if err != nil {
		t.Fatal(err)
	}
	if vi := f.Variables()[0]; vi.Err == nil || !errors.Is(vi.Err, neurotab.ErrMalformed) {
		t.Errorf("VarInfo.Err = %v, want neurotab.ErrMalformed", vi.Err)
	}
	if _, err := f.Var(""); !errors.Is(err, neurotab.ErrChecksum) || !errors.Is(err, neurotab.ErrMalformed) || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("bad variable: err %v", err)
	}
	if v, err := f.Var("good"); err != nil || v.(*Numeric).Real[0] != 3 {
		t.Errorf("good = %v, %v; want 3", v, err)
	}
}

func TestSniff(t *testing.T) {
	read := func(elem ...string) []byte {
		b, err := os.ReadFile(fixtures.Path(t, elem...))
		if err != nil {
			t.Fatal(err)
		}
		return b[:HeaderSize]
	}
	v5 := read("reference-made", "mat_v5", "v5_types.mat")
	be := read("reference-made", "mat_v5", "v5_matlab_style_be.mat")
	v73 := read("reference-made", "mat_v73", "v73_types.mat")
	v73m := read("reference-made", "mat_v73", "matlab_written", "testhdf5_7.4_GLNX86.mat")
	for _, tc := range []struct {
		name    string
		h       []byte
		v5, v73 bool
	}{
		{"v5", v5, true, false},
		{"v5-big-endian", be, true, false},
		{"v73-hdf5storage", v73, false, true},
		{"v73-matlab", v73m, false, true},
		{"short", v5[:64], false, false},
		{"zeros", make([]byte, HeaderSize), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if IsV5(tc.h) != tc.v5 || IsV73(tc.h) != tc.v73 {
				t.Errorf("IsV5 %v IsV73 %v, want %v %v", IsV5(tc.h), IsV73(tc.h), tc.v5, tc.v73)
			}
		})
	}
	// Open dispatches on the header: the v7.3 file goes to the HDF5-based
	// reader, the v5 file to the v5 reader.
	for _, tc := range []struct {
		elem []string
		want Version
	}{
		{[]string{"reference-made", "mat_v73", "v73_types.mat"}, V73},
		{[]string{"reference-made", "mat_v5", "v5_types.mat"}, V5},
	} {
		f, err := Open(fixtures.Path(t, tc.elem...))
		if err != nil {
			t.Fatalf("Open(%s): %v", tc.elem[len(tc.elem)-1], err)
		}
		if f.Version() != tc.want {
			t.Errorf("%s: Version %v, want %v", tc.elem[len(tc.elem)-1], f.Version(), tc.want)
		}
		f.Close()
	}
}

func TestClassNames(t *testing.T) {
	for c := ClassDouble; c <= ClassOpaque; c++ {
		got, ok := ParseClass(c.String())
		if !ok || got != c {
			t.Errorf("ParseClass(%q) = %v, %v", c.String(), got, ok)
		}
	}
	if _, ok := ParseClass("sparse"); ok {
		t.Error("ParseClass(sparse) succeeded")
	}
	if !ClassUint64.IsNumeric() || ClassLogical.IsNumeric() || ClassChar.IsNumeric() {
		t.Error("IsNumeric")
	}
}
