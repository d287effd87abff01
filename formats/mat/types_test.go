package mat

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"unicode/utf16"

	"github.com/neurotab/neurotab"
)

// order is a byte order that can also append.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// TestStoredTypes writes each numeric class with data in each storage type
// MATLAB may use (a narrower type than the class) in both byte orders, and
// checks the values come back exactly as the class holds them. The stored
// values [-3, 0, 7, 100] fit every signed type; unsigned storage uses
// [0, 3, 7, 100]. Expected: the same numbers (closed form), rounded to
// float32 for class single.
func TestStoredTypes(t *testing.T) {
	type store struct {
		name string
		mi   uint32
		put  func(o order, v float64) []byte
	}
	stores := []store{
		{"miINT8", miINT8, func(_ order, v float64) []byte { return []byte{byte(int8(v))} }},
		{"miUINT8", miUINT8, func(_ order, v float64) []byte { return []byte{byte(v)} }},
		{"miINT16", miINT16, func(o order, v float64) []byte { return o.AppendUint16(nil, uint16(int16(v))) }},
		{"miUINT16", miUINT16, func(o order, v float64) []byte { return o.AppendUint16(nil, uint16(v)) }},
		{"miINT32", miINT32, func(o order, v float64) []byte { return o.AppendUint32(nil, uint32(int32(v))) }},
		{"miUINT32", miUINT32, func(o order, v float64) []byte { return o.AppendUint32(nil, uint32(v)) }},
		{"miINT64", miINT64, func(o order, v float64) []byte { return o.AppendUint64(nil, uint64(int64(v))) }},
		{"miUINT64", miUINT64, func(o order, v float64) []byte { return o.AppendUint64(nil, uint64(v)) }},
		{"miSINGLE", miSINGLE, func(o order, v float64) []byte { return o.AppendUint32(nil, math.Float32bits(float32(v))) }},
		{"miDOUBLE", miDOUBLE, func(o order, v float64) []byte { return o.AppendUint64(nil, math.Float64bits(v)) }},
	}
	classes := []struct {
		c  Class
		mx byte
	}{{ClassDouble, 6}, {ClassSingle, 7}, {ClassInt8, 8}, {ClassUint8, 9}, {ClassInt16, 10}, {ClassUint16, 11},
		{ClassInt32, 12}, {ClassUint32, 13}, {ClassInt64, 14}, {ClassUint64, 15}}
	for _, o := range []order{binary.LittleEndian, binary.BigEndian} {
		for _, st := range stores {
			for _, cl := range classes {
				t.Run(o.String()+"/"+st.name+"/"+cl.c.String(), func(t *testing.T) {
					vals := []float64{-3, 0, 7, 100}
					if st.name[2] == 'U' || cl.c == ClassUint8 || cl.c == ClassUint16 || cl.c == ClassUint32 || cl.c == ClassUint64 {
						vals = []float64{0, 3, 7, 100}
					}
					var payload []byte
					for _, v := range vals {
						payload = append(payload, st.put(o, v)...)
					}
					e := enc{o}
					var data []byte
					if len(payload) <= 4 {
						data = e.small(st.mi, payload)
					} else {
						data = e.el(st.mi, payload)
					}
					b := e.file(e.matrix(cl.mx, 0, []int32{2, 2}, "v", data))
					f, err := decodeBytes(b, "types.mat")
					if err != nil {
						t.Fatal(err)
					}
					v, err := f.Var("v")
					if err != nil {
						t.Fatal(err)
					}
					n := v.(*Numeric)
					if n.Type != cl.c {
						t.Fatalf("class %s, want %s", n.Type, cl.c)
					}
					for i, w := range vals {
						if n.Real[i] != w {
							t.Errorf("[%d] = %v, want %v", i, n.Real[i], w)
						}
						if cl.c == ClassInt64 && n.Int64[i] != int64(w) {
							t.Errorf("Int64[%d] = %v, want %v", i, n.Int64[i], w)
						}
						if cl.c == ClassUint64 && n.Uint64[i] != uint64(w) {
							t.Errorf("Uint64[%d] = %v, want %v", i, n.Uint64[i], w)
						}
					}
				})
			}
		}
	}
}

// TestCharEncodings: the same text in each char storage MATLAB and others
// use. "AΔ😀" is 3 runes but 4 UTF-16 code units (the emoji is a surrogate
// pair), so a 1×4 char array in MATLAB's terms.
func TestCharEncodings(t *testing.T) {
	text := "AΔ😀"
	units := utf16.Encode([]rune(text))
	for _, o := range []order{binary.LittleEndian, binary.BigEndian} {
		e := enc{o}
		u16 := func(typ uint32) []byte {
			var b []byte
			for _, u := range units {
				b = o.AppendUint16(b, u)
			}
			return e.el(typ, b)
		}
		var u32 []byte
		for _, r := range text {
			u32 = o.AppendUint32(u32, uint32(r))
		}
		for _, tc := range []struct {
			name string
			el   []byte
		}{
			{"miUTF8", e.el(miUTF8, []byte(text))},
			{"miUTF16", u16(miUTF16)},
			{"miUINT16", u16(miUINT16)},
			{"miUTF32", e.el(miUTF32, u32)},
		} {
			t.Run(o.String()+"/"+tc.name, func(t *testing.T) {
				f, err := decodeBytes(e.file(e.matrix(4, 0, []int32{1, 4}, "c", tc.el)), "char.mat")
				if err != nil {
					t.Fatal(err)
				}
				v, err := f.Var("c")
				if err != nil {
					t.Fatal(err)
				}
				if s, _ := String(v); s != text || v.Len() != 4 {
					t.Errorf("%q (len %d), want %q (len 4)", s, v.Len(), text)
				}
			})
		}
	}
	// Latin-1 bytes (miUINT8): 0xB5 is µ.
	e := enc{binary.LittleEndian}
	f, _ := decodeBytes(e.file(e.matrix(4, 0, []int32{1, 2}, "c", e.small(miUINT8, []byte{0xB5, 'm'}))), "latin1.mat")
	if v, err := f.Var("c"); err != nil || v.(*Char).String() != "µm" {
		t.Errorf("latin-1: %v, %v", v, err)
	}
}

