package ntf

import (
	"testing"
	"time"
)

// BenchmarkCP fits rank 10 to a 200 windows × 10 recordings × 4,950 pairs
// (100 neurons) tensor, one restart of 100 sweeps, and reports seconds per
// restart and milliseconds per sweep.
func BenchmarkCP(b *testing.B) {
	x, _ := planted(200, 10, 4950, 10, 0.05, 1)
	cp := CP{Rank: 10, MaxIter: 100, Tol: 1e-300}
	b.ResetTimer()
	start := time.Now()
	sweeps := 0
	for range b.N {
		if err := cp.Fit(x); err != nil {
			b.Fatal(err)
		}
		obj, _ := cp.Objective(0)
		sweeps += len(obj)
	}
	el := time.Since(start).Seconds()
	b.ReportMetric(el/float64(b.N), "s/restart")
	b.ReportMetric(1000*el/float64(sweeps), "ms/sweep")
}
