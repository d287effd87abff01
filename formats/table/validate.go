package table

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab"
)

// SchemaError says where a record breaks its canonical schema. Row is -1 when
// the problem is the column itself (missing, wrong type). It wraps
// neurotab.ErrSchema (itself a kind of neurotab.ErrMalformed).
// File is set when the table was read from (or written to) a file; Row then
// counts from the file's first row.
type SchemaError struct {
	File   string
	Table  Kind
	Column string
	Row    int64
	Msg    string
}

func schemaErr(k Kind, column string, row int64, msg string) *SchemaError {
	return &SchemaError{Table: k, Column: column, Row: row, Msg: msg}
}

func (e *SchemaError) Error() string {
	var file string
	if e.File != "" {
		file = e.File + ": "
	}
	if e.Row < 0 {
		return fmt.Sprintf("%s%s table: column %q: %s", file, e.Table, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s%s table: column %q, row %d: %s", file, e.Table, e.Column, e.Row, e.Msg)
}

// Unwrap returns neurotab.ErrSchema, so errors.Is(err, neurotab.ErrSchema)
// and errors.Is(err, neurotab.ErrMalformed) hold.
func (e *SchemaError) Unwrap() error { return neurotab.ErrSchema }

// EdgeTypes are the values allowed in the edges table's type column.
var EdgeTypes = []string{"chemical", "electrical", "functional", "neuromuscular"}

// Validate checks that rec has exactly the canonical columns of kind k, in
// order, with the canonical types; that required columns hold no nulls; and
// the table's own rules:
//
//	traces   calcium_data and time_in_seconds have the same length in each
//	         row, equal to max_timesteps; likewise the original_* columns and
//	         original_max_timesteps; slot ≥ 0; is_labeled_neuron rows have a slot
//	events   p ∈ {0, 1}
//	edges    type ∈ EdgeTypes; weight finite
//
// The first violation is returned as a *SchemaError naming column and row.
func Validate(k Kind, rec arrow.RecordBatch) error {
	want := Schema(k)
	got := rec.Schema()
	if got.NumFields() != want.NumFields() {
		for _, f := range want.Fields() {
			if len(got.FieldIndices(f.Name)) == 0 {
				return schemaErr(k, f.Name, -1, "missing")
			}
		}
		return schemaErr(k, got.Field(got.NumFields()-1).Name, -1, fmt.Sprintf("%d columns, want %d", got.NumFields(), want.NumFields()))
	}
	for i, f := range want.Fields() {
		g := got.Field(i)
		if g.Name != f.Name {
			return schemaErr(k, f.Name, -1, fmt.Sprintf("column %d is %q", i, g.Name))
		}
		if !arrow.TypeEqual(g.Type, f.Type) {
			return schemaErr(k, f.Name, -1, fmt.Sprintf("type %s, want %s", g.Type, f.Type))
		}
		col := rec.Column(i)
		if !f.Nullable && col.NullN() > 0 {
			for r := 0; r < col.Len(); r++ {
				if col.IsNull(r) {
					return schemaErr(k, f.Name, int64(r), "null in a required column")
				}
			}
		}
	}
	switch k {
	case Traces:
		return validateTraces(rec)
	case Events:
		p := rec.Column(4).(*array.Int8)
		for r, v := range p.Int8Values() {
			if v != 0 && v != 1 {
				return schemaErr(k, "p", int64(r), fmt.Sprintf("polarity %d, want 0 or 1", v))
			}
		}
	case Edges:
		typ := rec.Column(3).(*array.Dictionary)
		dict := typ.Dictionary().(*array.String)
		allowed := make([]bool, dict.Len())
		for i := range allowed {
			for _, e := range EdgeTypes {
				if dict.Value(i) == e {
					allowed[i] = true
				}
			}
		}
		w := rec.Column(4).(*array.Float64)
		for r := 0; r < typ.Len(); r++ {
			if !allowed[typ.GetValueIndex(r)] {
				return schemaErr(k, "type", int64(r), fmt.Sprintf("%q is not one of %v", dict.Value(typ.GetValueIndex(r)), EdgeTypes))
			}
			if v := w.Value(r); v-v != 0 {
				return schemaErr(k, "weight", int64(r), fmt.Sprintf("weight %v is not finite", v))
			}
		}
	}
	return nil
}

func validateTraces(rec arrow.RecordBatch) error {
	idx := func(name string) int { return rec.Schema().FieldIndices(name)[0] }
	slot := rec.Column(idx("slot")).(*array.Int32)
	labeled := rec.Column(idx("is_labeled_neuron")).(*array.Boolean)
	ca := rec.Column(idx("calcium_data")).(*array.List)
	tm := rec.Column(idx("time_in_seconds")).(*array.List)
	oca := rec.Column(idx("original_calcium_data")).(*array.List)
	otm := rec.Column(idx("original_time_in_seconds")).(*array.List)
	maxT := rec.Column(idx("max_timesteps")).(*array.Int32)
	omaxT := rec.Column(idx("original_max_timesteps")).(*array.Int32)
	n := func(l *array.List, r int) int64 {
		s, e := l.ValueOffsets(r)
		return e - s
	}
	for r := 0; r < int(rec.NumRows()); r++ {
		row := int64(r)
		if slot.IsValid(r) && slot.Value(r) < 0 {
			return schemaErr(Traces, "slot", row, fmt.Sprintf("slot %d < 0", slot.Value(r)))
		}
		if labeled.Value(r) && slot.IsNull(r) {
			return schemaErr(Traces, "slot", row, "labeled neuron without a slot")
		}
		if a, b := n(ca, r), n(tm, r); a != b {
			return schemaErr(Traces, "time_in_seconds", row, fmt.Sprintf("%d times for %d calcium samples", b, a))
		}
		if a := n(ca, r); a != int64(maxT.Value(r)) {
			return schemaErr(Traces, "max_timesteps", row, fmt.Sprintf("%d, but calcium_data holds %d samples", maxT.Value(r), a))
		}
		if oca.IsValid(r) || otm.IsValid(r) {
			if oca.IsNull(r) || otm.IsNull(r) {
				return schemaErr(Traces, "original_time_in_seconds", row, "original calcium and time must be both present or both null")
			}
			if a, b := n(oca, r), n(otm, r); a != b {
				return schemaErr(Traces, "original_time_in_seconds", row, fmt.Sprintf("%d times for %d original samples", b, a))
			}
			if omaxT.IsValid(r) && n(oca, r) != int64(omaxT.Value(r)) {
				return schemaErr(Traces, "original_max_timesteps", row, fmt.Sprintf("%d, but original_calcium_data holds %d samples", omaxT.Value(r), n(oca, r)))
			}
		}
	}
	return nil
}
