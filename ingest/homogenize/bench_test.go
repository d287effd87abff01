package homogenize

import (
	"fmt"
	"math"
	"testing"

	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

func benchRaw(T, N int, dt float64) *ingest.Raw {
	x := mat.NewDense(T, N, nil)
	tm := make([]float64, T)
	labels := make([]string, N)
	labels[0] = "AVAL"
	for i := 0; i < T; i++ {
		tm[i] = dt * float64(i)
		for j := 0; j < N; j++ {
			x.Set(i, j, math.Sin(0.01*float64(i*(j+1))))
		}
	}
	return &ingest.Raw{Dataset: "B", Worm: "w", RawFile: "b", Labels: labels, Time: tm, Traces: x}
}

// BenchmarkHomogenize reports raw samples (T0 × N) processed per second.
func BenchmarkHomogenize(b *testing.B) {
	for _, c := range []struct {
		T, N int
		dt   float64
	}{{1000, 100, 0.6}, {3000, 150, 0.2}, {12000, 150, 0.1}} {
		for _, sm := range []Smoother{SmoothMovingAverage, SmoothGaussian} {
			b.Run(fmt.Sprintf("T=%d/N=%d/dt=%g/%s", c.T, c.N, c.dt, sm), func(b *testing.B) {
				raw := benchRaw(c.T, c.N, c.dt)
				opt := Options{Smooth: sm}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, _, err := Homogenize(raw, opt); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(c.T*c.N)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
			})
		}
	}
}

// BenchmarkSteps reports samples per second of each step on one trace.
func BenchmarkSteps(b *testing.B) {
	for _, T := range []int{1000, 100000} {
		x := make([]float64, T)
		t := make([]float64, T)
		for i := range x {
			t[i] = 0.1 * float64(i)
			x[i] = math.Sin(0.01 * float64(i))
		}
		g, err := NewGrid(t, 0.333)
		if err != nil {
			b.Fatal(err)
		}
		dst := make([]float64, T)
		steps := []struct {
			name string
			f    func()
		}{
			{"MovingAverage", func() { MovingAverage(dst, x, 15) }},
			{"GaussianSmooth", func() { GaussianSmooth(dst, x, 5) }},
			{"ExponentialSmooth", func() { ExponentialSmooth(dst, x, 0.5) }},
			{"ZScore", func() { ZScore(dst, x) }},
			{"CausalNormalize", func() { CausalNormalize(dst, x) }},
			{"FillLinear", func() { FillLinear(dst, t, x) }},
			{"GridResampleDown", func() { g.Resample(dst, x) }},
		}
		for _, s := range steps {
			b.Run(fmt.Sprintf("%s/T=%d", s.name, T), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					s.f()
				}
				b.ReportMetric(float64(T)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
			})
		}
	}
}
