package connectivity

import (
	"fmt"
	"testing"

	// With -tags openblas, the products below run on OpenBLAS.
	_ "github.com/neurotab/neurotab/internal/openblas"
)

// BenchmarkPearson reports neuron pairs per second (N(N−1)/2 per call) and
// samples per second (T·N per call). The largest size is the brief's
// reference point: 3000 samples (≈ 17 min at 3 Hz) × 300 neurons.
func BenchmarkPearson(b *testing.B) {
	for _, sz := range []struct{ t, n int }{{1000, 50}, {3000, 300}} {
		b.Run(fmt.Sprintf("T=%d/N=%d", sz.t, sz.n), func(b *testing.B) {
			x := randomTraces(1, sz.t, sz.n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Pearson(x); err != nil {
					b.Fatal(err)
				}
			}
			s := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N)*float64(sz.n*(sz.n-1)/2)/s, "pairs/s")
			b.ReportMetric(float64(b.N)*float64(sz.t*sz.n)/s, "samples/s")
		})
	}
}

// BenchmarkLagged reports pair-lags per second (N² (2·MaxLag+1) per call).
func BenchmarkLagged(b *testing.B) {
	const t, n, maxLag = 1000, 100, 10
	x := randomTraces(1, t, n)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LaggedCorrelation(x, maxLag); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*float64(n*n*(2*maxLag+1))/b.Elapsed().Seconds(), "pair-lags/s")
}

// BenchmarkPartial reports neuron pairs per second.
func BenchmarkPartial(b *testing.B) {
	const t, n = 3000, 300
	x := randomTraces(1, t, n)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PartialCorrelation(x, 0.01); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*float64(n*(n-1)/2)/b.Elapsed().Seconds(), "pairs/s")
}
