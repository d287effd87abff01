package readout_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/fit/readout"
)

// states returns a toy two-unit "reservoir" (sin t, cos t, plus an offset of
// 2 on the first unit) sampled every 0.1 s, and the target sin(t + 0.5) + 1,
// which a readout maps exactly: cos(0.5)·sin t + sin(0.5)·cos t + 1.
func states(T int) (X, Y *mat.Dense) {
	X = mat.NewDense(T, 2, nil)
	Y = mat.NewDense(T, 1, nil)
	for i := range T {
		t := 0.1 * float64(i)
		X.Set(i, 0, 2+math.Sin(t))
		X.Set(i, 1, math.Cos(t))
		Y.Set(i, 0, math.Sin(t+0.5)+1)
	}
	return X, Y
}

// Fit a ridge readout with an intercept, read its weights and score it.
func ExampleRidge() {
	X, Y := states(500)
	r := readout.Ridge{Alpha: 1e-6, FitIntercept: true}
	if err := r.Fit(X, Y); err != nil {
		fmt.Println(err)
		return
	}
	var W, Yhat mat.Dense
	var b mat.VecDense
	if err := r.WeightsTo(&W); err != nil {
		fmt.Println(err)
		return
	}
	_ = r.InterceptTo(&b) // cannot fail once WeightsTo has succeeded
	fmt.Printf("W = [%.4f %.4f], b = %.4f\n", W.At(0, 0), W.At(1, 0), b.AtVec(0))
	fmt.Printf("cos 0.5 = %.4f, sin 0.5 = %.4f, 1 − 2 cos 0.5 = %.4f\n", math.Cos(0.5), math.Sin(0.5), 1-2*math.Cos(0.5))

	if err := r.PredictTo(&Yhat, X); err != nil {
		fmt.Println(err)
		return
	}
	r2, _ := readout.R2(Y, &Yhat)
	fmt.Printf("R² = %.6f\n", r2[0])
	fmt.Println(r.Parameters())
	// Output:
	// W = [0.8776 0.4794], b = -0.7552
	// cos 0.5 = 0.8776, sin 0.5 = 0.4794, 1 − 2 cos 0.5 = -0.7552
	// R² = 1.000000
	// map[alpha:1e-06 fit_intercept:true svd_fallback:false washout:0]
}

// Accumulate a long recording batch by batch (as Arrow record batches
// arrive), then solve once for two penalties without reading the data again.
// Each centred feature has Σx̃² ≈ 500 over the 1000 samples, so α = 10⁴
// shrinks W by about 500/(500 + 10⁴) ≈ 0.048.
func ExampleRidge_Accumulate() {
	X, Y := states(1000)
	var r readout.Ridge
	for lo := 0; lo < 1000; lo += 250 {
		if err := r.Accumulate(X.Slice(lo, lo+250, 0, 2), Y.Slice(lo, lo+250, 0, 1)); err != nil {
			fmt.Println(err)
			return
		}
	}
	var W mat.Dense
	for _, alpha := range []float64{0, 1e4} {
		r.Alpha, r.FitIntercept = alpha, true
		if err := r.Solve(); err != nil {
			fmt.Println(err)
			return
		}
		W.Reset()
		_ = r.WeightsTo(&W)
		fmt.Printf("α = %g: %d samples, W = [%.4f %.4f]\n", alpha, r.Samples(), W.At(0, 0), W.At(1, 0))
	}
	// Output:
	// α = 0: 1000 samples, W = [0.8776 0.4794]
	// α = 10000: 1000 samples, W = [0.0420 0.0229]
}

// Train an online readout one sample at a time, predicting before learning
// each sample as a FORCE loop does, and watch the a-priori error shrink.
func ExampleRLS() {
	X, Y := states(300)
	r := readout.RLS{Delta: 1e-6} // no intercept: the offset is a feature
	x := make([]float64, 3)
	yhat := make([]float64, 1)
	for i := range 300 {
		x[0], x[1], x[2] = X.At(i, 0), X.At(i, 1), 1 // constant feature for the intercept
		if i > 0 {
			if _, err := r.PredictVec(yhat, x); err != nil {
				fmt.Println(err)
				return
			}
		}
		if i == 1 || i == 10 || i == 299 {
			fmt.Printf("sample %3d: |y − ŷ| = %.1e\n", i, math.Abs(Y.At(i, 0)-yhat[0]))
		}
		if err := r.Update(x, Y.RawRowView(i)); err != nil {
			fmt.Println(err)
			return
		}
	}
	var W mat.Dense
	if err := r.WeightsTo(&W); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("W = [%.4f %.4f %.4f]\n", W.At(0, 0), W.At(1, 0), W.At(2, 0))
	// Output:
	// sample   1: |y − ŷ| = 3.7e-02
	// sample  10: |y − ŷ| = 1.7e-05
	// sample 299: |y − ŷ| = 1.9e-08
	// W = [0.8776 0.4794 -0.7552]
}
