package glm

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkWeightedPoisson fits a γ-weighted Poisson GLM (exp link,
// intercept) with T = 100,000 bins and F = 20 covariates, reporting the
// seconds and Newton iterations of one fit.
func BenchmarkWeightedPoisson(b *testing.B) {
	const T, F = 100_000, 20
	rng := rand.New(rand.NewPCG(1, 2))
	X := mat.NewDense(T, F, nil)
	y := make([]float64, T)
	w := make([]float64, T)
	beta := make([]float64, F)
	for j := range beta {
		beta[j] = 0.1 * rng.NormFloat64()
	}
	for t := range T {
		eta := -1.0
		for j := range F {
			v := rng.NormFloat64()
			X.Set(t, j, v)
			eta += v * beta[j]
		}
		y[t] = float64(poisson(rng, math.Exp(eta)))
		w[t] = rng.Float64()
	}
	r := Regression{Intercept: true}
	b.ResetTimer()
	for b.Loop() {
		if err := r.Fit(X, y, w); err != nil {
			b.Fatal(err)
		}
	}
	it, _ := r.Iterations()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/fit")
	b.ReportMetric(float64(it), "iterations")
}

// poisson draws a Poisson count by inversion (small means).
func poisson(rng *rand.Rand, mean float64) int {
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
