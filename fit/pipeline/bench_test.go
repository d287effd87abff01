package pipeline

import (
	"fmt"
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

// BenchmarkRunSearch scores an 8-trial grid on one recording of 600
// samples × 20 neurons (100 units) with 1 and 2 jobs and reports trials
// per second.
func BenchmarkRunSearch(b *testing.B) {
	const T, N = 600, 20
	rng := rand.New(rand.NewPCG(1, 2))
	X := mat.NewDense(T, N, nil)
	tm := make([]float64, T)
	names := make([]string, N)
	for j := range names {
		names[j] = string(rune('A' + j))
	}
	for t := range T {
		tm[t] = float64(t) / 3
		for j := range N {
			X.Set(t, j, math.Sin(float64(t)/(10+float64(j)))+0.1*rng.NormFloat64())
		}
	}
	rec := &table.Recording{Dataset: "bench", Worm: "w", Neurons: names, Time: tm, Data: X}
	s := Search{Kind: SearchGrid, SpectralRadius: []float64{0.5, 0.9}, Leak: []float64{0.3, 1}, InputScaling: []float64{0.1}, Ridge: []float64{1, 100}}
	plan, err := s.Plan()
	if err != nil {
		b.Fatal(err)
	}
	f := Forecast{Horizon: 5, Lags: 2, Reservoir: reservoir.Config{Units: 100, Seed: 1}}
	for _, jobs := range []int{1, 2} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			for b.Loop() {
				if _, err := RunSearch(rec, f, s, plan, jobs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(plan)*b.N)/b.Elapsed().Seconds(), "trials/s")
		})
	}
}
