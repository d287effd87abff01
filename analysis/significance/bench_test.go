package significance

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// BenchmarkSurrogates reports samples per second (T·N per surrogate) of
// each surrogate kind at 3000 samples (≈ 17 min at 3 Hz) × 100 neurons.
func BenchmarkSurrogates(b *testing.B) {
	const t, n = 3000, 100
	x := ar1(1, t, n, 0.5)
	kinds := map[string]func(dst *mat.Dense, rng int) error{
		"shift": func(dst *mat.Dense, s int) error { return CircularShift(dst, x, neurotab.Seed(1).Rand(uint64(s))) },
		"phase": func(dst *mat.Dense, s int) error {
			return PhaseRandomize(dst, x, neurotab.Seed(1).Rand(uint64(s)), false)
		},
	}
	for _, name := range []string{"shift", "phase"} {
		b.Run(name, func(b *testing.B) {
			dst := mat.NewDense(t, n, nil)
			b.ReportAllocs()
			s := 0
			for b.Loop() {
				if err := kinds[name](dst, s); err != nil {
					b.Fatal(err)
				}
				s++
			}
			b.ReportMetric(float64(b.N)*t*n/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// BenchmarkTest reports surrogates per second of a Pearson surrogate test
// (statistic included) for 1000 samples × N neurons.
func BenchmarkTest(b *testing.B) {
	for _, n := range []int{10, 50} {
		b.Run(fmt.Sprintf("T=1000/N=%d", n), func(b *testing.B) {
			x := ar1(1, 1000, n, 0.5)
			const s = 99
			b.ReportAllocs()
			for b.Loop() {
				test := Test{Surrogates: s}
				if err := test.Fit(x, pearson); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*s/b.Elapsed().Seconds(), "surrogates/s")
		})
	}
}
