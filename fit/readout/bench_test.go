package readout

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"

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
	for _, f := range []int{50, 200, 500, 1000} {
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

// splitmix returns the uniform in [0, 1) of the splitmix64 hash of i, the
// generator testdata/ridge_peer.py uses so both sides fit the same data.
func splitmix(i uint64) float64 {
	z := i + 0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	z ^= z >> 31
	return float64(z>>11) * 0x1p-53
}

// BenchmarkRidgeLarge fits T = 10,000 states × F = 1,000 units to K = 10
// targets (α = 1, no intercept, as numpy's solve of XᵀX + αI does):
// s/fit is the seconds per fit, to compare with testdata/ridge_peer.py
// (numpy's X.T @ X and solve on the same data; run them interleaved). The
// log gives sum(W), which the peer prints too.
func BenchmarkRidgeLarge(b *testing.B) {
	const T, F, K = 10_000, 1_000, 10
	X, Y := mat.NewDense(T, F, nil), mat.NewDense(T, K, nil)
	x, y := X.RawMatrix().Data, Y.RawMatrix().Data
	for i := range x {
		x[i] = 2*splitmix(uint64(i)) - 1
	}
	for i := range y {
		y[i] = 2*splitmix(uint64(T*F+i)) - 1
	}
	r := Ridge{Alpha: 1}
	b.ResetTimer()
	for b.Loop() {
		if err := r.Fit(X, Y); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/fit")
	var w mat.Dense
	if err := r.WeightsTo(&w); err != nil {
		b.Fatal(err)
	}
	b.Logf("sum(W) = %.12g", mat.Sum(&w))
}
