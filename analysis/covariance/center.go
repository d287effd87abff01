package covariance

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// blockBytes is the size of the block of centred rows handed to each dsyrk
// call: small enough to stay in a core's L2 cache while dsyrk sweeps it
// once per neuron, so that X is read from memory once rather than N times.
const blockBytes = 256 << 10

// means returns the column means of the T × N trace matrix x, after
// checking that T ≥ 2, N ≥ 1 and every sample is finite. It is the
// two-pass mean with a correction term (as gonum's stat.Mean), accurate
// for offsets like 100 ± 1.
func means(x mat.Matrix) ([]float64, error) {
	t, n := x.Dims()
	switch {
	case n < 1:
		return nil, fmt.Errorf("covariance: %d×%d traces have no neurons: %w", t, n, neurotab.ErrShape)
	case t < 2:
		return nil, fmt.Errorf("covariance: %d samples, need at least 2: %w", t, neurotab.ErrShape)
	}
	mean := make([]float64, n)
	buf := make([]float64, n)
	for s := 0; s < t; s++ {
		for j, v := range row(x, s, buf) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("covariance: column %d, sample %d is %v: %w", j, s, v, neurotab.ErrNotFinite)
			}
			mean[j] += v
		}
	}
	ft := float64(t)
	for j := range mean {
		mean[j] /= ft
	}
	corr := make([]float64, n)
	for s := 0; s < t; s++ {
		for j, v := range row(x, s, buf) {
			corr[j] += v - mean[j]
		}
	}
	for j := range mean {
		mean[j] += corr[j] / ft
	}
	return mean, nil
}

// row returns row s of x: a view when x is a raw matrix, else a copy in
// buf.
func row(x mat.Matrix, s int, buf []float64) []float64 {
	if rm, ok := x.(mat.RawMatrixer); ok {
		raw := rm.RawMatrix()
		return raw.Data[s*raw.Stride : s*raw.Stride+raw.Cols]
	}
	return mat.Row(buf, s, x)
}

// scatter is the centred scatter of the T × N trace matrix x:
//
//	s = Xcᵀ Xc / (T − ddof),   norm4 = Σ_t ‖xc(t)‖⁴
//
// with Xc the columns of x centred (norm4 is what Ledoit–Wolf's β needs).
// Xc is never stored whole: blocks of rows are centred into one small
// buffer, and each block is one BLAS symmetric rank-k update (dsyrk,
// transposed, accumulating into the upper triangle of s). Errors are those
// of means.
func scatter(x mat.Matrix, ddof int) (s *mat.SymDense, norm4 float64, err error) {
	mean, err := means(x)
	if err != nil {
		return nil, 0, err
	}
	t, n := x.Dims()
	rows := min(t, max(8, blockBytes/(8*n)))
	buf := make([]float64, rows*n)
	tmp := make([]float64, n)
	s = mat.NewSymDense(n, nil)
	out := s.RawSymmetric()
	for from := 0; from < t; from += rows {
		k := min(rows, t-from)
		for r := 0; r < k; r++ {
			dst := buf[r*n : (r+1)*n]
			var q float64
			for j, v := range row(x, from+r, tmp) {
				d := v - mean[j]
				dst[j] = d
				q += d * d
			}
			norm4 += q * q
		}
		block := blas64.General{Rows: k, Cols: n, Stride: n, Data: buf[:k*n]}
		blas64.Syrk(blas.Trans, 1, block, 1, out)
	}
	s.ScaleSym(1/float64(t-ddof), s)
	return s, norm4, nil
}

// trace returns tr s.
func trace(s *mat.SymDense) float64 {
	var tr float64
	for i := range s.SymmetricDim() {
		tr += s.At(i, i)
	}
	return tr
}

// frobenius2 returns ‖s‖²_F = Σ_ij s_ij², reading the upper triangle.
func frobenius2(s *mat.SymDense) float64 {
	raw := s.RawSymmetric()
	var diag, off float64
	for i := 0; i < raw.N; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+raw.N]
		diag += row[i] * row[i]
		for _, v := range row[i+1:] {
			off += v * v
		}
	}
	return diag + 2*off
}

// shrink returns (1 − λ) s + λ μ I with μ = tr s / N, in place.
func shrink(s *mat.SymDense, lambda float64) {
	n := s.SymmetricDim()
	mu := trace(s) / float64(n)
	raw := s.RawSymmetric()
	for i := 0; i < n; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+n]
		for j := i; j < n; j++ {
			row[j] *= 1 - lambda
		}
		row[i] += lambda * mu
	}
}

// copySymTo copies src into dst, resizing an empty dst and panicking on a
// dst of another size (gonum's idiom); method names the caller in the
// panic message.
func copySymTo(dst *mat.SymDense, src *mat.SymDense, method string) {
	n := src.SymmetricDim()
	if dst.IsEmpty() {
		dst.ReuseAsSym(n)
	} else if m := dst.SymmetricDim(); m != n {
		panic(fmt.Sprintf("covariance: %s: dst is %d×%d, want %d×%d", method, m, m, n, n))
	}
	dst.CopySym(src)
}

// unfitted is the error of a result method called before a Fit.
func unfitted(typ, method string) error {
	return fmt.Errorf("covariance: %s.%s before Fit: %w", typ, method, neurotab.ErrNotFitted)
}
