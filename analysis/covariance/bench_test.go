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

// BenchmarkCorrelation reports seconds per correlation matrix (the
// Measure of kind correlation with the Empirical estimator: one scatter
// of X, divided by its diagonal) for N neurons × T samples: 300 × 100,000
// and 1,000 × 5,000, on the traces of sharedTraces, which
// bench/fc_corr.py rebuilds in numpy to time np.corrcoef on the same
// numbers (bench/fc_corr_compare.py runs both, interleaved). The metric r01
// is r between neurons 0 and 1, which the numpy script prints too.
func BenchmarkCorrelation(b *testing.B) {
	for _, sz := range []struct{ n, t int }{{300, 100_000}, {1_000, 5_000}} {
		b.Run(fmt.Sprintf("N=%d/T=%d", sz.n, sz.t), func(b *testing.B) {
			x := sharedTraces(sz.t, sz.n)
			m := Measure{Estimator: &Empirical{}, Kind: KindCorrelation}
			var r mat.SymDense
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := m.Fit(x); err != nil {
					b.Fatal(err)
				}
			}
			s := b.Elapsed().Seconds()
			if err := m.MatrixTo(&r); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(s/float64(b.N), "s/matrix")
			b.ReportMetric(r.At(0, 1), "r01")
		})
	}
}

// sharedTraces is the T × N benchmark matrix that bench/fc_corr.py builds
// the same way in numpy: u(k) ∈ [−1, 1) from splitmix64 of the index k
// (Steele, Lea & Flood 2014), x[t][j] = u(t·N + j) + (j mod 3)/2 · u(T·N + t)
// (a common signal shared by two neurons in three).
func sharedTraces(t, n int) *mat.Dense {
	u := func(k uint64) float64 {
		z := (k + 1) * 0x9E3779B97F4A7C15
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		z ^= z >> 31
		return 2*float64(z>>11)*0x1p-53 - 1
	}
	x := mat.NewDense(t, n, nil)
	raw := x.RawMatrix().Data
	for s := range t {
		common := u(uint64(t*n + s))
		for j := range n {
			raw[s*n+j] = u(uint64(s*n+j)) + float64(j%3)/2*common
		}
	}
	return x
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
