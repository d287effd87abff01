package readout

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestMetricsReference compares R2 and NRMSE with numpy formulas and R2 with
// sklearn.metrics.r2_score(multioutput="raw_values") (testdata/gen_reference.py).
func TestMetricsReference(t *testing.T) {
	ref := loadReference(t)
	Y := dense(ref.Ytest)
	const tol = 1e-8
	for _, c := range ref.Metrics {
		t.Run(c.Name, func(t *testing.T) {
			Yhat := dense(c.Yhat)
			r2, err := R2(Y, Yhat)
			if err != nil {
				t.Fatal(err)
			}
			nrmse, err := NRMSE(Y, Yhat)
			if err != nil {
				t.Fatal(err)
			}
			for _, chk := range []struct {
				what      string
				got, want []float64
			}{
				{"R2 vs numpy", r2, c.R2},
				{"R2 vs sklearn", r2, c.SklearnR2},
				{"NRMSE vs numpy", nrmse, c.NRMSE},
			} {
				if chk.want == nil {
					t.Logf("%s: no reference value", chk.what)
					continue
				}
				if e := relErrVec(chk.got, chk.want); e > tol {
					t.Errorf("%s: got %v, want %v (relative error %.3g)", chk.what, chk.got, chk.want, e)
				}
			}
		})
	}
}

// TestMetricsHand checks values derived by hand.
func TestMetricsHand(t *testing.T) {
	y := mat.NewDense(4, 2, []float64{
		1, 10,
		2, 10,
		3, 10,
		4, 10,
	})
	for _, c := range []struct {
		name      string
		yhat      []float64
		r2, nrmse []float64 // NaN: constant target column
	}{
		// Perfect prediction: SS_res = 0.
		{"perfect", []float64{1, 10, 2, 10, 3, 10, 4, 10}, []float64{1, math.NaN()}, []float64{0, math.NaN()}},
		// Predicting the mean 2.5: SS_res = SS_tot = 5.
		{"mean", []float64{2.5, 0, 2.5, 0, 2.5, 0, 2.5, 0}, []float64{0, math.NaN()}, []float64{1, math.NaN()}},
		// Off by one everywhere: SS_res = 4, SS_tot = 5, R² = 1/5;
		// RMSE = 1, std = sqrt(5/4), NRMSE = 2/sqrt(5).
		{"offset", []float64{2, 0, 3, 0, 4, 0, 5, 0}, []float64{0.2, math.NaN()}, []float64{2 / math.Sqrt(5), math.NaN()}},
		// Reversed: SS_res = 9+1+1+9 = 20, R² = 1 − 20/5 = −3, NRMSE = 2.
		{"reversed", []float64{4, 0, 3, 0, 2, 0, 1, 0}, []float64{-3, math.NaN()}, []float64{2, math.NaN()}},
	} {
		t.Run(c.name, func(t *testing.T) {
			yhat := mat.NewDense(4, 2, c.yhat)
			r2, err := R2(y, yhat)
			if err != nil {
				t.Fatal(err)
			}
			nrmse, err := NRMSE(y, yhat)
			if err != nil {
				t.Fatal(err)
			}
			for j := range 2 {
				if !near(r2[j], c.r2[j], 1e-15) {
					t.Errorf("R2[%d] = %v, want %v", j, r2[j], c.r2[j])
				}
				if !near(nrmse[j], c.nrmse[j], 1e-15) {
					t.Errorf("NRMSE[%d] = %v, want %v", j, nrmse[j], c.nrmse[j])
				}
				// NRMSE² = 1 − R² whenever both are defined.
				if !math.IsNaN(r2[j]) && !near(nrmse[j]*nrmse[j], 1-r2[j], 1e-14) {
					t.Errorf("column %d: NRMSE² = %v, 1 − R² = %v", j, nrmse[j]*nrmse[j], 1-r2[j])
				}
			}
		})
	}
}

func TestMetricsNaN(t *testing.T) {
	y := mat.NewDense(3, 2, []float64{1, 1, 2, math.NaN(), 3, 3})
	yhat := mat.NewDense(3, 2, []float64{1, 1, 2, 2, 3, 3})
	r2, err := R2(y, yhat)
	if err != nil {
		t.Fatal(err)
	}
	if r2[0] != 1 || !math.IsNaN(r2[1]) {
		t.Errorf("R2 = %v, want [1 NaN]: a NaN spoils only its column", r2)
	}
}

func TestMetricsErrors(t *testing.T) {
	for _, c := range []struct {
		name    string
		y, yhat mat.Matrix
	}{
		{"rows", mat.NewDense(3, 2, nil), mat.NewDense(4, 2, nil)},
		{"cols", mat.NewDense(3, 2, nil), mat.NewDense(3, 1, nil)},
		{"empty", emptyMatrix{0, 2}, emptyMatrix{0, 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := R2(c.y, c.yhat); !errors.Is(err, neurotab.ErrShape) {
				t.Errorf("R2: %v, want neurotab.ErrShape", err)
			}
			if _, err := NRMSE(c.y, c.yhat); !errors.Is(err, neurotab.ErrShape) {
				t.Errorf("NRMSE: %v, want neurotab.ErrShape", err)
			}
		})
	}
}

// near reports |a − b| ≤ tol·max(1, |b|), with NaN equal to NaN.
func near(a, b, tol float64) bool {
	if math.IsNaN(b) {
		return math.IsNaN(a)
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}
