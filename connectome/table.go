package connectome

import (
	"context"
	"fmt"
	"github.com/neurotab/neurotab"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab/formats/table"
)

// EdgesRecord converts edges to the canonical edges table (dataset, pre,
// post, type, weight, q_value; a NaN QValue is stored as null). Each edge
// must have exactly one type.
func EdgesRecord(mem memory.Allocator, edges []Edge) (arrow.RecordBatch, error) {
	rb := table.NewRowBuilder(mem, table.Edges)
	defer rb.Release()
	for i, e := range edges {
		var q any
		if !math.IsNaN(e.QValue) {
			q = e.QValue
		}
		if err := rb.Append(e.Dataset, e.Pre, e.Post, e.Type.String(), e.Weight, q); err != nil {
			return nil, fmt.Errorf("edge %d (%s→%s): %w", i, e.Pre, e.Post, err)
		}
	}
	return rb.NewRecord(), nil
}

// WriteEdges writes edges as an edges-table Parquet file at path (atomic:
// the file appears complete or not at all) with provenance prov.
func WriteEdges(path string, edges []Edge, prov table.Provenance) error {
	rec, err := EdgesRecord(nil, edges)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer rec.Release()
	return table.WriteFile(path, table.Edges, prov, nil, nil, rec)
}

// ReadEdges reads an edges-table Parquet file back into edges. A file that
// is not an edges table, or a row with an unknown type, is an error wrapping
// neurotab.ErrSchema.
func ReadEdges(path string) ([]Edge, error) {
	pf, err := table.Open(path, nil)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	if k, ok := table.KindOf(pf.Schema()); !ok || k != table.Edges {
		return nil, fmt.Errorf("%s: not an edges table (dataset, pre, post, type, weight, q_value): %w", path, neurotab.ErrSchema)
	}
	rec, err := pf.ReadAll(context.Background())
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	str := func(c, i int) string {
		d := rec.Column(c).(*array.Dictionary)
		return d.Dictionary().(*array.String).Value(d.GetValueIndex(i))
	}
	w := rec.Column(4).(*array.Float64)
	q := rec.Column(5).(*array.Float64)
	out := make([]Edge, rec.NumRows())
	for i := range out {
		t, err := ParseEdgeType(str(3, i))
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: unknown edge type %q: %w", path, i, str(3, i), neurotab.ErrSchema)
		}
		qv := math.NaN()
		if q.IsValid(i) {
			qv = q.Value(i)
		}
		out[i] = Edge{Dataset: str(0, i), Pre: str(1, i), Post: str(2, i), Type: t, Weight: w.Value(i), QValue: qv}
	}
	return out, nil
}

// NeuronsRecord converts an atlas to the canonical neurons table (NaN
// positions stored as null).
func NeuronsRecord(mem memory.Allocator, a *Atlas) (arrow.RecordBatch, error) {
	rb := table.NewRowBuilder(mem, table.Neurons)
	defer rb.Release()
	for _, n := range a.Neurons() {
		if err := rb.Append(n.Label, n.Class, n.Type, n.Neurotransmitter, n.X, n.Y, n.Z, n.Slot); err != nil {
			return nil, err
		}
	}
	return rb.NewRecord(), nil
}
