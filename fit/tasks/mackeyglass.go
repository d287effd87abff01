package tasks

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// MackeyGlass is the Mackey–Glass delay differential equation (Mackey &
// Glass 1977, "Oscillation and chaos in physiological control systems",
// Science 197:287–289, doi:10.1126/science.267326), chaotic for τ = 17, the
// benchmark of Jaeger & Haas (2004, "Harnessing nonlinearity", Science
// 304:78–80, doi:10.1126/science.1091277):
//
//	dx/dt = β x(t−τ) / (1 + x(t−τ)ⁿ) − γ x(t)
//
// Discretization: classical fourth-order Runge–Kutta with step h = 0.1
// time units (10 steps per unit), the delayed term read from the stored grid (τ/h = 170 steps back; at the half step
// the mean of the two neighbouring grid values, linear interpolation), and
// the series sampled every Δ = 1 time unit (every 10th grid point). The
// history x(t) for −τ ≤ t ≤ 0 is X0 + Jitter·(r − 0.5) at each grid point,
// r uniform on [0, 1) from stream 0 of Seed, and the first Transient
// samples are discarded so the series starts on the attractor.
//
// The zero value is τ = 17, β = 0.2, γ = 0.1, n = 10, X0 = 1.2,
// Transient = 1000, Jitter = 0.2.
type MackeyGlass struct {
	// Tau is the delay τ in time units (default 17); τ/0.1 is rounded to
	// a whole number of steps.
	Tau float64
	// Beta is β (default 0.2).
	Beta float64
	// Gamma is γ (default 0.1).
	Gamma float64
	// Power is the exponent n (default 10).
	Power float64
	// X0 is the mean of the initial history (default 1.2).
	X0 float64
	// Transient is the number of samples (time units) discarded first
	// (default 1000; negative for none).
	Transient int
	// Jitter is the width of the uniform jitter added to the history
	// (default 0.2; negative for a constant history X0).
	Jitter float64
	// Seed seeds the history.
	Seed neurotab.Seed
}

// mgSteps is the number of RK4 steps per time unit (h = 0.1).
const mgSteps = 10

// Series returns T samples x[0], x[1], … of the series, one per time unit,
// as a T×1 matrix. The errors wrap neurotab.ErrParam (T < 1, a negative or
// non-finite parameter) or neurotab.ErrNotFinite (the integration blew
// up).
func (m MackeyGlass) Series(T int) (*mat.Dense, error) {
	def := func(v, d float64) float64 {
		if v == 0 {
			return d
		}
		return v
	}
	tau, beta, gamma := def(m.Tau, 17), def(m.Beta, 0.2), def(m.Gamma, 0.1)
	pw, x0 := def(m.Power, 10), def(m.X0, 1.2)
	transient := m.Transient
	if transient == 0 {
		transient = 1000
	}
	transient = max(transient, 0)
	jitter := def(m.Jitter, 0.2)
	if jitter < 0 || math.IsNaN(jitter) {
		jitter = 0
	}
	for _, v := range []float64{tau, beta, gamma, pw, x0} {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("tasks: MackeyGlass %+v: parameters must be finite and > 0: %w", m, neurotab.ErrParam)
		}
	}
	if T < 1 {
		return nil, fmt.Errorf("tasks: MackeyGlass length %d, want ≥ 1: %w", T, neurotab.ErrParam)
	}
	h := 1.0 / mgSteps
	lag := int(math.Round(tau / h))
	if lag < 1 {
		return nil, fmt.Errorf("tasks: MackeyGlass τ = %g is shorter than the step %g: %w", tau, h, neurotab.ErrParam)
	}
	total := (transient+T-1)*mgSteps + 1
	x := make([]float64, lag+total) // x[lag] is t = 0
	rng := m.Seed.Rand(0)
	for i := 0; i <= lag; i++ {
		x[i] = x0 + jitter*(rng.Float64()-0.5)
	}
	f := func(xt, xd float64) float64 { return beta*xd/(1+math.Pow(xd, pw)) - gamma*xt }
	for i := lag; i < len(x)-1; i++ {
		d0, d1 := x[i-lag], x[i-lag+1]
		dh := 0.5 * (d0 + d1)
		xi := x[i]
		k1 := f(xi, d0)
		k2 := f(xi+0.5*h*k1, dh)
		k3 := f(xi+0.5*h*k2, dh)
		k4 := f(xi+h*k3, d1)
		x[i+1] = xi + h/6*(k1+2*k2+2*k3+k4)
		if math.IsNaN(x[i+1]) || math.IsInf(x[i+1], 0) {
			return nil, fmt.Errorf("tasks: MackeyGlass %+v blew up at step %d: %w", m, i+1-lag, neurotab.ErrNotFinite)
		}
	}
	out := mat.NewDense(T, 1, nil)
	for t := range T {
		out.Set(t, 0, x[lag+(transient+t)*mgSteps])
	}
	return out, nil
}
