package readout

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// rows reads the rows of a mat.Matrix: without copying for a *mat.Dense
// (views included), through a buffer otherwise.
type rows struct {
	m   mat.Matrix
	d   *mat.Dense
	buf []float64
}

func newRows(m mat.Matrix) *rows {
	if d, ok := m.(*mat.Dense); ok {
		return &rows{m: m, d: d}
	}
	_, c := m.Dims()
	return &rows{m: m, buf: make([]float64, c)}
}

// row returns row i; it is valid until the next call.
func (r *rows) row(i int) []float64 {
	if r.d != nil {
		return r.d.RawRowView(i)
	}
	return mat.Row(r.buf, i, r.m)
}

// columnMeans returns the column means of the t×c matrix read by src, or
// an error naming the first NaN or ±Inf as name[i,j].
func columnMeans(name string, src *rows, t, c int) ([]float64, error) {
	mean := make([]float64, c)
	for i := range t {
		row := src.row(i)
		if err := checkFinite(name, row, i); err != nil {
			return nil, err
		}
		for j, v := range row {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(t)
	}
	return mean, nil
}

// chunkRows is the number of rows of an F-column matrix that fit in about
// 256 KiB, so a chunk stays in cache while Dsyrk sweeps it once per feature
// (twice as fast as one Dsyrk over 10000×500).
func chunkRows(f int) int {
	return min(max((1<<15)/f, 8), 512)
}

// checkFinite reports the first NaN or ±Inf in v, naming it as name[j],
// or as name[row,j] when v is row row ≥ 0 of a matrix.
func checkFinite(name string, v []float64, row int) error {
	for j, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			if row < 0 {
				return fmt.Errorf("readout: %s[%d] is %v: %w", name, j, x, neurotab.ErrNotFinite)
			}
			return fmt.Errorf("readout: %s[%d,%d] is %v: %w", name, row, j, x, neurotab.ErrNotFinite)
		}
	}
	return nil
}

// vec wraps a slice as a unit-stride blas64 vector.
func vec(v []float64) blas64.Vector { return blas64.Vector{N: len(v), Inc: 1, Data: v} }

// onlineFit checks that X (T×F) and Y (T×K) have the same, non-zero number
// of rows and hold no NaN or ±Inf (named as X[t,f] or Y[t,k]), then calls
// update on every row pair, in order, epochs times, stopping at the first
// error. It is the Fit of the online readouts LMS and EH.
func onlineFit(X, Y mat.Matrix, epochs int, update func(x, y []float64) error) error {
	t, _ := X.Dims()
	ty, _ := Y.Dims()
	if t != ty {
		return fmt.Errorf("readout: X has %d rows, Y has %d: %w", t, ty, neurotab.ErrShape)
	}
	if t == 0 {
		return fmt.Errorf("readout: empty input: %w", neurotab.ErrShape)
	}
	xs, ys := newRows(X), newRows(Y)
	for i := range t {
		if err := checkFinite("X", xs.row(i), i); err != nil {
			return err
		}
		if err := checkFinite("Y", ys.row(i), i); err != nil {
			return err
		}
	}
	for range epochs {
		for i := range t {
			if err := update(xs.row(i), ys.row(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkSample validates one sample of an online readout that holds the
// weights w (nil before its first sample): x and y must have w's F and K
// (or, for the first sample, at least one element each) and be finite.
// name names the readout in the error of an empty first sample.
func checkSample(name string, w *mat.Dense, x, y []float64) error {
	if w != nil {
		if f, k := w.Dims(); len(x) != f || len(y) != k {
			return fmt.Errorf("readout: sample has %d features and %d targets, readout %d and %d: %w",
				len(x), len(y), f, k, neurotab.ErrShape)
		}
	} else if len(x) == 0 || len(y) == 0 {
		return fmt.Errorf("readout: %s needs at least one feature and one target (got %d and %d): %w", name, len(x), len(y), neurotab.ErrShape)
	}
	if err := checkFinite("x", x, -1); err != nil {
		return err
	}
	return checkFinite("y", y, -1)
}
