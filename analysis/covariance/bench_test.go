package covariance

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	// With -tags openblas, the products below run on OpenBLAS.
	_ "github.com/neurotab/neurotab/internal/openblas"
)

// BenchmarkEmpirical reports seconds per covariance and samples per second
// (T·N values per call) for N neurons × T samples: 300 × 100,000 (long
// recording, 9 h at 3 Hz) and 1,000 × 5,000 (a large population). The work
// is two passes for the means and one blocked dsyrk (see Empirical).
func BenchmarkEmpirical(b *testing.B) {
	for _, sz := range []struct{ n, t int }{{300, 100_000}, {1_000, 5_000}} {
		b.Run(fmt.Sprintf("N=%d/T=%d", sz.n, sz.t), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			data := make([]float64, sz.t*sz.n)
			for i := range data {
				data[i] = r.NormFloat64()
			}
			x := mat.NewDense(sz.t, sz.n, data)
			var e Empirical
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := e.Fit(x); err != nil {
					b.Fatal(err)
				}
			}
			s := b.Elapsed().Seconds()
			b.ReportMetric(s/float64(b.N), "s/cov")
			b.ReportMetric(float64(b.N)*float64(sz.t*sz.n)/s, "samples/s")
		})
	}
}

// BenchmarkLedoitWolf reports the cost of the shrinkage on top of
// Empirical (one more pass over X and one over S).
func BenchmarkLedoitWolf(b *testing.B) {
	const n, t = 300, 10_000
	x := randomTraces(1, t, n)
	var e LedoitWolf
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Fit(x); err != nil {
			b.Fatal(err)
		}
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(s/float64(b.N), "s/cov")
	b.ReportMetric(float64(b.N)*float64(t*n)/s, "samples/s")
}

// BenchmarkTangent reports recordings per second for 10 recordings of
// 100 neurons × 1,000 samples.
func BenchmarkTangent(b *testing.B) {
	const k, n, t = 10, 100, 1_000
	xs := make([]mat.Matrix, k)
	for i := range xs {
		xs[i] = randomTraces(uint64(i+1), t, n)
	}
	var tg Tangent
	b.ReportAllocs()
	for b.Loop() {
		if err := tg.Fit(xs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*k/b.Elapsed().Seconds(), "recordings/s")
}
