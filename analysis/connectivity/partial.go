package connectivity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// MaxCondition is the largest condition number of R + λI that
// PartialCorrelation inverts; above it the inverse has lost more than 12 of
// its 16 significant digits and a *SingularError is returned instead.
const MaxCondition = 1e12

// collinear is how close to 1 |r| must be for SingularError to name a pair.
const collinear = 1e-10

// PartialCorrelation returns the N × N partial correlation matrix of the
// T × N trace matrix x: the correlation of x_i and x_j once the other N−2
// traces are regressed out of both, read off the precision matrix
// (Whittaker 1990, Graphical Models in Applied Multivariate Statistics,
// Wiley; Marrelec et al. 2006, NeuroImage 32:228,
// doi:10.1016/j.neuroimage.2005.12.057):
//
//	P    = (R + λI)⁻¹
//	ρ_ij = −P_ij / sqrt(P_ii P_jj)     i ≠ j
//	ρ_ii = 1
//
// where R is the Pearson correlation matrix (the covariance of the z-scored
// traces) and λ = ridge ≥ 0. With λ = 0 this is exactly the textbook
// formula with P = Σ⁻¹, Σ the sample covariance: rescaling the traces
// rescales P by a diagonal matrix that ρ cancels. With λ > 0 it is the
// partial correlation of the correlation matrix shrunk towards the identity,
// R* = (1−w)R + wI with w = λ/(1+λ) (Schäfer & Strimmer 2005, Stat. Appl.
// Genet. Mol. Biol. 4:32, doi:10.2202/1544-6115.1175, with a fixed rather
// than estimated w). Working on R makes λ scale-free: the same ridge means
// the same shrinkage for ΔF/F and for raw fluorescence. A ridge is needed
// when N approaches T (Σ has rank at most T−1) and stabilizes nearly
// collinear traces; ρ then shrinks towards 0 as λ grows.
//
// Constant traces get NaN rows and columns and are left out of the
// inversion (conditioning on a constant changes nothing). Errors: a negative
// or non-finite ridge wraps neurotab.ErrParam; a matrix that is not positive
// definite or whose condition number exceeds MaxCondition is a
// *SingularError; fewer than 2 samples wrap neurotab.ErrShape; NaN or ±Inf
// samples are a *NonFiniteError.
func PartialCorrelation(x mat.Matrix, ridge float64) (*mat.SymDense, error) {
	if ridge < 0 || math.IsNaN(ridge) || math.IsInf(ridge, 0) {
		return nil, fmt.Errorf("connectivity: ridge %v, want a finite λ ≥ 0: %w", ridge, neurotab.ErrParam)
	}
	r, constant, err := pearson(x)
	if err != nil {
		return nil, err
	}
	t, n := x.Dims()
	keep := make([]int, 0, n)
	for j, c := range constant {
		if !c {
			keep = append(keep, j)
		}
	}
	out := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			out.SetSym(i, j, math.NaN())
		}
	}
	k := len(keep)
	if k == 0 {
		return out, nil
	}
	s := mat.NewSymDense(k, nil)
	for a, i := range keep {
		for b := a; b < k; b++ {
			s.SetSym(a, b, r.At(i, keep[b]))
		}
		s.SetSym(a, a, 1+ridge)
	}
	var chol mat.Cholesky
	ok := chol.Factorize(s)
	if !ok || chol.Cond() > MaxCondition {
		e := &SingularError{Neurons: k, Samples: t, Ridge: ridge, Cond: math.Inf(1), Pair: [2]int{-1, -1}}
		if ok {
			e.Cond = chol.Cond()
		}
		e.Pair = collinearPair(r, keep)
		return nil, e
	}
	var p mat.SymDense
	if err := chol.InverseTo(&p); err != nil {
		// InverseTo fails only on a condition number above gonum's own,
		// larger, tolerance; MaxCondition was checked above.
		return nil, fmt.Errorf("connectivity: partial correlation: %v: %w", err, neurotab.ErrSingular)
	}
	d := make([]float64, k)
	for a := range d {
		d[a] = 1 / math.Sqrt(p.At(a, a))
	}
	for a, i := range keep {
		out.SetSym(i, i, 1)
		for b := a + 1; b < k; b++ {
			out.SetSym(i, keep[b], clip(-p.At(a, b)*d[a]*d[b]))
		}
	}
	return out, nil
}

// collinearPair returns the first pair of kept columns with |r| = 1 to
// within collinear, or {−1, −1}.
func collinearPair(r *mat.SymDense, keep []int) [2]int {
	for a, i := range keep {
		for _, j := range keep[a+1:] {
			if math.Abs(r.At(i, j)) > 1-collinear {
				return [2]int{i, j}
			}
		}
	}
	return [2]int{-1, -1}
}
