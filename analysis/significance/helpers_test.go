package significance

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/connectivity"
)

// ar1 returns T × N independent AR(1) traces x(t) = φ x(t−1) + ε(t),
// ε ~ N(0, 1), started from the stationary law N(0, 1/(1−φ²)).
func ar1(seed neurotab.Seed, t, n int, phi float64) *mat.Dense {
	rng := seed.Rand(0)
	x := mat.NewDense(t, n, nil)
	for j := range n {
		v := rng.NormFloat64() / math.Sqrt(1-phi*phi)
		for i := range t {
			if i > 0 {
				v = phi*v + rng.NormFloat64()
			}
			x.Set(i, j, v)
		}
	}
	return x
}

// pearson is connectivity.Pearson as a Statistic.
func pearson(x mat.Matrix) (mat.Matrix, error) { return connectivity.Pearson(x) }
