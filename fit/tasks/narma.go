package tasks

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// narmaLimit is the |y| above which NARMA10 counts the series as diverged
// (a bounded series stays below 1.5 in practice).
const narmaLimit = 1e3

// NARMA10 returns T steps of the tenth-order nonlinear autoregressive
// moving-average system of Atiya & Parlos (2000, "New results on recurrent
// network training: unifying the algorithms and accelerating convergence",
// IEEE Trans. Neural Networks 11:697–709, doi:10.1109/72.846741), the
// benchmark of Jaeger (2003, "Adaptive nonlinear system identification
// with echo state networks", NIPS 15):
//
//	y[t+1] = 0.3 y[t] + 0.05 y[t] Σ_{i=0}^{9} y[t−i] + 1.5 u[t−9] u[t] + 0.1
//
// with u[t] i.i.d. uniform on [0, 0.5] (stream 0 of seed) and y[t] = 0 for
// t < 10. U (T×1) is the input and Y (T×1) the target aligned with it: row
// t of Y is y[t+1], the value a reservoir that has seen u[0…t] predicts.
// The system can diverge for some inputs; NARMA10 then returns an error
// wrapping neurotab.ErrNotFinite that names the step where |y| passed 1000
// (try another seed). T < 1 wraps neurotab.ErrParam.
func NARMA10(seed neurotab.Seed, T int) (U, Y *mat.Dense, err error) {
	if T < 1 {
		return nil, nil, fmt.Errorf("tasks: NARMA10 length %d, want ≥ 1: %w", T, neurotab.ErrParam)
	}
	rng := seed.Rand(0)
	u := make([]float64, T)
	for i := range u {
		u[i] = 0.5 * rng.Float64()
	}
	y := make([]float64, T+1) // y[0…T]
	for t := 9; t < T; t++ {
		var sum float64
		for i := range 10 {
			sum += y[t-i]
		}
		y[t+1] = 0.3*y[t] + 0.05*y[t]*sum + 1.5*u[t-9]*u[t] + 0.1
		if v := y[t+1]; math.IsNaN(v) || math.Abs(v) > narmaLimit {
			return nil, nil, fmt.Errorf("tasks: NARMA10 with seed %v diverged at step %d (y = %g): %w", seed, t+1, v, neurotab.ErrNotFinite)
		}
	}
	return mat.NewDense(T, 1, u), mat.NewDense(T, 1, y[1:]), nil
}
