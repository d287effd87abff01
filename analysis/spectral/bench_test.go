package spectral

import (
	"fmt"
	"testing"
)

// BenchmarkWelchCoherence reports seconds per fit and pairs per second
// (N(N−1)/2 per fit, every frequency) of FitContinuous with Welch segments
// of 256 samples, half overlapping. The largest size is the issue's
// reference point: 64 neurons × 100,000 samples (780 segments, 129
// frequencies).
func BenchmarkWelchCoherence(b *testing.B) {
	for _, sz := range []struct{ t, n int }{{10000, 16}, {100000, 64}} {
		b.Run(fmt.Sprintf("T=%d/N=%d", sz.t, sz.n), func(b *testing.B) {
			x := noiseEpochs(1, 1, sz.t, sz.n)[0]
			c := Connectivity{SegmentLength: 256, Overlap: 128, SampleRate: 1000}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := c.FitContinuous(x); err != nil {
					b.Fatal(err)
				}
			}
			s := b.Elapsed().Seconds()
			b.ReportMetric(s/float64(b.N), "s/fit")
			b.ReportMetric(float64(b.N)*float64(sz.n*(sz.n-1)/2)/s, "pairs/s")
		})
	}
}
