package covariance_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/covariance"
)

// traces is a T = 4 × N = 2 trace matrix (rows are time). By hand: both
// columns have mean 2.5 and variance 1.25, their covariance is 0.75 and
// Pearson's r = 0.6.
func traces() *mat.Dense {
	return mat.NewDense(4, 2, []float64{
		1, 2,
		2, 1,
		3, 4,
		4, 3,
	})
}

func ExampleEmpirical() {
	e := covariance.Empirical{} // DDOF 0, as numpy.cov(ddof=0) and nilearn
	if err := e.Fit(traces()); err != nil {
		fmt.Println(err)
		return
	}
	var s mat.SymDense
	if err := e.CovarianceTo(&s); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", mat.Formatted(&s))
	// Output:
	// ⎡1.2500  0.7500⎤
	// ⎣0.7500  1.2500⎦
}

func ExampleLedoitWolf() {
	// By hand: μ = 1.25, δ = 0.5625, β = 0.25, λ = β/δ = 4/9, and
	// Σ = (5/9) S + (4/9) μ I.
	var e covariance.LedoitWolf
	if err := e.Fit(traces()); err != nil {
		fmt.Println(err)
		return
	}
	lambda, _ := e.Shrinkage()
	var s mat.SymDense
	_ = e.CovarianceTo(&s)
	fmt.Printf("λ = %.4f\n%.4f\n", lambda, mat.Formatted(&s))
	// Output:
	// λ = 0.4444
	// ⎡1.2500  0.4167⎤
	// ⎣0.4167  1.2500⎦
}

func ExampleOAS() {
	// By hand: μ = 1.25, α = ‖S‖²_F/N² = 1.0625,
	// ρ = (α + μ²)/((T+1)(α − μ²/N)) = 2.625/1.5 > 1, so ρ = 1: Σ = μI.
	var e covariance.OAS
	if err := e.Fit(traces()); err != nil {
		fmt.Println(err)
		return
	}
	rho, _ := e.Shrinkage()
	var s mat.SymDense
	_ = e.CovarianceTo(&s)
	fmt.Printf("ρ = %.4f\n%.4f\n", rho, mat.Formatted(&s))
	// Output:
	// ρ = 1.0000
	// ⎡1.2500  0.0000⎤
	// ⎣0.0000  1.2500⎦
}

func ExampleMeasure() {
	// nilearn's correlation kind: Pearson's r with Empirical, (1 − λ)·r with
	// the default Ledoit–Wolf (λ = 4/9 here, as both traces have the same
	// variance).
	for _, m := range []covariance.Measure{
		{Estimator: &covariance.Empirical{}, Kind: covariance.KindCorrelation},
		{Kind: covariance.KindCorrelation},
	} {
		if err := m.Fit(traces()); err != nil {
			fmt.Println(err)
			return
		}
		var c mat.SymDense
		_ = m.MatrixTo(&c)
		fmt.Printf("%s: r = %.4f, vector %.4f\n", m.Parameters()["estimator"], c.At(0, 1), covariance.SymToVec(nil, &c, true))
	}
	// Output:
	// empirical: r = 0.6000, vector [0.6000]
	// ledoit_wolf: r = 0.3333, vector [0.3333]
}

func ExampleTangent() {
	// Two recordings whose empirical covariances are diag(1, 4) and
	// diag(4, 1): their geometric mean is 2I, and the tangent vectors are
	// diag(log ½, log 2) and diag(log 2, log ½).
	a := mat.NewDense(4, 2, []float64{1, 2, -1, 2, 1, -2, -1, -2})
	b := mat.NewDense(4, 2, []float64{2, 1, -2, 1, 2, -1, -2, -1})
	tg := covariance.Tangent{Estimator: &covariance.Empirical{}}
	if err := tg.Fit([]mat.Matrix{a, b}); err != nil {
		fmt.Println(err)
		return
	}
	var g, t0, back mat.SymDense
	_ = tg.MeanTo(&g)
	_ = tg.TangentTo(&t0, 0)
	_ = tg.InverseTo(&back, &t0)
	fmt.Printf("mean\n%.4f\ntangent 0\n%.4f\nback\n%.4f\n", mat.Formatted(&g), mat.Formatted(&t0), mat.Formatted(&back))
	// Output:
	// mean
	// ⎡2.0000  0.0000⎤
	// ⎣0.0000  2.0000⎦
	// tangent 0
	// ⎡-0.6931   0.0000⎤
	// ⎣ 0.0000   0.6931⎦
	// back
	// ⎡1.0000  0.0000⎤
	// ⎣0.0000  4.0000⎦
}
