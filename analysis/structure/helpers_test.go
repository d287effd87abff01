package structure

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/connectivity"
)

// randomDigraph returns an N × N directed adjacency with each off-diagonal
// entry 1 + ⌊3u⌋ with probability p, else 0.
func randomDigraph(n int, p float64, seed neurotab.Seed) *mat.Dense {
	rng := seed.Rand(0)
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j && rng.Float64() < p {
				a.Set(i, j, float64(1+rng.IntN(3)))
			}
		}
	}
	return a
}

// linearTraces simulates the leaky linear network
//
//	x(t+1) = λ x(t) + g W x(t) + ε(t),  W = Aᵀ / max in-strength
//
// (x ← W x sends activity from pre to post; spectral radius ≤ λ + g < 1),
// ε standard normal, and returns T × N traces. With coupled false the network is cut (W = 0):
// independent traces.
func linearTraces(a *mat.Dense, t int, lambda, g float64, coupled bool, seed neurotab.Seed) *mat.Dense {
	n, _ := a.Dims()
	maxIn := 0.0
	for j := 0; j < n; j++ {
		s := 0.0
		for i := 0; i < n; i++ {
			s += a.At(i, j)
		}
		maxIn = math.Max(maxIn, s)
	}
	rng := seed.Rand(1)
	x := mat.NewDense(t, n, nil)
	prev := make([]float64, n)
	for s := 0; s < t; s++ {
		for j := 0; j < n; j++ {
			v := rng.NormFloat64() + lambda*prev[j]
			if coupled {
				for i := 0; i < n; i++ {
					v += g * a.At(i, j) / maxIn * prev[i]
				}
			}
			x.Set(s, j, v)
		}
		copy(prev, x.RawRowView(s))
	}
	return x
}

// simulatedFC is the Pearson FC of linearTraces.
func simulatedFC(tb testing.TB, a *mat.Dense, coupled bool, seed neurotab.Seed) *mat.SymDense {
	tb.Helper()
	fc, err := connectivity.Pearson(linearTraces(a, 2000, simLeak, simGain, coupled, seed))
	if err != nil {
		tb.Fatal(err)
	}
	return fc
}

// The simulation's leak λ and gain g.
const simLeak, simGain = 0.5, 0.45
