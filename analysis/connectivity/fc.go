package connectivity

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

// Window is the key of one FC matrix in the fc table: the recording it
// comes from and the samples it covers. RecordingWindow gives the window of
// a whole recording.
type Window struct {
	Dataset string  // source_dataset
	Worm    string  // worm: the recording id (table.Recording.Worm)
	Index   int     // window: 0 for static FC of a whole recording
	Start   float64 // t_start: time of the first sample used, s
	End     float64 // t_end: time of the last sample used, s
}

// AppendFC appends the fit to rb, a builder of the fc table
// (table.NewRowBuilder(mem, table.FC)), and returns the number of rows
// appended. neurons are the N labels of X's columns, in order. There is one
// row per ordered pair pre ≠ post:
//
//	source_dataset, worm  w.Dataset, w.Worm
//	window                w.Index
//	t_start, t_end        w.Start, w.End
//	pre, post             neurons[i], neurons[j]
//	measure               the fitted measure
//	value                 C[i][j] (MatrixTo)
//	p_value, q_value      null (no significance test yet)
//
// both orders of a pair included, so the table pivots back to the full
// matrix; the diagonal (1 by definition) is left out. A lagged fit adds as
// many rows of measure MeasurePeakLag whose value is the peak lag of
// pre → post in samples (PeakLagTo; positive when pre leads). Pairs whose
// value is NaN (constant traces) have no row: the value column is required.
//
// Errors: no fit (neurotab.ErrNotFitted), a label count other than N
// (neurotab.ErrShape), and the first row rb rejects (a builder of another
// table); the rows before it stay in rb.
func (e *Estimator) AppendFC(rb *table.RowBuilder, w Window, neurons []string) (int, error) {
	if e.matrix == nil {
		return 0, unfitted("AppendFC", "")
	}
	n := e.matrix.SymmetricDim()
	if len(neurons) != n {
		return 0, fmt.Errorf("connectivity: AppendFC: %d neuron labels for a %d×%d matrix: %w", len(neurons), n, n, neurotab.ErrShape)
	}
	rows := 0
	add := func(m Measure, at func(i, j int) float64) error {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				v := at(i, j)
				if i == j || math.IsNaN(v) {
					continue
				}
				if err := rb.Append(w.Dataset, w.Worm, w.Index, w.Start, w.End, neurons[i], neurons[j], string(m), v, nil, nil); err != nil {
					return fmt.Errorf("connectivity: fc row %s→%s: %w", neurons[i], neurons[j], err)
				}
				rows++
			}
		}
		return nil
	}
	if err := add(e.fitted, e.matrix.At); err != nil {
		return rows, err
	}
	if e.lagged != nil {
		if err := add(MeasurePeakLag, e.lagged.PeakLag.At); err != nil {
			return rows, err
		}
	}
	return rows, nil
}

// FCRecord returns the fit as an fc-table record (see AppendFC) built with
// mem (memory.DefaultAllocator when nil). The caller releases it.
func (e *Estimator) FCRecord(mem memory.Allocator, w Window, neurons []string) (arrow.RecordBatch, error) {
	rb := table.NewRowBuilder(mem, table.FC)
	defer rb.Release()
	if _, err := e.AppendFC(rb, w, neurons); err != nil {
		return nil, err
	}
	return rb.NewRecord(), nil
}
