package directed

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// randomTraces returns T × N AR(1) traces (coefficient 0.9, Gaussian
// innovations) from seed; each odd neuron is also driven by the previous
// sample of its even neighbour. (A chain of drives through all N neurons
// would filter the far ones into nearly collinear lags.)
func randomTraces(seed neurotab.Seed, T, N int) *mat.Dense {
	rng := seed.Rand(0)
	x := mat.NewDense(T, N, nil)
	for t := 1; t < T; t++ {
		for j := range N {
			v := 0.9*x.At(t-1, j) + rng.NormFloat64()
			if j%2 == 1 {
				v += 0.2 * x.At(t-1, j-1)
			}
			x.Set(t, j, v)
		}
	}
	return x
}

// BenchmarkGranger reports ordered pairs per second (N(N−1) per fit) and
// seconds per fit. The largest size is the brief's reference point: 100
// neurons × 10,000 samples at lag 5.
func BenchmarkGranger(b *testing.B) {
	for _, sz := range []struct {
		t, n, p     int
		conditional bool
	}{{1000, 20, 5, false}, {10000, 100, 5, false}, {10000, 100, 5, true}} {
		name := fmt.Sprintf("T=%d/N=%d/lag=%d", sz.t, sz.n, sz.p)
		if sz.conditional {
			name += "/conditional"
		}
		b.Run(name, func(b *testing.B) {
			x := randomTraces(1, sz.t, sz.n)
			g := Granger{Lag: sz.p, Conditional: sz.conditional}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := g.Fit(x); err != nil {
					b.Fatal(err)
				}
			}
			s := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N)*float64(sz.n*(sz.n-1))/s, "pairs/s")
			b.ReportMetric(s/float64(b.N), "s/fit")
		})
	}
}

// BenchmarkGrangerPairs times every ordered pair of 100 neurons × 10,000
// samples at lag 5 on the traces of sharedAR, which bench/fc_granger.py
// rebuilds in numpy to time a statsmodels grangercausalitytests loop over
// the same pairs. It reports seconds per fit and the F statistic of
// neuron 0 → 1 (F01), which the script prints too.
func BenchmarkGrangerPairs(b *testing.B) {
	const T, N, p = 10_000, 100, 5
	x := sharedAR(T, N)
	g := Granger{Lag: p}
	b.ResetTimer()
	for b.Loop() {
		if err := g.Fit(x); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/fit")
	b.ReportMetric(g.At(0, 1).F, "F01")
}

// sharedAR is the T × N matrix of AR(1) traces that bench/fc_granger.py
// builds the same way: innovations e(t, j) = √3 (2u − 1) with u ∈ [0, 1)
// from splitmix64 of the index t·N + j (Steele, Lea & Flood 2014; unit
// variance, no transcendental function so both sides agree to the last
// bit), x(t, j) = 0.9 x(t−1, j) + e(t, j), plus 0.2 x(t−1, j−1) for odd j.
func sharedAR(T, N int) *mat.Dense {
	u := func(k uint64) float64 {
		z := (k + 1) * 0x9E3779B97F4A7C15
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		z ^= z >> 31
		return float64(z>>11) * 0x1p-53
	}
	x := mat.NewDense(T, N, nil)
	for t := range T {
		for j := range N {
			v := math.Sqrt(3) * (2*u(uint64(t*N+j)) - 1)
			if t > 0 {
				v += 0.9 * x.At(t-1, j)
				if j%2 == 1 {
					v += 0.2 * x.At(t-1, j-1)
				}
			}
			x.Set(t, j, v)
		}
	}
	return x
}

// BenchmarkTransferEntropy reports time steps per second of a binary pair
// with history length 3.
func BenchmarkTransferEntropy(b *testing.B) {
	const T, k = 100000, 3
	rng := neurotab.Seed(1).Rand(0)
	src, tgt := make([]int, T), make([]int, T)
	for t := 1; t < T; t++ {
		src[t] = rng.IntN(2)
		tgt[t] = src[t-1] ^ rng.IntN(2)&rng.IntN(2)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := TransferEntropy(src, tgt, k); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*T/b.Elapsed().Seconds(), "steps/s")
}
