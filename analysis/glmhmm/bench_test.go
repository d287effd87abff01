package glmhmm_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/glmhmm"
	"github.com/neurotab/neurotab/formats/table"
)

// BenchmarkFit fits K = 2 (one restart) to Gaussian traces of N neurons ×
// 2,000 bins whose means flip every 100 bins (warm start, EM to
// convergence, held-out scoring and decoding), and reports bins fitted per
// second.
func BenchmarkFit(b *testing.B) {
	for _, N := range []int{10, 40} {
		b.Run(fmt.Sprintf("N=%d", N), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, uint64(N)))
			T := 2000
			rec := &table.Recording{Dataset: "B", Worm: "w", Data: mat.NewDense(T, N, nil)}
			for n := range N {
				rec.Neurons = append(rec.Neurons, fmt.Sprint("n", n))
			}
			for t := range T {
				rec.Time = append(rec.Time, float64(t)/3)
				for n := range N {
					m := 1.0
					if t/100%2 == n%2 {
						m = -1
					}
					rec.Data.Set(t, n, m+rng.NormFloat64())
				}
			}
			b.ReportAllocs()
			fits := 0
			for b.Loop() {
				if _, err := glmhmm.Fit(rec, glmhmm.Config{MinStates: 2, MaxStates: 2, Restarts: 1}, nil); err != nil {
					b.Fatal(err)
				}
				fits++
			}
			b.ReportMetric(float64(fits*T)/b.Elapsed().Seconds(), "bins/s")
		})
	}
}
