package hmm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkEStep is the E-step (forward–backward, γ and Σξ) of K states
// on S sequences of T steps from given log-likelihoods. The reference for
// K = 5, T = 2,000 × 50 is a plain Go log-space forward–backward measured
// on this machine: 137 ms.
func BenchmarkEStep(b *testing.B) {
	for _, c := range []struct{ K, T, S int }{{2, 2000, 50}, {5, 2000, 50}, {10, 2000, 50}} {
		b.Run(fmt.Sprintf("K=%d/T=%d/S=%d", c.K, c.T, c.S), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			lls := make([]*mat.Dense, c.S)
			for s := range lls {
				d := make([]float64, c.T*c.K)
				for i := range d {
					d[i] = -5 * rng.Float64()
				}
				lls[s] = mat.NewDense(c.T, c.K, d)
			}
			tr, _ := NewTransitions(c.K, 0.95)
			pi := make([]float64, c.K)
			for k := range pi {
				pi[k] = 1 / float64(c.K)
			}
			obs, _ := NewPoisson(c.K, 1)
			m := &Model{Initial: &Initial{Pi: pi}, Transitions: tr, Observations: obs}
			b.ReportAllocs()
			var sink float64
			for b.Loop() {
				_, ll, err := m.posteriors(lls)
				if err != nil {
					b.Fatal(err)
				}
				sink += ll
			}
			if math.IsNaN(sink) {
				b.Fatal("NaN")
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(sec, "s/estep")
			b.ReportMetric(float64(c.T*c.S)/sec, "steps/s")
		})
	}
}
