package tasks

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Lorenz is the Lorenz-63 system (Lorenz 1963, "Deterministic nonperiodic
// flow", J. Atmos. Sci. 20:130–141,
// doi:10.1175/1520-0469(1963)020<0130:DNF>2.0.CO;2), chaotic for the
// standard σ = 10, ρ = 28, β = 8/3:
//
//	dx/dt = σ (y − x),   dy/dt = x (ρ − z) − y,   dz/dt = x y − β z
//
// Discretization: classical fourth-order Runge–Kutta with a fixed step
// Dt = 0.01 time units, one sample per step (the step of reservoirpy's
// lorenz and of most reservoir-computing papers). The state starts at X0
// and the first Transient samples are discarded so the series starts on
// the attractor. The zero value is σ = 10, ρ = 28, β = 8/3, Dt = 0.01,
// X0 = (1, 1, 1), Transient = 1000 (10 time units).
type Lorenz struct {
	// Sigma is σ (default 10).
	Sigma float64
	// Rho is ρ (default 28).
	Rho float64
	// Beta is β (default 8/3).
	Beta float64
	// Dt is the step and the sampling interval, in time units (default
	// 0.01).
	Dt float64
	// X0 is the initial state (x, y, z); the zero value means (1, 1, 1).
	X0 [3]float64
	// Transient is the number of samples discarded first (default 1000;
	// negative for none).
	Transient int
}

// Series returns T samples of (x, y, z), one per step, as a T×3 matrix.
// The errors wrap neurotab.ErrParam (T < 1, a non-finite or non-positive
// σ, β or Dt, a non-finite ρ or X0) or neurotab.ErrNotFinite (the
// integration blew up, e.g. with too large a Dt).
func (l Lorenz) Series(T int) (*mat.Dense, error) {
	def := func(v, d float64) float64 {
		if v == 0 {
			return d
		}
		return v
	}
	sigma, rho, beta, dt := def(l.Sigma, 10), def(l.Rho, 28), def(l.Beta, 8.0/3), def(l.Dt, 0.01)
	x0 := l.X0
	if x0 == [3]float64{} {
		x0 = [3]float64{1, 1, 1}
	}
	transient := l.Transient
	if transient == 0 {
		transient = 1000
	}
	transient = max(transient, 0)
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for _, v := range []float64{sigma, beta, dt} {
		if !(v > 0) || !finite(v) {
			return nil, fmt.Errorf("tasks: Lorenz %+v: σ, β and Dt must be finite and > 0: %w", l, neurotab.ErrParam)
		}
	}
	if !finite(rho) || !finite(x0[0]) || !finite(x0[1]) || !finite(x0[2]) {
		return nil, fmt.Errorf("tasks: Lorenz %+v: ρ and X0 must be finite: %w", l, neurotab.ErrParam)
	}
	if T < 1 {
		return nil, fmt.Errorf("tasks: Lorenz length %d, want ≥ 1: %w", T, neurotab.ErrParam)
	}
	f := func(s [3]float64) [3]float64 {
		return [3]float64{sigma * (s[1] - s[0]), s[0]*(rho-s[2]) - s[1], s[0]*s[1] - beta*s[2]}
	}
	add := func(s, d [3]float64, h float64) [3]float64 {
		return [3]float64{s[0] + h*d[0], s[1] + h*d[1], s[2] + h*d[2]}
	}
	out := mat.NewDense(T, 3, nil)
	s := x0
	for i := range transient + T {
		if i >= transient {
			out.SetRow(i-transient, s[:])
		}
		k1 := f(s)
		k2 := f(add(s, k1, dt/2))
		k3 := f(add(s, k2, dt/2))
		k4 := f(add(s, k3, dt))
		for j := range s {
			s[j] += dt / 6 * (k1[j] + 2*k2[j] + 2*k3[j] + k4[j])
		}
		if !finite(s[0]) || !finite(s[1]) || !finite(s[2]) || math.Abs(s[0])+math.Abs(s[1])+math.Abs(s[2]) > 1e6 {
			return nil, fmt.Errorf("tasks: Lorenz %+v blew up at step %d; lower Dt: %w", l, i+1, neurotab.ErrNotFinite)
		}
	}
	return out, nil
}
