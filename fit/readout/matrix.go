package readout

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
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
		for j, v := range src.row(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: %s[%d,%d] is %v", ErrNotFinite, name, i, j, v)
			}
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

// checkFinite reports the first NaN or ±Inf in v, naming it as name[i].
func checkFinite(name string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: %s[%d] is %v", ErrNotFinite, name, i, x)
		}
	}
	return nil
}

// vec wraps a slice as a unit-stride blas64 vector.
func vec(v []float64) blas64.Vector { return blas64.Vector{N: len(v), Inc: 1, Data: v} }

// predictTo writes X W + 1 bᵀ into a new T×K matrix (b may be nil).
func predictTo(x mat.Matrix, w *mat.Dense, b []float64) *mat.Dense {
	t, _ := x.Dims()
	_, k := w.Dims()
	dst := mat.NewDense(t, k, nil)
	dst.Mul(x, w)
	if b != nil {
		raw := dst.RawMatrix()
		for i := range t {
			row := raw.Data[i*raw.Stride : i*raw.Stride+k]
			for j := range row {
				row[j] += b[j]
			}
		}
	}
	return dst
}

// predictVec writes Wᵀx + b into dst (b may be nil).
func predictVec(dst, x []float64, w blas64.General, b []float64) {
	if b != nil {
		copy(dst, b)
	} else {
		clear(dst)
	}
	blas64.Gemv(blas.Trans, 1, w, vec(x), 1, vec(dst))
}

// weightsTo copies w into dst, resizing an empty dst; it panics on a
// non-empty dst of another size, naming the readout type.
func weightsTo(dst, w *mat.Dense, typ string) {
	f, k := w.Dims()
	if dst.IsEmpty() {
		dst.ReuseAs(f, k)
	} else if m, n := dst.Dims(); m != f || n != k {
		panic(fmt.Sprintf("readout: %s.WeightsTo dst is %d×%d, want %d×%d", typ, m, n, f, k))
	}
	dst.Copy(w)
}
