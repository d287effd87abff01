package hmm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Observations is an HMM's emission model: one distribution p(x_t | z_t = k)
// per state. Implementations: [Poisson], [Gaussian]. Every implementation
// runs the conformance test of this package (observations_test.go).
type Observations interface {
	// States returns K.
	States() int
	// Dim returns N, the columns of the data matrices.
	Dim() int
	// LogLikelihoodsTo writes ℓ[t][k] = log p(x_t | z_t = k) into dst
	// (T × K, resized if empty) for the T × N data x. Errors wrap
	// neurotab.ErrShape, ErrNotFinite or the model's own data check.
	LogLikelihoodsTo(dst *mat.Dense, x mat.Matrix) error
	// MStep sets the parameters that maximize Σ_s Σ_t Σ_k w_s[t][k]
	// log p(x_s[t] | k) for the T_s × N data xs[s] and T_s × K weights
	// ws[s] (the posteriors γ).
	MStep(xs []mat.Matrix, ws []*mat.Dense) error
	// Randomize sets parameters for a random restart from the data.
	Randomize(xs []mat.Matrix, rng *rand.Rand) error
	// Clone returns an independent copy.
	Clone() Observations
}

// checkData checks x is T × n with finite entries.
func checkData(x mat.Matrix, n int) (int, error) {
	T, c := x.Dims()
	if c != n {
		return 0, fmt.Errorf("hmm: data has %d columns for an observation model of dimension %d: %w", c, n, neurotab.ErrShape)
	}
	for t := range T {
		for j := range c {
			if v := x.At(t, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("hmm: data at t=%d, column %d is %v: %w", t, j, v, neurotab.ErrNotFinite)
			}
		}
	}
	return T, nil
}

// checkWeights checks the sequences and their weights agree.
func checkWeights(xs []mat.Matrix, ws []*mat.Dense, K int) error {
	if len(xs) != len(ws) {
		return fmt.Errorf("hmm: %d sequences and %d weight matrices: %w", len(xs), len(ws), neurotab.ErrShape)
	}
	for s := range xs {
		T, _ := xs[s].Dims()
		if r, c := ws[s].Dims(); r != T || c != K {
			return fmt.Errorf("hmm: sequence %d has %d steps but weights %d × %d for K = %d: %w", s, T, r, c, K, neurotab.ErrShape)
		}
	}
	return nil
}

// sizeDst resizes an empty dst to r × c and panics on another size (gonum).
func sizeDst(dst *mat.Dense, r, c int) {
	if dst.IsEmpty() {
		dst.ReuseAs(r, c)
		return
	}
	if dr, dc := dst.Dims(); dr != r || dc != c {
		panic(fmt.Sprintf("hmm: destination is %d × %d, want %d × %d", dr, dc, r, c))
	}
}

// randomRows returns K rows for a restart: for each state the mean of the
// data over a random window of a random sequence: a tenth of the
// sequence, between 1 and 50 steps.
func randomRows(xs []mat.Matrix, K, n int, rng *rand.Rand) ([][]float64, error) {
	if len(xs) == 0 {
		return nil, fmt.Errorf("hmm: no sequences to initialize from: %w", neurotab.ErrShape)
	}
	out := make([][]float64, K)
	for k := range K {
		x := xs[rng.IntN(len(xs))]
		T, _ := x.Dims()
		if T == 0 {
			return nil, fmt.Errorf("hmm: empty sequence: %w", neurotab.ErrShape)
		}
		w := max(1, min(50, T/10))
		start := rng.IntN(T - w + 1)
		row := make([]float64, n)
		for t := start; t < start+w; t++ {
			for j := range n {
				row[j] += x.At(t, j) / float64(w)
			}
		}
		out[k] = row
	}
	return out, nil
}

// ones returns a K × N matrix of ones.
func ones(K, N int) *mat.Dense {
	d := make([]float64, K*N)
	for i := range d {
		d[i] = 1
	}
	return mat.NewDense(K, N, d)
}
