package hmm_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/hmm"
	"github.com/neurotab/neurotab/analysis/hmm/hmmtest"
)

var (
	testRates = [][]float64{{0.5, 2, 7, 0.1}, {3, 3, 0.5, 1}, {6, 0.2, 2, 4}}
	testMeans = [][]float64{{-2, 0, 1}, {1, 1, -1}, {3, -2, 0}}
	testVars  = [][]float64{{0.5, 1, 2}, {1, 0.25, 1}, {2, 1, 0.1}}
)

func rows(r [][]float64) *mat.Dense {
	m := mat.NewDense(len(r), len(r[0]), nil)
	for i, v := range r {
		m.SetRow(i, v)
	}
	return m
}

// draw fills x along z with draw(rng, k, n).
func draw(z []int, n int, f func(k, j int) float64) *mat.Dense {
	x := mat.NewDense(len(z), n, nil)
	for t, k := range z {
		for j := range n {
			x.Set(t, j, f(k, j))
		}
	}
	return x
}

func TestObservationConformance(t *testing.T) {
	cases := map[string]hmmtest.Case{
		"Poisson": {
			Prefix: "hmm: ",
			Model:  func() hmm.Observations { return &hmm.Poisson{Rates: rows(testRates)} },
			Simulate: func(rng *rand.Rand, z []int) *mat.Dense {
				return draw(z, 4, func(k, j int) float64 { return distuv.Poisson{Lambda: testRates[k][j], Src: rng}.Rand() })
			},
			LogPDF: func(x *mat.Dense, t, k int) float64 {
				s := 0.0
				for n, v := range x.RawRowView(t) {
					s += distuv.Poisson{Lambda: testRates[k][n]}.LogProb(v)
				}
				return s
			},
			Bad: []hmmtest.Bad{
				{Name: "a fractional count", X: mat.NewDense(3, 4, []float64{0, 1, 2, 3, 1, 1, 1.5, 1, 0, 0, 0, 0}), Want: neurotab.ErrOutOfRange, Says: "bin 1, neuron 2"},
				{Name: "a negative count", X: mat.NewDense(1, 4, []float64{0, -1, 2, 3}), Want: neurotab.ErrOutOfRange, Says: "bin 0, neuron 1"},
			},
		},
		"Gaussian": {
			Prefix: "hmm: ",
			Model:  func() hmm.Observations { return &hmm.Gaussian{Means: rows(testMeans), Vars: rows(testVars)} },
			Simulate: func(rng *rand.Rand, z []int) *mat.Dense {
				return draw(z, 3, func(k, j int) float64 { return testMeans[k][j] + math.Sqrt(testVars[k][j])*rng.NormFloat64() })
			},
			LogPDF: func(x *mat.Dense, t, k int) float64 {
				s := 0.0
				for n, v := range x.RawRowView(t) {
					s += distuv.Normal{Mu: testMeans[k][n], Sigma: math.Sqrt(testVars[k][n])}.LogProb(v)
				}
				return s
			},
			Bad: []hmmtest.Bad{
				{Name: "+Inf", X: mat.NewDense(1, 3, []float64{0, math.Inf(1), 0}), Want: neurotab.ErrNotFinite, Says: "t=0, column 1"},
			},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) { hmmtest.Run(t, c) })
	}
}
