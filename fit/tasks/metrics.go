package tasks

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// NRMSERange returns the root-mean-square error of each column of Yhat
// against the same column of Y (both T×K) normalized by the column's range,
// the normalization reservoirpy's nrmse uses by default:
//
//	NRMSE_j = sqrt(Σ_t (y_tj − ŷ_tj)² / T) / (max_t y_tj − min_t y_tj)
//
// A constant column gives NaN. The error wraps neurotab.ErrShape when the
// shapes differ or T = 0. (readout.NRMSE normalizes by the standard
// deviation instead.)
func NRMSERange(Y, Yhat mat.Matrix) ([]float64, error) {
	t, k := Y.Dims()
	th, kh := Yhat.Dims()
	if t != th || k != kh || t == 0 || k == 0 {
		return nil, fmt.Errorf("tasks: Y is %d×%d, Yhat is %d×%d: %w", t, k, th, kh, neurotab.ErrShape)
	}
	out := make([]float64, k)
	for j := range k {
		lo, hi := math.Inf(1), math.Inf(-1)
		var ss float64
		for i := range t {
			y := Y.At(i, j)
			lo, hi = math.Min(lo, y), math.Max(hi, y)
			d := y - Yhat.At(i, j)
			ss += d * d
		}
		if hi == lo {
			out[j] = math.NaN()
			continue
		}
		out[j] = math.Sqrt(ss/float64(t)) / (hi - lo)
	}
	return out, nil
}

// squaredCorrelation returns r² = cov(a, b)² / (var a · var b), 0 when
// either is constant.
func squaredCorrelation(a, b []float64) float64 {
	n := float64(len(a))
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= n
	mb /= n
	var sab, saa, sbb float64
	for i := range a {
		da, db := a[i]-ma, b[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	return sab * sab / (saa * sbb)
}

// checkFinite reports the first NaN or Inf of m.
func checkFinite(name string, m mat.Matrix) error {
	r, c := m.Dims()
	for i := range r {
		for j := range c {
			if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("tasks: %s[%d][%d] = %v: %w", name, i, j, v, neurotab.ErrNotFinite)
			}
		}
	}
	return nil
}
