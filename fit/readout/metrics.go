package readout

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// R2 returns the coefficient of determination of each column of Yhat as a
// prediction of the same column of Y (both T×K):
//
//	R²_j = 1 − SS_res,j / SS_tot,j,   SS_res,j = Σ_t (y_tj − ŷ_tj)²,   SS_tot,j = Σ_t (y_tj − ȳ_j)²
//
// the definition of scikit-learn's r2_score(multioutput="raw_values"). R² is
// 1 for a perfect prediction, 0 for predicting the mean, and negative for
// worse. A constant target column (SS_tot = 0) gives NaN, as does a NaN in
// the column; the other columns are unaffected. The error wraps
// neurotab.ErrShape
// when the shapes differ or T = 0.
func R2(Y, Yhat mat.Matrix) ([]float64, error) {
	res, tot, _, err := sumsOfSquares(Y, Yhat)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(res))
	for j := range out {
		if tot[j] == 0 {
			out[j] = math.NaN()
			continue
		}
		out[j] = 1 - res[j]/tot[j]
	}
	return out, nil
}

// NRMSE returns the root-mean-square error of each column of Yhat against
// the same column of Y (both T×K), normalized by the column's standard
// deviation (population, divisor T), the normalization of the echo-state
// literature (Lukoševičius 2012, doi:10.1007/978-3-642-35289-8_36):
//
//	NRMSE_j = sqrt(Σ_t (y_tj − ŷ_tj)² / T) / sqrt(Σ_t (y_tj − ȳ_j)² / T)  =  sqrt(1 − R²_j)
//
// It is 0 for a perfect prediction and 1 for predicting the mean. A constant
// target column gives NaN, as does a NaN in the column. The error wraps
// neurotab.ErrShape when the shapes differ or T = 0.
func NRMSE(Y, Yhat mat.Matrix) ([]float64, error) {
	res, tot, t, err := sumsOfSquares(Y, Yhat)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(res))
	n := float64(t)
	for j := range out {
		if tot[j] == 0 {
			out[j] = math.NaN()
			continue
		}
		out[j] = math.Sqrt(res[j]/n) / math.Sqrt(tot[j]/n)
	}
	return out, nil
}

// sumsOfSquares returns SS_res and SS_tot per column, and T. The column
// mean is computed in a separate pass before SS_tot.
func sumsOfSquares(Y, Yhat mat.Matrix) (res, tot []float64, t int, err error) {
	t, k := Y.Dims()
	th, kh := Yhat.Dims()
	if t != th || k != kh {
		return nil, nil, 0, fmt.Errorf("readout: Y is %d×%d, Yhat is %d×%d: %w", t, k, th, kh, neurotab.ErrShape)
	}
	if t == 0 || k == 0 {
		return nil, nil, 0, fmt.Errorf("readout: empty input (%d×%d): %w", t, k, neurotab.ErrShape)
	}
	res = make([]float64, k)
	tot = make([]float64, k)
	mean := make([]float64, k)
	for i := range t {
		for j := range k {
			mean[j] += Y.At(i, j)
		}
	}
	for j := range mean {
		mean[j] /= float64(t)
	}
	for i := range t {
		for j := range k {
			y := Y.At(i, j)
			d := y - Yhat.At(i, j)
			res[j] += d * d
			c := y - mean[j]
			tot[j] += c * c
		}
	}
	return res, tot, t, nil
}
