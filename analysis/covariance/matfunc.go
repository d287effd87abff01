package covariance

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// eigen returns the eigenvalues and eigenvectors (columns) of s.
func eigen(s mat.Symmetric) ([]float64, *mat.Dense, error) {
	var es mat.EigenSym
	if !es.Factorize(s, true) {
		return nil, nil, fmt.Errorf("covariance: eigendecomposition of a %d×%d matrix did not converge: %w", s.SymmetricDim(), s.SymmetricDim(), neurotab.ErrSingular)
	}
	var v mat.Dense
	es.VectorsTo(&v)
	return es.Values(nil), &v, nil
}

// formSym returns V diag(f(w)) Vᵀ (nilearn's _form_symmetric).
func formSym(f func(float64) float64, w []float64, v *mat.Dense) *mat.SymDense {
	n := len(w)
	b := mat.NewDense(n, n, nil)
	b.Copy(v)
	for k, x := range w {
		fx := f(x)
		for i := 0; i < n; i++ {
			b.Set(i, k, b.At(i, k)*fx)
		}
	}
	var p mat.Dense
	p.Mul(b, v.T())
	return symmetrize(&p)
}

// symmetrize returns (p + pᵀ)/2, removing the rounding asymmetry of a
// product that is symmetric in exact arithmetic.
func symmetrize(p *mat.Dense) *mat.SymDense {
	n, _ := p.Dims()
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		s.SetSym(i, i, p.At(i, i))
		for j := i + 1; j < n; j++ {
			s.SetSym(i, j, (p.At(i, j)+p.At(j, i))/2)
		}
	}
	return s
}

// mapEig returns f applied to the eigenvalues of s (nilearn's
// _map_eigenvalues). When spd is set, s must be positive definite (f is a
// square root, an inverse or a logarithm): an eigenvalue ≤ 0 wraps
// neurotab.ErrSingular.
func mapEig(f func(float64) float64, s mat.Symmetric, spd bool, what string) (*mat.SymDense, error) {
	w, v, err := eigen(s)
	if err != nil {
		return nil, err
	}
	if spd {
		if err := checkSPD(w, what); err != nil {
			return nil, err
		}
	}
	return formSym(f, w, v), nil
}

// checkSPD reports an eigenvalue that is not > 0.
func checkSPD(w []float64, what string) error {
	for _, x := range w {
		if !(x > 0) {
			return fmt.Errorf("covariance: %s is not positive definite (eigenvalue %g): %w", what, x, neurotab.ErrSingular)
		}
	}
	return nil
}

// sandwich returns a b a for symmetric a and b, symmetrized.
func sandwich(a, b mat.Symmetric) *mat.SymDense {
	var ab, aba mat.Dense
	ab.Mul(a, b)
	aba.Mul(&ab, a)
	return symmetrize(&aba)
}

func invSqrt(x float64) float64 { return 1 / math.Sqrt(x) }
