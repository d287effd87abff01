package table

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
)

// RowBuilder appends rows to any canonical table from Go values, one value
// per column in schema order. It is meant for the small result tables
// (neurons, edges, metrics, fc, states, glm_weights, predictions, spikes);
// traces and events have bulk builders.
//
// Accepted values: string for string columns; int, int32, int64 for integer
// columns; float64 or float32 for float columns; bool; []float32 for list
// columns; nil for a null in a nullable column. A NaN in a nullable float
// column is stored as null.
type RowBuilder struct {
	kind Kind
	b    *array.RecordBuilder
	rows int
}

// NewRowBuilder returns a builder for table kind k; Release it when done.
func NewRowBuilder(mem memory.Allocator, k Kind) *RowBuilder {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &RowBuilder{kind: k, b: array.NewRecordBuilder(mem, Schema(k))}
}

// Release frees the builder.
func (rb *RowBuilder) Release() { rb.b.Release() }

// Len is the number of rows appended since the last NewRecord.
func (rb *RowBuilder) Len() int { return rb.rows }

// Append adds one row. Every value is checked before any is appended, so a
// rejected row (a *SchemaError naming the column) leaves the builder as it was.
func (rb *RowBuilder) Append(vals ...any) error {
	s := Schema(rb.kind)
	if len(vals) != s.NumFields() {
		return fmt.Errorf("%s table: %d values for %d columns: %w", rb.kind, len(vals), s.NumFields(), neurotab.ErrShape)
	}
	for i, v := range vals {
		if err := check(s.Field(i), v); err != nil {
			return &SchemaError{Table: rb.kind, Column: s.Field(i).Name, Row: int64(rb.rows), Msg: err.Error()}
		}
	}
	for i, v := range vals {
		appendValue(rb.b.Field(i), s.Field(i), v)
	}
	rb.rows++
	return nil
}

func check(f arrow.Field, v any) error {
	if v == nil {
		if !f.Nullable {
			return fmt.Errorf("null in a required column")
		}
		return nil
	}
	ok := false
	switch f.Type.ID() {
	case arrow.DICTIONARY:
		_, ok = v.(string)
	case arrow.INT8, arrow.INT32, arrow.INT64, arrow.UINT16:
		switch v.(type) {
		case int, int32, int64, int8, uint16:
			ok = true
		}
	case arrow.FLOAT64, arrow.FLOAT32:
		switch x := v.(type) {
		case float64:
			ok = true
			if math.IsNaN(x) && !f.Nullable {
				return fmt.Errorf("NaN in a required column")
			}
		case float32:
			ok = true
		}
	case arrow.BOOL:
		_, ok = v.(bool)
	case arrow.LIST:
		_, ok = v.([]float32)
	}
	if !ok {
		return fmt.Errorf("value %v (%T) does not fit type %s", v, v, f.Type)
	}
	return nil
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case uint16:
		return int64(x)
	}
	return 0
}

func appendValue(b array.Builder, f arrow.Field, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch bb := b.(type) {
	case *array.BinaryDictionaryBuilder:
		bb.AppendString(v.(string))
	case *array.Int8Builder:
		bb.Append(int8(toInt64(v)))
	case *array.Int32Builder:
		bb.Append(int32(toInt64(v)))
	case *array.Int64Builder:
		bb.Append(toInt64(v))
	case *array.Uint16Builder:
		bb.Append(uint16(toInt64(v)))
	case *array.Float64Builder:
		x, ok := v.(float64)
		if !ok {
			x = float64(v.(float32))
		}
		if math.IsNaN(x) && f.Nullable {
			bb.AppendNull()
			return
		}
		bb.Append(x)
	case *array.Float32Builder:
		x, ok := v.(float32)
		if !ok {
			x = float32(v.(float64))
		}
		bb.Append(x)
	case *array.BooleanBuilder:
		bb.Append(v.(bool))
	case *array.ListBuilder:
		appendList(bb, v.([]float32))
	}
}

// NewRecord returns the rows so far and resets the builder.
func (rb *RowBuilder) NewRecord() arrow.RecordBatch {
	rb.rows = 0
	return rb.b.NewRecordBatch()
}
