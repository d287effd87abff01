package table

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// colset looks up the columns of one record batch by name and gives typed
// accessors over them, decoding dictionaries once per batch. It accepts
// the canonical types and their plain equivalents (string for a
// dictionary, any integer width, float32 for float64), so files written by
// other tools read too. The first problem is kept in err (a *SchemaError
// naming file and column) and every accessor after it returns zeros.
type colset struct {
	rec  arrow.RecordBatch
	kind Kind
	file string
	err  error
}

func (c *colset) fail(name, msg string) {
	if c.err == nil {
		c.err = &SchemaError{File: c.file, Table: c.kind, Column: name, Row: -1, Msg: msg}
	}
}

func (c *colset) col(name string) arrow.Array {
	idx := c.rec.Schema().FieldIndices(name)
	if len(idx) == 0 {
		c.fail(name, "missing")
		return nil
	}
	return c.rec.Column(idx[0])
}

func (c *colset) wrongType(name string, a arrow.Array) {
	c.fail(name, fmt.Sprintf("type %s cannot be read as %s", a.DataType(), Schema(c.kind).Field(Schema(c.kind).FieldIndices(name)[0]).Type))
}

// str reads a string column; null is "".
func (c *colset) str(name string) func(int) string {
	zero := func(int) string { return "" }
	a := c.col(name)
	switch a := a.(type) {
	case nil:
		return zero
	case *array.Dictionary:
		d, ok := a.Dictionary().(*array.String)
		if !ok {
			c.wrongType(name, a)
			return zero
		}
		vals := make([]string, d.Len())
		for i := range vals {
			vals[i] = d.Value(i)
		}
		for i := 0; i < a.Len(); i++ {
			if a.IsValid(i) {
				if k := a.GetValueIndex(i); k < 0 || k >= len(vals) {
					c.fail(name, fmt.Sprintf("row %d: dictionary index %d out of %d values", i, k, len(vals)))
					return zero
				}
			}
		}
		return func(i int) string {
			if a.IsNull(i) {
				return ""
			}
			return vals[a.GetValueIndex(i)]
		}
	case *array.String:
		return func(i int) string { return a.Value(i) }
	case *array.LargeString:
		return func(i int) string { return a.Value(i) }
	}
	c.wrongType(name, a)
	return zero
}

// f64 reads a float column; null is NaN.
func (c *colset) f64(name string) func(int) float64 {
	a := c.col(name)
	var get func(int) float64
	switch a := a.(type) {
	case nil:
		return func(int) float64 { return 0 }
	case *array.Float64:
		get = a.Value
	case *array.Float32:
		get = func(i int) float64 { return float64(a.Value(i)) }
	default:
		c.wrongType(name, a)
		return func(int) float64 { return 0 }
	}
	return orNull(a, get, math.NaN())
}

// orNull wraps get to return null at a's null slots.
func orNull[T any](a arrow.Array, get func(int) T, null T) func(int) T {
	if a.NullN() == 0 {
		return get
	}
	return func(i int) T {
		if a.IsNull(i) {
			return null
		}
		return get(i)
	}
}

// integer reads an integer column; null is the given value.
func (c *colset) integer(name string, null int64) func(int) int64 {
	a := c.col(name)
	var get func(int) int64
	switch a := a.(type) {
	case nil:
		return func(int) int64 { return 0 }
	case *array.Int8:
		get = func(i int) int64 { return int64(a.Value(i)) }
	case *array.Int16:
		get = func(i int) int64 { return int64(a.Value(i)) }
	case *array.Int32:
		get = func(i int) int64 { return int64(a.Value(i)) }
	case *array.Int64:
		get = a.Value
	case *array.Uint16:
		get = func(i int) int64 { return int64(a.Value(i)) }
	case *array.Uint32:
		get = func(i int) int64 { return int64(a.Value(i)) }
	default:
		c.wrongType(name, a)
		return func(int) int64 { return 0 }
	}
	return orNull(a, get, null)
}

// boolean reads a bool column; null is false.
func (c *colset) boolean(name string) func(int) bool {
	switch a := c.col(name).(type) {
	case nil:
	case *array.Boolean:
		return func(i int) bool { return a.IsValid(i) && a.Value(i) }
	default:
		c.wrongType(name, a)
	}
	return func(int) bool { return false }
}

// floats32 reads a list<float32> column: the values of row i (shared with
// the batch) and whether the row is non-null.
func (c *colset) floats32(name string) func(int) ([]float32, bool) {
	zero := func(int) ([]float32, bool) { return nil, false }
	a := c.col(name)
	if a == nil {
		return zero
	}
	l, ok := a.(*array.List)
	if !ok {
		c.wrongType(name, a)
		return zero
	}
	v, ok := l.ListValues().(*array.Float32)
	if !ok {
		c.wrongType(name, a)
		return zero
	}
	vals := v.Float32Values()
	if n := len(l.Offsets()); l.Len() > 0 && n < l.Data().Offset()+l.Len()+1 {
		c.fail(name, fmt.Sprintf("%d list offsets for %d rows", n, l.Len()))
		return zero
	}
	for i := 0; i < l.Len(); i++ {
		if s, e := l.ValueOffsets(i); l.IsValid(i) && (s < 0 || s > e || e > int64(len(vals))) {
			c.fail(name, fmt.Sprintf("row %d: list offsets %d..%d outside %d values", i, s, e, len(vals)))
			return zero
		}
	}
	return func(i int) ([]float32, bool) {
		if l.IsNull(i) {
			return nil, false
		}
		s, e := l.ValueOffsets(i)
		return vals[s:e], true
	}
}
