package readout

import (
	"fmt"
	"testing"

	// With -tags openblas, the products below run on OpenBLAS.
	_ "github.com/neurotab/neurotab/internal/openblas"
)

// BenchmarkRidgeFit fits T×F features to K = 3 targets with an intercept;
// samples/s counts rows of X per second.
func BenchmarkRidgeFit(b *testing.B) {
	for _, sz := range []struct{ t, f int }{{10000, 50}, {10000, 500}} {
		b.Run(fmt.Sprintf("T=%d/F=%d", sz.t, sz.f), func(b *testing.B) {
			X, Y, _, _ := seededData(31, sz.t, sz.f, 3, 0.1)
			r := Ridge{Alpha: 1, FitIntercept: true}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := r.Fit(X, Y); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(sz.t)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// BenchmarkRLSUpdate runs one RLS step (F features, K = 1 target, the FORCE
// case, λ < 1 so P is also rescaled) per iteration; samples/s counts Update
// calls per second. The state is sized before the timer starts.
func BenchmarkRLSUpdate(b *testing.B) {
	for _, f := range []int{50, 200, 500} {
		b.Run(fmt.Sprintf("F=%d", f), func(b *testing.B) {
			const T = 1024
			X, Y, _, _ := seededData(32, T, f, 1, 0.1)
			r := RLS{Lambda: 0.999}
			if err := r.Update(X.RawRowView(0), Y.RawRowView(0)); err != nil { // sizes the state
				b.Fatal(err)
			}
			b.ReportAllocs()
			i := 1
			for b.Loop() {
				if err := r.Update(X.RawRowView(i%T), Y.RawRowView(i%T)); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// BenchmarkHebbianUpdate runs one Oja (K = 1) or GHA (K = 10) step on F
// features per iteration; updates/s counts Update calls per second.
func BenchmarkHebbianUpdate(b *testing.B) {
	for _, c := range []struct {
		rule Rule
		k    int
	}{{Oja, 1}, {GHA, 10}} {
		for _, f := range []int{50, 500} {
			b.Run(fmt.Sprintf("%s/F=%d/K=%d", c.rule, f, c.k), func(b *testing.B) {
				const T = 1024
				X, _, _, _ := seededData(33, T, f, 1, 0)
				h := Hebbian{Rule: c.rule, Outputs: c.k, Rate: 1e-4}
				if err := h.Update(X.RawRowView(0)); err != nil { // sizes the state
					b.Fatal(err)
				}
				b.ReportAllocs()
				i := 1
				for b.Loop() {
					if err := h.Update(X.RawRowView(i % T)); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
			})
		}
	}
}
