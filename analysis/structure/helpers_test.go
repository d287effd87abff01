package structure

import (
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
//	x(t+1) = λ x(t) + g W x(t) + ε(t),  W[post][pre] = A[pre][post] / Σ_p A[p][post]
//
// (x ← W x sends activity from pre to post; each neuron's inputs are
// normalized to sum to 1, so the spectral radius is ≤ λ + g < 1), ε
// standard normal, and returns T × N traces. With coupled false the
// network is cut (W = 0): independent traces.
func linearTraces(a *mat.Dense, t int, lambda, g float64, coupled bool, seed neurotab.Seed) *mat.Dense {
	n, _ := a.Dims()
	w := mat.NewDense(n, n, nil) // W[post][pre]
	for j := 0; j < n; j++ {
		s := 0.0
		for i := 0; i < n; i++ {
			s += a.At(i, j)
		}
		for i := 0; i < n && s > 0; i++ {
			w.Set(j, i, g*a.At(i, j)/s)
		}
	}
	rng := seed.Rand(1)
	x := mat.NewDense(t, n, nil)
	prev, in := mat.NewVecDense(n, nil), mat.NewVecDense(n, nil)
	for s := 0; s < t; s++ {
		if coupled {
			in.MulVec(w, prev)
		}
		for j := 0; j < n; j++ {
			v := rng.NormFloat64() + lambda*prev.AtVec(j) + in.AtVec(j)
			x.Set(s, j, v)
		}
		prev.CopyVec(x.RowView(s))
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

// referenceMatrices builds the FC, chemical and gap-junction matrices of
// testdata/reference.json.
func referenceMatrices(fcv, chv, gpv [][]float64) (*mat.SymDense, *mat.Dense, *mat.Dense) {
	n := len(fcv)
	fc := mat.NewSymDense(n, nil)
	chem, gap := mat.NewDense(n, n, nil), mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			fc.SetSym(i, j, fcv[i][j])
			chem.Set(i, j, chv[i][j])
			gap.Set(i, j, gpv[i][j])
		}
	}
	return fc, chem, gap
}
