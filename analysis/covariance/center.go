package covariance

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// centered copies the T × N trace matrix x (same orientation, no transpose)
// with each column's mean removed, after checking that T ≥ 2, N ≥ 1 and
// every sample is finite. The mean is the two-pass mean with a correction
// term (as gonum's stat.Mean), accurate for offsets like 100 ± 1.
func centered(x mat.Matrix) (*mat.Dense, error) {
	t, n := x.Dims()
	switch {
	case n < 1:
		return nil, fmt.Errorf("covariance: %d×%d traces have no neurons: %w", t, n, neurotab.ErrShape)
	case t < 2:
		return nil, fmt.Errorf("covariance: %d samples, need at least 2: %w", t, neurotab.ErrShape)
	}
	c := mat.NewDense(t, n, nil)
	c.Copy(x)
	raw := c.RawMatrix()
	mean := make([]float64, n)
	for s := 0; s < t; s++ {
		row := raw.Data[s*raw.Stride : s*raw.Stride+n]
		for j, v := range row {
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
		row := raw.Data[s*raw.Stride : s*raw.Stride+n]
		for j, v := range row {
			corr[j] += v - mean[j]
		}
	}
	for j := range mean {
		mean[j] += corr[j] / ft
	}
	for s := 0; s < t; s++ {
		row := raw.Data[s*raw.Stride : s*raw.Stride+n]
		for j := range row {
			row[j] -= mean[j]
		}
	}
	return c, nil
}

// scatter returns alpha · cᵀc for the T × N matrix c: one BLAS symmetric
// rank-k update (dsyrk) reading c in place, upper triangle.
func scatter(c *mat.Dense, alpha float64) *mat.SymDense {
	_, n := c.Dims()
	s := mat.NewSymDense(n, nil)
	raw := c.RawMatrix()
	blas64.Syrk(blas.Trans, alpha, raw, 0, s.RawSymmetric())
	return s
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
