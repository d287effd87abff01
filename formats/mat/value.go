package mat

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/neurotab/neurotab"
)

// Value is one decoded MATLAB array: *Numeric, *Logical, *Char, *Cell,
// *Struct, *Object, *Sparse or *Unsupported. The same tree comes out of v5
// and v7.3 files.
//
// Dims are MATLAB dims (at least two; a scalar is 1×1, a row vector 1×N) and
// every element slice is in MATLAB's column-major (linear index) order. An
// empty array ([], the empty char, {}, zeros(0,3)) is a value of its own class with a zero
// dim: see IsEmpty. Slices returned by accessors alias the value; do not
// modify them unless you own the value.
type Value interface {
	// Class returns the MATLAB class (what class(x) returns).
	Class() Class
	// Dims returns the MATLAB dims (size(x)).
	Dims() []int
	// Len returns the number of elements (numel(x)).
	Len() int
	isValue()
}

// IsEmpty reports whether v has no elements (isempty(x) in MATLAB).
func IsEmpty(v Value) bool { return v == nil || v.Len() == 0 }

// numel returns the product of dims.
func numel(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

// Numeric is a full (non-sparse) array of class double, single, int8 … uint64.
//
// Real holds every element as float64 in column-major order whatever the
// stored type (MATLAB often stores a double array as uint8 or int16 when the
// values fit; the class, not the storage type, is what MATLAB shows). float64
// holds every value of the other classes exactly except int64/uint64 beyond
// ±2^53, so for those classes Int64 or Uint64 also holds the exact values.
type Numeric struct {
	Type   Class     // one of the numeric classes
	Shape  []int     // MATLAB dims
	Real   []float64 // real parts, column-major, len = numel
	Imag   []float64 // imaginary parts, nil unless the array is complex
	Int64  []int64   // exact values when Type is ClassInt64, else nil
	Uint64 []uint64  // exact values when Type is ClassUint64, else nil
}

// Class returns the numeric class.
func (n *Numeric) Class() Class { return n.Type }

// Dims returns the MATLAB dims.
func (n *Numeric) Dims() []int { return n.Shape }

// Len returns the number of elements.
func (n *Numeric) Len() int { return len(n.Real) }

// IsComplex reports whether the array has an imaginary part.
func (n *Numeric) IsComplex() bool { return n.Imag != nil }

// Float64s returns the real parts in column-major order (aliasing the value).
func (n *Numeric) Float64s() []float64 { return n.Real }

// RowMajor returns a new slice of the real parts in row-major (C) order over
// the MATLAB dims: for an R×C matrix, row r is out[r*C:(r+1)*C].
func (n *Numeric) RowMajor() []float64 { return RowMajor(n.Shape, n.Real) }

// Scalar returns the value of a 1×1 array.
func (n *Numeric) Scalar() (float64, error) {
	if len(n.Real) != 1 {
		return 0, fmt.Errorf("%w: %s array is %s, not a scalar", neurotab.ErrType, n.Type, dimString(n.Shape))
	}
	return n.Real[0], nil
}

func (*Numeric) isValue() {}

// Logical is a full array of class logical.
type Logical struct {
	Shape []int  // MATLAB dims
	Data  []bool // column-major
}

// Class returns ClassLogical.
func (*Logical) Class() Class { return ClassLogical }

// Dims returns the MATLAB dims.
func (l *Logical) Dims() []int { return l.Shape }

// Len returns the number of elements.
func (l *Logical) Len() int { return len(l.Data) }

// Float64s returns a new slice with 1 for true and 0 for false, column-major.
func (l *Logical) Float64s() []float64 {
	out := make([]float64, len(l.Data))
	for i, b := range l.Data {
		if b {
			out[i] = 1
		}
	}
	return out
}

// RowMajor returns a new slice of the elements in row-major order.
func (l *Logical) RowMajor() []bool { return RowMajor(l.Shape, l.Data) }

func (*Logical) isValue() {}

// Char is a char array. MATLAB chars are UTF-16 code units; Data holds them in
// column-major order, so a 3×5 char matrix is stored column by column.
type Char struct {
	Shape []int    // MATLAB dims
	Data  []uint16 // UTF-16 code units, column-major
}

// Class returns ClassChar.
func (*Char) Class() Class { return ClassChar }

// Dims returns the MATLAB dims.
func (c *Char) Dims() []int { return c.Shape }

// Len returns the number of chars (UTF-16 code units).
func (c *Char) Len() int { return len(c.Data) }

// Rows returns the rows of the char array as strings: Dims[0] strings of
// numel/Dims[0] chars each (trailing padding kept). Higher dims are folded
// into the columns, as MATLAB's reshape(x, size(x,1), []) would.
func (c *Char) Rows() []string {
	if len(c.Shape) == 0 || c.Shape[0] == 0 {
		return nil
	}
	r := c.Shape[0]
	cols := len(c.Data) / r
	out := make([]string, r)
	row := make([]uint16, cols)
	for i := range r {
		for j := range cols {
			row[j] = c.Data[i+r*j]
		}
		out[i] = string(utf16.Decode(row))
	}
	return out
}

// String returns the text of a char row vector (or of any char array with at
// most one row). For a char matrix it returns the rows joined by "\n".
func (c *Char) String() string {
	if len(c.Shape) > 0 && c.Shape[0] > 1 {
		return strings.Join(c.Rows(), "\n")
	}
	return string(utf16.Decode(c.Data))
}

func (*Char) isValue() {}

// Cell is a cell array.
type Cell struct {
	Shape []int   // MATLAB dims
	Elems []Value // column-major, len = numel
}

// Class returns ClassCell.
func (*Cell) Class() Class { return ClassCell }

// Dims returns the MATLAB dims.
func (c *Cell) Dims() []int { return c.Shape }

// Len returns the number of elements.
func (c *Cell) Len() int { return len(c.Elems) }

// Index returns element i (0-based, column-major linear index): c{i+1} in
// MATLAB.
func (c *Cell) Index(i int) (Value, error) {
	if i < 0 || i >= len(c.Elems) {
		return nil, fmt.Errorf("%w: cell index %d out of range [0,%d)", neurotab.ErrNotFound, i, len(c.Elems))
	}
	return c.Elems[i], nil
}

// Strings returns the text of every element of a cell array of char arrays
// (a cellstr), column-major. An empty element ([] or the empty char) gives "".
func (c *Cell) Strings() ([]string, error) {
	out := make([]string, len(c.Elems))
	for i, e := range c.Elems {
		switch e := e.(type) {
		case *Char:
			out[i] = e.String()
		default:
			if !IsEmpty(e) {
				return nil, fmt.Errorf("%w: cell element %d is %s, not char", neurotab.ErrType, i, e.Class())
			}
		}
	}
	return out, nil
}

func (*Cell) isValue() {}

// Struct is a struct array. Fields are in file order; Values holds, for each
// element e (column-major) and field f, Values[e*len(Fields)+f].
type Struct struct {
	Shape  []int    // MATLAB dims
	Fields []string // field names in order
	Values []Value  // len = numel*len(Fields)
}

// Class returns ClassStruct.
func (*Struct) Class() Class { return ClassStruct }

// Dims returns the MATLAB dims.
func (s *Struct) Dims() []int { return s.Shape }

// Len returns the number of struct elements.
func (s *Struct) Len() int { return numel(s.Shape) }

// FieldIndex returns the position of a field name in Fields, or -1.
func (s *Struct) FieldIndex(name string) int {
	for i, f := range s.Fields {
		if f == name {
			return i
		}
	}
	return -1
}

// At returns field name of element e (0-based, column-major): s(e+1).name.
func (s *Struct) At(e int, name string) (Value, error) {
	f := s.FieldIndex(name)
	if f < 0 {
		return nil, fmt.Errorf("%w: no field %q (fields: %s)", neurotab.ErrNotFound, name, strings.Join(s.Fields, ", "))
	}
	if e < 0 || e >= s.Len() {
		return nil, fmt.Errorf("%w: struct element %d out of range [0,%d)", neurotab.ErrNotFound, e, s.Len())
	}
	return s.Values[e*len(s.Fields)+f], nil
}

// Field returns a field of a 1×1 struct: s.name.
func (s *Struct) Field(name string) (Value, error) {
	if s.Len() != 1 {
		return nil, fmt.Errorf("%w: field %q of a %s struct array needs an element index (use At)", neurotab.ErrType, name, dimString(s.Shape))
	}
	return s.At(0, name)
}

// Index returns element e (0-based, column-major) as a 1×1 struct.
func (s *Struct) Index(e int) (*Struct, error) {
	if e < 0 || e >= s.Len() {
		return nil, fmt.Errorf("%w: struct element %d out of range [0,%d)", neurotab.ErrNotFound, e, s.Len())
	}
	nf := len(s.Fields)
	return &Struct{Shape: []int{1, 1}, Fields: s.Fields, Values: s.Values[e*nf : (e+1)*nf]}, nil
}

func (*Struct) isValue() {}

// Object is an old-style MATLAB object (a class-directory class such as
// inline): a struct array plus a class name. MCOS objects (classdef: table,
// string, datetime) are stored opaquely and come out as Unsupported.
type Object struct {
	ClassName string
	Struct
}

// Class returns ClassObject.
func (*Object) Class() Class { return ClassObject }

// Sparse is a sparse matrix in coordinate form. MATLAB sparse matrices are
// 2-D and of class double (possibly complex) or logical.
type Sparse struct {
	Type  Class     // ClassDouble or ClassLogical
	Shape []int     // [rows, cols]
	Rows  []int     // 0-based row of each stored value, column-major order
	Cols  []int     // 0-based column of each stored value
	Real  []float64 // stored values (1 for a logical true)
	Imag  []float64 // imaginary parts, nil unless complex
}

// Class returns the class (double or logical).
func (s *Sparse) Class() Class { return s.Type }

// Dims returns [rows, cols].
func (s *Sparse) Dims() []int { return s.Shape }

// Len returns rows*cols, the number of elements of the dense matrix.
func (s *Sparse) Len() int { return numel(s.Shape) }

// NNZ returns the number of stored values.
func (s *Sparse) NNZ() int { return len(s.Rows) }

// MaxDense is the largest number of elements ToDense allocates.
const MaxDense = 1 << 28

// ToDense returns the full matrix: *Numeric for class double, *Logical for
// class logical. It fails when the dense matrix would exceed MaxDense
// elements.
func (s *Sparse) ToDense() (Value, error) {
	if len(s.Shape) != 2 || s.Shape[0] < 0 || s.Shape[1] < 0 {
		return nil, fmt.Errorf("%w: sparse dims %v", neurotab.ErrType, s.Shape)
	}
	m, n := s.Shape[0], s.Shape[1]
	if m != 0 && n > MaxDense/m {
		return nil, fmt.Errorf("%w: dense form of %s sparse matrix exceeds %d elements", neurotab.ErrTooLarge, dimString(s.Shape), MaxDense)
	}
	if len(s.Cols) != len(s.Rows) || len(s.Real) < len(s.Rows) || (s.Imag != nil && len(s.Imag) < len(s.Rows)) {
		return nil, fmt.Errorf("%w: sparse coordinate slices differ in length", neurotab.ErrType)
	}
	for k, r := range s.Rows {
		if r < 0 || r >= m || s.Cols[k] < 0 || s.Cols[k] >= n {
			return nil, fmt.Errorf("%w: sparse entry %d at (%d,%d) outside %s", neurotab.ErrType, k, r, s.Cols[k], dimString(s.Shape))
		}
	}
	dims := []int{m, n}
	if s.Type == ClassLogical {
		out := &Logical{Shape: dims, Data: make([]bool, m*n)}
		for k, r := range s.Rows {
			out.Data[r+m*s.Cols[k]] = out.Data[r+m*s.Cols[k]] || s.Real[k] != 0
		}
		return out, nil
	}
	out := &Numeric{Type: ClassDouble, Shape: dims, Real: make([]float64, m*n)}
	if s.Imag != nil {
		out.Imag = make([]float64, m*n)
	}
	for k, r := range s.Rows {
		i := r + m*s.Cols[k]
		out.Real[i] += s.Real[k] // MATLAB sums duplicate entries
		if s.Imag != nil {
			out.Imag[i] += s.Imag[k]
		}
	}
	return out, nil
}

func (*Sparse) isValue() {}

// Unsupported stands for a variable this package does not decode (function
// handles, MCOS objects, unknown classes). Other variables of the file are
// still readable.
type Unsupported struct {
	Type      Class  // ClassFunctionHandle, ClassOpaque or ClassUnknown
	Shape     []int  // MATLAB dims as stored (may be nil)
	ClassName string // the class name when the file stores one
	Reason    string // what is not supported
}

// Class returns the stored class.
func (u *Unsupported) Class() Class { return u.Type }

// Dims returns the dims as stored.
func (u *Unsupported) Dims() []int { return u.Shape }

// Len returns numel of the stored dims.
func (u *Unsupported) Len() int { return numel(u.Shape) }

func (*Unsupported) isValue() {}

func dimString(d []int) string {
	var b strings.Builder
	for i, x := range d {
		if i > 0 {
			b.WriteByte('x')
		}
		fmt.Fprintf(&b, "%d", x)
	}
	return b.String()
}
