package pipeline

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// BenchmarkForecast fits the three methods to one recording of 1350
// samples × 42 neurons (the demo's size) with the command's defaults
// (300 units, 3 lags) and reports recording samples per second.
func BenchmarkForecast(b *testing.B) {
	const T, N = 1350, 42
	rng := rand.New(rand.NewPCG(1, 2))
	X := mat.NewDense(T, N, nil)
	tm := make([]float64, T)
	for t := range T {
		tm[t] = float64(t) / 3
		for j := range N {
			X.Set(t, j, math.Sin(float64(t)/(10+float64(j)))+0.1*rng.NormFloat64())
		}
	}
	names := make([]string, N)
	for j := range names {
		names[j] = string(rune('A'+j%26)) + string(rune('a'+j/26))
	}
	rec := &table.Recording{Dataset: "bench", Worm: "w", Neurons: names, Time: tm, Data: X}
	f := Forecast{Horizon: 15, Lags: 3, Ridge: 300, ARRidge: 300,
		Reservoir: reservoir.Config{Units: 300, SpectralRadius: 0.9, InputScaling: 0.1, Seed: 1}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.Fit(rec); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(T)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}
