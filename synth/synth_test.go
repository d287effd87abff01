package synth

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/neurotab/neurotab"
	"gonum.org/v1/gonum/mat"
)

func names(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("N%d", i)
	}
	return s
}

func TestSameSeedSameNumbers(t *testing.T) {
	cfg := Config{Neurons: names(20), Worms: 2, Samples: 200, Seed: 7}
	a, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Simulate(cfg)
	cfg.Seed = 8
	c, _ := Simulate(cfg)
	for w := range a.Worms {
		if !mat.Equal(a.Worms[w].F, b.Worms[w].F) || fmt.Sprint(a.Worms[w].States) != fmt.Sprint(b.Worms[w].States) {
			t.Fatalf("worm %d differs between runs with the same seed", w)
		}
	}
	if mat.Equal(a.Network.W, c.Network.W) {
		t.Fatal("different seeds gave the same network")
	}
}

// Dale's law: every outgoing weight of a neuron has its sign.
// Density: the number of connections is Binomial(N(N-1), p); allow 5 σ.
func TestNetworkDaleAndDensity(t *testing.T) {
	const n, p = 200, 0.1
	r, err := Simulate(Config{Neurons: names(n), Worms: 1, Samples: 2, ConnectionProb: p, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	W := r.Network.W
	count := 0
	for post := 0; post < n; post++ {
		if W.At(post, post) != 0 {
			t.Fatalf("self connection at %d", post)
		}
		for pre := 0; pre < n; pre++ {
			w := W.At(post, pre)
			if w == 0 {
				continue
			}
			count++
			if r.Network.Inhibitory[pre] != (w < 0) {
				t.Fatalf("weight %v from %d breaks Dale's law (inhibitory=%v)", w, pre, r.Network.Inhibitory[pre])
			}
		}
	}
	m := float64(n * (n - 1))
	mean, sd := m*p, math.Sqrt(m*p*(1-p))
	if math.Abs(float64(count)-mean) > 5*sd {
		t.Fatalf("%d connections, want %.0f ± %.0f", count, mean, 5*sd)
	}
}

// With no noise, no coupling and one state, each neuron's calcium settles at
// the Euler fixed point c* = τ_ca·softplus(b_i), constant in time, so
// ΔF/F = c/c̄ − 1 is 0 to within the e^{-10} left of the transient.
func TestNoiselessSteadyState(t *testing.T) {
	r, err := Simulate(Config{Neurons: names(12), Worms: 1, Samples: 300, States: 1, ConnectionProb: 1e-12,
		Noise: -1, ObsNoise: -1, ObservedFrac: 1, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	F := r.Worms[0].F
	T, N := F.Dims()
	if N != 12 || T != 300 {
		t.Fatalf("dims %d×%d", T, N)
	}
	for i := 0; i < T; i++ {
		for j := 0; j < N; j++ {
			if math.Abs(F.At(i, j)) > 1e-3 {
				t.Fatalf("F[%d,%d] = %g, want 0", i, j, F.At(i, j))
			}
		}
	}
}

// The state chain switches with probability h/Dwell per substep, so runs are
// geometric with mean Dwell seconds, and two symmetric states share time
// equally. A long run checks both (tolerances cover the sampling error of
// a few hundred runs).
func TestStateDwellAndOccupancy(t *testing.T) {
	const dwell = 10.0
	r, err := Simulate(Config{Neurons: names(4), Worms: 1, Samples: 60000, Dt: 0.333, States: 2, Dwell: dwell, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Worms[0].States
	runs, in0 := 0, 0
	for i := range s {
		if i == 0 || s[i] != s[i-1] {
			runs++
		}
		if s[i] == 0 {
			in0++
		}
	}
	meanRun := float64(len(s)) * 0.333 / float64(runs)
	if math.Abs(meanRun-dwell)/dwell > 0.15 {
		t.Fatalf("mean dwell %.2f s over %d runs, want %.1f", meanRun, runs, dwell)
	}
	if frac := float64(in0) / float64(len(s)); math.Abs(frac-0.5) > 0.08 {
		t.Fatalf("state 0 occupancy %.3f, want 0.5", frac)
	}
}

// Each worm records round(0.5·100) = 50 neurons, ascending, each labeled
// with probability LabeledFrac (default 0.8): over 4 × 50 recorded neurons
// the labeled count is Binomial(200, 0.8), mean 160, σ = √32 ≈ 5.7; allow
// 5 σ. Time is k·Dt (Dt default 0.333 s).
func TestObservedSubsetAndLabels(t *testing.T) {
	r, err := Simulate(Config{Neurons: names(100), Worms: 4, Samples: 10, ObservedFrac: 0.5, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	labeled := 0
	for w, wm := range r.Worms {
		if wm.ID != fmt.Sprintf("worm%d", w) {
			t.Errorf("worm %d has ID %q", w, wm.ID)
		}
		if len(wm.Neurons) != 50 || len(wm.Labeled) != 50 {
			t.Fatalf("%s records %d neurons, want 50", wm.ID, len(wm.Neurons))
		}
		if wm.Neurons[0] < 0 || wm.Neurons[49] >= 100 {
			t.Fatalf("%s neuron indices %d … %d outside 0 … 99", wm.ID, wm.Neurons[0], wm.Neurons[49])
		}
		for k := 1; k < len(wm.Neurons); k++ {
			if wm.Neurons[k] <= wm.Neurons[k-1] {
				t.Fatalf("%s neuron indices not ascending", wm.ID)
			}
		}
		for _, l := range wm.Labeled {
			if l {
				labeled++
			}
		}
		for k, tk := range wm.Time {
			if math.Abs(tk-float64(k)*0.333) > 1e-12 {
				t.Fatalf("%s time[%d] = %v, want %v", wm.ID, k, tk, float64(k)*0.333)
			}
		}
		if T, N := wm.F.Dims(); T != 10 || N != 50 || len(wm.Time) != 10 || len(wm.States) != 10 {
			t.Fatalf("%s: F %d×%d, %d times, %d states; want 10×50, 10, 10", wm.ID, T, N, len(wm.Time), len(wm.States))
		}
	}
	if math.Abs(float64(labeled)-160) > 5*math.Sqrt(32) {
		t.Errorf("%d of 200 recorded neurons labeled, want 160 ± %.0f", labeled, 5*math.Sqrt(32))
	}
}

func TestBadConfig(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		is   error
		msg  string
	}{
		{"one neuron", Config{Neurons: names(1)}, neurotab.ErrParam, "synth: 1 neurons, need at least 2: invalid parameter"},
		{"negative dt", Config{Neurons: names(3), Dt: -1}, neurotab.ErrParam, "synth: Dt, Tau, TauCa and Dwell must be positive: invalid parameter"},
		{"p above one", Config{Neurons: names(3), ConnectionProb: 2}, neurotab.ErrParam, "synth: probabilities must lie in (0, 1]: invalid parameter"},
		{"one sample", Config{Neurons: names(3), Samples: 1}, neurotab.ErrParam,
			"synth: worms 3, samples 1, states 2, substeps 3 must be positive (samples ≥ 2): invalid parameter"},
		{"bad labelled", Config{Neurons: names(3), LabeledFrac: 1.5}, neurotab.ErrParam, "synth: probabilities must lie in (0, 1]: invalid parameter"},
		{"too few signs", Config{Neurons: names(3), Signs: []float64{1, -1}}, neurotab.ErrShape, "synth: 2 signs for 3 neurons: shape mismatch"},
		{"sign 0.5", Config{Neurons: names(3), Signs: []float64{1, 0.5, 0}}, neurotab.ErrParam, "synth: sign 0.5 of N1, want +1, -1 or 0: invalid parameter"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Simulate(c.cfg)
			if r != nil || !errors.Is(err, c.is) || err.Error() != c.msg {
				t.Errorf("result %v, error %v; want %q wrapping %v", r != nil, err, c.msg, c.is)
			}
		})
	}
	t.Run("negative worm range", func(t *testing.T) {
		res, err := Simulate(Config{Neurons: names(3), Worms: 1, Samples: 2, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		ws, err := SimulateWorms(res, -1, 2)
		if ws != nil || !errors.Is(err, neurotab.ErrParam) || err.Error() != "synth: worm range -1+2 has a negative part: invalid parameter" {
			t.Errorf("worms %v, error %v", ws, err)
		}
	})
}

func BenchmarkSimulate(b *testing.B) {
	cfg := Config{Neurons: names(100), Worms: 1, Samples: 1000, Seed: 1}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Simulate(cfg); err != nil {
			b.Fatal(err)
		}
	}
	steps := float64(1000*3 + 135) // samples × substeps + burn-in (10·τ_ca/h)
	b.ReportMetric(steps*float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

func TestSimulateWormsMatchesFullRun(t *testing.T) {
	cfg := Config{Neurons: names(15), Worms: 3, Samples: 100, Seed: 9}
	full, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Worms = 1
	one, _ := Simulate(cfg)
	more, err := SimulateWorms(one, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range more {
		if !mat.Equal(w.F, full.Worms[k+1].F) || w.ID != full.Worms[k+1].ID {
			t.Fatalf("worm %d simulated alone differs from the full run", k+1)
		}
	}
}

// Given signs fix each presynaptic neuron's Dale sign: every outgoing weight
// of neuron pre has the sign s[pre] (none for 0), and the rest of the
// network is the one drawn without them (same magnitudes where both
// connect).
func TestSigns(t *testing.T) {
	n := 30
	signs := make([]float64, n)
	for i := range signs {
		signs[i] = []float64{1, -1, 0}[i%3]
	}
	base := Config{Neurons: names(n), Worms: 1, Samples: 2, ConnectionProb: 0.3, Seed: 4}
	free, err := Simulate(base)
	if err != nil {
		t.Fatal(err)
	}
	withSigns := base
	withSigns.Signs = signs
	fixed, err := Simulate(withSigns)
	if err != nil {
		t.Fatal(err)
	}
	edges := 0
	for post := 0; post < n; post++ {
		for pre := 0; pre < n; pre++ {
			w, w0 := fixed.Network.W.At(post, pre), free.Network.W.At(post, pre)
			switch {
			case signs[pre] == 0 && w != 0:
				t.Fatalf("silent neuron %d has weight %g onto %d", pre, w, post)
			case signs[pre] != 0 && w != signs[pre]*math.Abs(w0):
				t.Fatalf("W[%d][%d] = %g, want sign %g × |%g|", post, pre, w, signs[pre], w0)
			}
			if w != 0 {
				edges++
			}
		}
		if got := fixed.Network.Inhibitory[post]; got != (signs[post] < 0) {
			t.Fatalf("Inhibitory[%d] = %v for sign %g", post, got, signs[post])
		}
	}
	if edges == 0 {
		t.Fatal("no edges")
	}
}
