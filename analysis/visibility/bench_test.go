package visibility

import (
	"fmt"
	"testing"

	"github.com/neurotab/neurotab"
)

// BenchmarkGraphs reports samples per second for both graphs of an i.i.d.
// uniform trace; 100,000 samples is the reference size (≈ 9 h at
// 3 Hz).
func BenchmarkGraphs(b *testing.B) {
	for _, g := range graphs {
		for _, n := range []int{10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/T=%d", g.name, n), func(b *testing.B) {
				rng := neurotab.Seed(1).Rand(0)
				x := make([]float64, n)
				for i := range x {
					x[i] = rng.Float64()
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := g.fast(x); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)*float64(n)/b.Elapsed().Seconds(), "samples/s")
			})
		}
	}
}
