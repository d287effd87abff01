package covariance

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/gram"
)

// means returns the column means of the T × N trace matrix x, after
// checking that T ≥ 2, N ≥ 1 and every sample is finite (gram.Means: the
// two-pass mean with a correction term, as gonum's stat.Mean).
func means(x mat.Matrix) ([]float64, error) {
	t, n := x.Dims()
	if err := checkDims(t, n); err != nil {
		return nil, err
	}
	mean, _, err := gram.Means(x)
	if err != nil {
		return nil, fmt.Errorf("covariance: %w: %w", err, neurotab.ErrNotFinite)
	}
	return mean, nil
}

// checkDims checks that T × N traces have T ≥ 2 and N ≥ 1.
func checkDims(t, n int) error {
	switch {
	case n < 1:
		return fmt.Errorf("covariance: %d×%d traces have no neurons: %w", t, n, neurotab.ErrShape)
	case t < 2:
		return fmt.Errorf("covariance: %d samples, need at least 2: %w", t, neurotab.ErrShape)
	}
	return nil
}

// scatter is the centred scatter of the T × N trace matrix x:
//
//	s = Xcᵀ Xc / (T − ddof),   norm4 = Σ_t ‖xc(t)‖⁴
//
// with Xc the columns of x centred (norm4 is what Ledoit–Wolf's β needs):
// X read twice and one symmetric rank-T product (gram.Scatter: blocked
// and split over the cores in pure Go, OpenBLAS dsyrk with the openblas build
// tag), never a transposed copy. Errors are those of means.
func scatter(x mat.Matrix, ddof int) (s *mat.SymDense, norm4 float64, err error) {
	t, n := x.Dims()
	if err := checkDims(t, n); err != nil {
		return nil, 0, err
	}
	g, err := gram.Scatter(x)
	if err != nil {
		return nil, 0, fmt.Errorf("covariance: %w: %w", err, neurotab.ErrNotFinite)
	}
	g.S.ScaleSym(1/float64(t-ddof), g.S)
	return g.S, g.Norm4, nil
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
