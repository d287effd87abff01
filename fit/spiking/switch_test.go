package spiking

import (
	"math"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/readout"
)

// switchTask runs the timing-switch task: a liquid of 216 LIF neurons
// receives a 10 ms cue at the start of each 250 ms trial (and background
// noise); the target is a Gaussian bump 60 ms after the cue for the first
// half of the trials and 140 ms after it for the second half. Features are
// the liquid's spikes low-passed with unit area, τ = 10, 40 or 120 ms by
// neuron (heterogeneous synapses), plus a constant. update is
// called at every step; it returns the normalized mean squared error of
// each trial (MSE / target variance).
func switchTask(t testing.TB, trials int, update func(x, y []float64) (float64, error)) []float64 {
	l, err := LSM{Grid: [3]int{6, 6, 6}, Seed: 11, Weights: Weights{EE: 8, EI: 8, IE: 16, II: 16}, InputWeight: 8}.New(20)
	if err != nil {
		t.Fatal(err)
	}
	rng := neurotab.Seed(11).Rand(5)
	n := l.Net.Syn.N
	x := make([]float64, n+1)
	y := []float64{0}
	taus := [3]float64{10, 40, 120}
	var decay [3]float64
	for i, tau := range taus {
		decay[i] = math.Exp(-1 / tau)
	}
	var ch []int32
	out := make([]float64, trials)
	for tr := range trials {
		delay := 60.0
		if tr >= trials/2 {
			delay = 140
		}
		var se, ss, sm float64
		for k := range 250 {
			p := 0.005
			if k < 10 {
				p = 0.5
			}
			ch = poissonChannels(ch[:0], rng, 20, p)
			for i := range n {
				x[i] *= decay[i%3]
			}
			for _, i := range l.Step(ch) {
				x[i] += 1 - decay[i%3]
			}
			x[n] = 1
			d := (float64(k) - delay) / 15
			y[0] = math.Exp(-d * d / 2)
			yh, err := update(x, y)
			if err != nil {
				t.Fatal(err)
			}
			se += (y[0] - yh) * (y[0] - yh)
			ss += y[0] * y[0]
			sm += y[0]
		}
		out[tr] = se / (ss - sm*sm/250)
	}
	return out
}

// TestSwitchThreeFactorVsFORCE is the claim of error-modulated readouts in
// reservoir spiking networks: after the timing of the target switches,
// the three-factor rule (constant rate) re-adapts, while FORCE/RLS with
// λ_f = 1 (gain P ∝ 1/n, never reset) stays near the average of both
// timings. Errors are compared over the last 10 trials of each half.
func TestSwitchThreeFactorVsFORCE(t *testing.T) {
	if testing.Short() {
		t.Skip("120 trials of 250 ms")
	}
	const trials = 120
	rls := &readout.RLS{Delta: 1, Lambda: 1}
	tf := &readout.ThreeFactor{Rate: 0.02, Tau: 3}
	pred := make([]float64, 1)
	runWith := func(upd func(x, y []float64) error, r interface {
		PredictVec(dst, x []float64) ([]float64, error)
	}) []float64 {
		return switchTask(t, trials, func(x, y []float64) (float64, error) {
			yh := 0.0
			if p, err := r.PredictVec(pred, x); err == nil {
				yh = p[0]
			}
			return yh, upd(x, y)
		})
	}
	late := func(e []float64, end int) float64 {
		s := 0.0
		for _, v := range e[end-10 : end] {
			s += v / 10
		}
		return s
	}
	eR := runWith(rls.Update, rls)
	eT := runWith(tf.Update, tf)
	r1, r2 := late(eR, trials/2), late(eR, trials)
	t1, t2 := late(eT, trials/2), late(eT, trials)
	t.Logf("normalized MSE, last 10 trials before / after the switch: FORCE λ=1 %.3f / %.3f, three-factor %.3f / %.3f", r1, r2, t1, t2)
	t.Logf("first 5 trials after the switch: FORCE %.2f, three-factor %.2f", eR[trials/2:trials/2+5], eT[trials/2:trials/2+5])
	writeCurves(t, "switch_task", "Timing switch at trial 61: normalized MSE per trial", "trial", "MSE / variance of the target",
		[]curve{{"FORCE / RLS, λ = 1", eR}, {"three-factor (η = 0.02, τ_e = 3)", eT}}, 0)
	// Re-adapted: the error of the last 10 trials after the switch is
	// below 1.5 times that before it. The same criterion for both rules.
	if !(t2 < 1.5*t1) {
		t.Errorf("three-factor error after the switch %.3f, before %.3f: it did not re-adapt", t2, t1)
	}
	if r2 < 1.5*r1 {
		t.Errorf("FORCE λ=1 error after the switch %.3f, before %.3f: it re-adapted", r2, r1)
	}
}