// TestComplexSparseEncoded: a complex 3×2 sparse matrix written with the
// test encoder, in CSC form: column 0 holds (0: 1+2i), (2: 3-1i); column 1
// holds (1: -4+0.5i).
func TestComplexSparseEncoded(t *testing.T) {
	e := enc{binary.BigEndian}
	b := e.file(e.matrix(5, 0x800, []int32{3, 2}, "s",
		e.el(miINT32, e.i32s(0, 2, 1)), e.el(miINT32, e.i32s(0, 2, 3)),
		e.el(miDOUBLE, e.f64s([]float64{1, 3, -4})), e.el(miDOUBLE, e.f64s([]float64{2, -1, 0.5}))))
	f, err := decodeBytes(b, "sparse.mat")
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.Var("s")
	if err != nil {
		t.Fatal(err)
	}
	s := v.(*Sparse)
	if !equalInts(s.Rows, []int{0, 2, 1}) || !equalInts(s.Cols, []int{0, 0, 1}) {
		t.Errorf("rows %v cols %v", s.Rows, s.Cols)
	}
	d, err := s.ToDense()
	if err != nil {
		t.Fatal(err)
	}
	n := d.(*Numeric)
	// Column-major dense: (0,0)=1+2i (1,0)=0 (2,0)=3-1i (0,1)=0 (1,1)=-4+0.5i (2,1)=0.
	wantRe := []float64{1, 0, 3, 0, -4, 0}
	wantIm := []float64{2, 0, -1, 0, 0.5, 0}
	for i := range wantRe {
		if n.Real[i] != wantRe[i] || n.Imag[i] != wantIm[i] {
			t.Fatalf("dense %v + %vi, want %v + %vi", n.Real, n.Imag, wantRe, wantIm)
		}
	}
	if _, err := Float64s(s); !errors.Is(err, neurotab.ErrType) {
		t.Errorf("Float64s(sparse) err %v, want neurotab.ErrType", err)
	}
}

func TestAccessors(t *testing.T) {
	empty := &Numeric{Type: ClassDouble, Shape: []int{0, 3}, Real: []float64{}}
	if !IsEmpty(empty) || IsEmpty(&Char{Shape: []int{1, 1}, Data: []uint16{'a'}}) || !IsEmpty(nil) {
		t.Error("IsEmpty")
	}
	if s, err := String(empty); err != nil || s != "" {
		t.Errorf("String([]) = %q, %v", s, err)
	}
	if _, err := String(&Numeric{Type: ClassDouble, Shape: []int{1, 1}, Real: []float64{1}}); !errors.Is(err, neurotab.ErrType) {
		t.Errorf("String(1) err %v", err)
	}
	if _, err := empty.Scalar(); !errors.Is(err, neurotab.ErrType) {
		t.Errorf("Scalar of 0x3: %v", err)
	}
	l := &Logical{Shape: []int{2, 2}, Data: []bool{true, false, false, true}}
	if f, _ := Float64s(l); f[0] != 1 || f[1] != 0 || f[3] != 1 {
		t.Errorf("Float64s(logical) %v", f)
	}
	if rm := l.RowMajor(); rm[1] != false || rm[2] != false || rm[3] != true {
		t.Errorf("logical RowMajor %v", rm)
	}
	if _, err := Float64s(&Cell{Shape: []int{0, 0}}); !errors.Is(err, neurotab.ErrType) {
		t.Errorf("Float64s(cell) err %v", err)
	}
	// Objects: fields and element indexing work as for structs.
	obj := &Object{ClassName: "inline", Struct: Struct{Shape: []int{1, 2}, Fields: []string{"expr"},
		Values: []Value{&Char{Shape: []int{1, 1}, Data: []uint16{'x'}}, &Char{Shape: []int{1, 1}, Data: []uint16{'y'}}}}}
	v, err := Lookup(obj, "(2).expr")
	if s, _ := String(v); err != nil || s != "y" {
		t.Errorf("obj(2).expr = %v, %v", v, err)
	}
	if o, err := Lookup(obj, "(1)"); err != nil || o.(*Object).ClassName != "inline" || o.Class() != ClassObject {
		t.Errorf("obj(1) = %#v, %v", o, err)
	}
	if _, err := obj.Field("expr"); !errors.Is(err, neurotab.ErrType) {
		t.Errorf("field of a 1x2 object array: err %v", err)
	}
	if _, err := obj.At(0, "nope"); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("missing field: err %v", err)
	}
}
