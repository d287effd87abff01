package reservoir_test

import (
	"fmt"
	"testing"

	"github.com/neurotab/neurotab/fit/reservoir"
)

// BenchmarkStep runs one ESN step (tanh, W density 0.1, one input) per
// iteration; steps/s counts steps per second. Building W (and its dense
// eigenvalues) happens before the timer. steps/cpu-s counts steps per
// second of the process's CPU time (unix), the figure to read on a
// machine other processes share.
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{100, 400, 1000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			e, err := reservoir.Config{Units: n, Density: 0.1, Seed: 1}.New()
			if err != nil {
				b.Fatal(err)
			}
			r := reservoir.NewRunner(e)
			x := make([]float64, n)
			u := []float64{0.3}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuSeconds()
			for b.Loop() {
				r.Step(x, u, nil)
				u[0] = -u[0]
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
			if cpu := cpuSeconds() - cpu; cpu > 0 {
				b.ReportMetric(float64(b.N)/cpu, "steps/cpu-s")
			}
		})
	}
}
