package hmm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// SamplePath draws one state path from the posterior p(z_{1:T} | x_{1:T})
// by forward filtering, backward sampling (Chib 1996,
// doi:10.1016/0304-4076(95)01763-1; Scott 2002,
// doi:10.1198/016214502753479464):
//
//	z_T ~ α_T,  z_t | z_{t+1} ~ α_t(i) A_{i z_{t+1}}
//
// rng is the explicit source (e.g. neurotab.Seed.Rand); the same source
// state gives the same path. Arguments and errors are those of
// [ForwardBackward].
func SamplePath(logLik mat.Matrix, pi []float64, A mat.Matrix, rng *rand.Rand) ([]int, error) {
	w, ll, T, err := prepare(logLik, pi, A)
	if err != nil {
		return nil, err
	}
	K := w.K
	la := make([]float64, T*K)
	if logZ := w.forward(ll, T, la); math.IsInf(logZ, -1) {
		return nil, fmt.Errorf("hmm: sequence has probability zero under the model: %w", neurotab.ErrNotFinite)
	}
	path := make([]int, T)
	p := w.u
	path[T-1] = draw(la[(T-1)*K:], nil, 0, K, p, rng)
	for t := T - 2; t >= 0; t-- {
		path[t] = draw(la[t*K:(t+1)*K], w.a, path[t+1], K, p, rng)
	}
	return path, nil
}

// draw samples i ∝ exp(la[i]) · a[i][j] (a nil: no factor), using p as
// scratch.
func draw(la, a []float64, j, K int, p []float64, rng *rand.Rand) int {
	m := maxOf(la[:K])
	s := 0.0
	for i := range K {
		p[i] = math.Exp(la[i] - m)
		if a != nil {
			p[i] *= a[i*K+j]
		}
		s += p[i]
	}
	u := rng.Float64() * s
	for i := range K {
		u -= p[i]
		if u < 0 {
			return i
		}
	}
	for i := K - 1; i >= 0; i-- { // rounding: the last state with mass
		if p[i] > 0 {
			return i
		}
	}
	return K - 1
}
