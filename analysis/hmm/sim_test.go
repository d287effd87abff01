package hmm

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// simulate draws T steps of an HMM with initial distribution pi and
// transitions P, and calls emit for each step to fill row t of a T × n
// data matrix.
func simulate(rng *rand.Rand, T, n int, pi []float64, P *mat.Dense, emit func(row []float64, k int)) ([]int, *mat.Dense) {
	K := len(pi)
	z := make([]int, T)
	x := mat.NewDense(T, n, nil)
	row := make([]float64, n)
	for t := range T {
		var p []float64
		if t == 0 {
			p = pi
		} else {
			p = mat.Row(nil, z[t-1], P)
		}
		u, k := rng.Float64(), 0
		for k = 0; k < K-1; k++ {
			u -= p[k]
			if u < 0 {
				break
			}
		}
		z[t] = k
		emit(row, k)
		x.SetRow(t, row)
	}
	return z, x
}

// poissonDraw is Knuth's multiplication method (fine for λ below ~30).
func poissonDraw(rng *rand.Rand, lambda float64) float64 {
	l, k, p := math.Exp(-lambda), 0.0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// poissonScenario is the recovery scenario: 3 states, 10 neurons, sticky
// transitions (stay 0.98), rates between 0.5 and 6 counts per bin.
func poissonScenario(seed uint64, T int) (truth *Model, z []int, x *mat.Dense) {
	const K, N = 3, 10
	rates := mat.NewDense(K, N, nil)
	for k := range K {
		for n := range N {
			// state k drives neurons n ≡ k (mod 3) hard, others softly.
			r := 0.5 + 0.2*float64(n%4)
			if n%K == k {
				r += 4
			}
			rates.Set(k, n, r)
		}
	}
	P := mat.NewDense(K, K, []float64{
		0.98, 0.01, 0.01,
		0.015, 0.97, 0.015,
		0.01, 0.02, 0.97,
	})
	pi := []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
	truth = &Model{Initial: &Initial{Pi: pi}, Transitions: &Transitions{P: P}, Observations: &Poisson{Rates: rates}}
	rng := rand.New(rand.NewPCG(seed, 1))
	z, x = simulate(rng, T, N, pi, P, func(row []float64, k int) {
		for n := range row {
			row[n] = poissonDraw(rng, rates.At(k, n))
		}
	})
	return truth, z, x
}
