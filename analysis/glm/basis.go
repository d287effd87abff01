package glm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// ExpBasis returns the exponential history filter of the one-hot HMM-GLM
// (Li et al., ICLR 2024; onehot-hmmglm's utils.exp_basis): for lags
// l = 1 … window of dt seconds each,
//
//	φ_l = exp(−decay·l·dt) / (dt · Σ_m exp(−decay·m·dt))
//
// so Σ_l φ_l dt = 1. φ[l−1] is the weight of lag l. decay is in 1/s and
// must be finite and ≥ 0, window ≥ 1, dt finite > 0; otherwise the error
// wraps neurotab.ErrParam.
func ExpBasis(decay float64, window int, dt float64) ([]float64, error) {
	if !(decay >= 0) || math.IsInf(decay, 0) {
		return nil, fmt.Errorf("glm: basis decay %v, want finite ≥ 0: %w", decay, neurotab.ErrParam)
	}
	if window < 1 {
		return nil, fmt.Errorf("glm: basis window %d, want ≥ 1: %w", window, neurotab.ErrParam)
	}
	if !(dt > 0) || math.IsInf(dt, 0) {
		return nil, fmt.Errorf("glm: basis dt %v, want finite > 0: %w", dt, neurotab.ErrParam)
	}
	phi := make([]float64, window)
	sum := 0.0
	for l := range phi {
		phi[l] = math.Exp(-decay * float64(l+1) * dt)
		sum += phi[l]
	}
	for l := range phi {
		phi[l] /= dt * sum
	}
	return phi, nil
}

// History writes the filtered spike history of each column of the T × N
// traces Y into dst (T × N, resized if empty, panics on another size):
//
//	c[t][n] = Σ_{l=1}^{L} φ_l · Y[t−l][n]     (terms with t−l < 0 are 0)
//
// where φ_l = basis[l−1] (for example from [ExpBasis]). It is computed once
// and used as the design of the per-state GLMs. An empty basis or a
// non-finite basis weight wraps neurotab.ErrParam; a non-finite Y entry
// neurotab.ErrNotFinite.
func History(dst *mat.Dense, Y mat.Matrix, basis []float64) error {
	if len(basis) == 0 {
		return fmt.Errorf("glm: empty history basis: %w", neurotab.ErrParam)
	}
	for l, v := range basis {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("glm: history basis at lag %d is %v: %w", l+1, v, neurotab.ErrParam)
		}
	}
	T, N := Y.Dims()
	for t := range T {
		for n := range N {
			if v := Y.At(t, n); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("glm: Y at t=%d, column %d is %v: %w", t, n, v, neurotab.ErrNotFinite)
			}
		}
	}
	sizeDst(dst, T, N)
	col := make([]float64, T)
	for n := range N {
		for t := range T {
			col[t] = Y.At(t, n)
		}
		for t := range T {
			s := 0.0
			for l := 1; l <= len(basis) && l <= t; l++ {
				s += basis[l-1] * col[t-l]
			}
			dst.Set(t, n, s)
		}
	}
	return nil
}

// sizeDst resizes an empty dst to r × c and panics on another size (gonum).
func sizeDst(dst *mat.Dense, r, c int) {
	if dst.IsEmpty() {
		dst.ReuseAs(r, c)
		return
	}
	if dr, dc := dst.Dims(); dr != r || dc != c {
		panic(fmt.Sprintf("glm: destination is %d × %d, want %d × %d", dr, dc, r, c))
	}
}
