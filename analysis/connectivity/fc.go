package connectivity

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab/formats/table"
)

// AppendFC appends the result to rb, a builder of the fc table
// (table.NewRowBuilder(mem, table.FC)), and returns the number of rows
// appended. There is one row per ordered pair pre ≠ post:
//
//	source_dataset, worm  r.Dataset, r.Recording
//	window                r.Window (0 for static FC)
//	t_start, t_end        r.Start, r.End
//	p_value, q_value      null (no significance test yet)
//	pre, post  r.Neurons[i], r.Neurons[j]
//	measure    r.Estimator.Measure
//	value      r.Matrix[i][j]
//
// both orders of a pair included, so the table pivots back to the full
// matrix; the diagonal (1 by definition) is left out. A lagged result adds
// as many rows of measure MeasurePeakLag whose value is the peak lag of
// pre → post in samples (positive when pre leads). Pairs whose value is NaN
// (constant traces) have no row: the value column is required.
//
// Appending stops at the first row rb rejects (a builder of another table);
// the rows before it stay in rb.
func (r *Result) AppendFC(rb *table.RowBuilder) (int, error) {
	n := r.Matrix.SymmetricDim()
	if len(r.Neurons) != n {
		return 0, fmt.Errorf("connectivity: %d neuron labels for a %d×%d matrix", len(r.Neurons), n, n)
	}
	measure := string(r.Estimator.Measure)
	if measure == "" {
		measure = string(MeasurePearson)
	}
	rows := 0
	add := func(m string, at func(i, j int) float64) error {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				v := at(i, j)
				if i == j || math.IsNaN(v) {
					continue
				}
				if err := rb.Append(r.Dataset, r.Recording, r.Window, r.Start, r.End, r.Neurons[i], r.Neurons[j], m, v, nil, nil); err != nil {
					return fmt.Errorf("connectivity: fc row %s→%s: %w", r.Neurons[i], r.Neurons[j], err)
				}
				rows++
			}
		}
		return nil
	}
	if err := add(measure, r.Matrix.At); err != nil {
		return rows, err
	}
	if r.Lag != nil {
		if err := add(string(MeasurePeakLag), r.Lag.At); err != nil {
			return rows, err
		}
	}
	return rows, nil
}

// FCRecord returns the result as an fc-table record (see AppendFC) built
// with mem (memory.DefaultAllocator when nil). The caller releases it.
func (r *Result) FCRecord(mem memory.Allocator) (arrow.RecordBatch, error) {
	rb := table.NewRowBuilder(mem, table.FC)
	defer rb.Release()
	if _, err := r.AppendFC(rb); err != nil {
		return nil, err
	}
	return rb.NewRecord(), nil
}
