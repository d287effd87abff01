package glmhmm_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/glmhmm"
	"github.com/neurotab/neurotab/analysis/hmm"
	"github.com/neurotab/neurotab/formats/table"
)

func TestConfigCheck(t *testing.T) {
	cases := []struct {
		name string
		cfg  glmhmm.Config
		want error
	}{
		{"zero value", glmhmm.Config{}, nil},
		{"poisson", glmhmm.Config{Emission: glmhmm.Poisson}, nil},
		{"min above max", glmhmm.Config{MinStates: 5, MaxStates: 3}, neurotab.ErrParam},
		{"too many states", glmhmm.Config{MaxStates: 9}, neurotab.ErrParam},
		{"bernoulli", glmhmm.Config{Emission: "bernoulli"}, neurotab.ErrParam},
		{"held-out 1", glmhmm.Config{HeldOut: 1}, neurotab.ErrParam},
		{"stay 1", glmhmm.Config{Stay: 1}, neurotab.ErrParam},
		{"one chunk", glmhmm.Config{Chunks: 1}, neurotab.ErrParam},
		{"negative kappa", glmhmm.Config{Kappa: -1}, neurotab.ErrParam},
		{"NaN L2", glmhmm.Config{L2: math.NaN()}, neurotab.ErrParam},
		{"unknown prior", glmhmm.Config{Prior: "laplace"}, neurotab.ErrParam},
		{"gaussian prior", glmhmm.Config{Prior: glmhmm.PriorGaussian}, nil},
		{"onehot prior", glmhmm.Config{Prior: glmhmm.PriorOneHot}, nil},
		{"negative prior sigma", glmhmm.Config{Prior: glmhmm.PriorGaussian, PriorSigma: -1}, neurotab.ErrParam},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.cfg.Check()
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("Check() = %v, want %v", err, c.want)
			}
			if err != nil && (!strings.HasPrefix(err.Error(), "glmhmm: ") || strings.Contains(err.Error(), "\n")) {
				t.Errorf("not one line starting with the package: %q", err)
			}
		})
	}
}

func TestParseStates(t *testing.T) {
	cases := []struct {
		in     string
		lo, hi int
		ok     bool
	}{{"2..6", 2, 6, true}, {"3", 3, 3, true}, {" 1 .. 2 ", 1, 2, true}, {"4..2", 0, 0, false}, {"0..2", 0, 0, false}, {"a..b", 0, 0, false}, {"", 0, 0, false}}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			lo, hi, err := glmhmm.ParseStates(c.in)
			if (err == nil) != c.ok || lo != c.lo || hi != c.hi {
				t.Fatalf("ParseStates(%q) = %d, %d, %v", c.in, lo, hi, err)
			}
		})
	}
}

// Hand-computed: states 0 0 0 1 1 1 1 0 0 0 against labels
// F F F T T T F F F F. Mapping state 1 → T gives TPR 3/3 and TNR 6/7, so
// the balanced accuracy is (1 + 6/7)/2; no other mapping does better.
func TestBehaviorAgreement(t *testing.T) {
	path := []int{0, 0, 0, 1, 1, 1, 1, 0, 0, 0}
	label := []bool{false, false, false, true, true, true, false, false, false, false}
	a, err := glmhmm.BehaviorAgreement(path, 2, label, 50, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (1 + 6.0/7) / 2; math.Abs(a.BalancedAccuracy-want) > 1e-15 || a.Mapping[0] || !a.Mapping[1] {
		t.Errorf("balanced accuracy %v mapping %v, want %v [false true]", a.BalancedAccuracy, a.Mapping, want)
	}
	if len(a.Null) != 50 || a.P < 1.0/51 || a.P > 1 || a.NullMean > a.BalancedAccuracy {
		t.Errorf("null %v mean %v p %v", len(a.Null), a.NullMean, a.P)
	}
	b, _ := glmhmm.BehaviorAgreement(path, 2, label, 50, 1)
	if b.P != a.P || b.NullMean != a.NullMean {
		t.Errorf("same seed, different null: %v %v", a, b)
	}
	for name, f := range map[string]func() error{
		"lengths":        func() error { _, err := glmhmm.BehaviorAgreement(path, 2, label[:9], 5, 1); return err },
		"constant label": func() error { _, err := glmhmm.BehaviorAgreement(path, 2, make([]bool, 10), 5, 1); return err },
		"state beyond K": func() error { _, err := glmhmm.BehaviorAgreement(path, 1, label, 5, 1); return err },
	} {
		if err := f(); err == nil || !strings.HasPrefix(err.Error(), "glmhmm: ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// BehaviorOn finds the grid whose times match the bins within 1 ms.
func TestBehaviorOn(t *testing.T) {
	rows := []table.BehaviorRow{
		{SourceDataset: "D", Worm: "w", Grid: table.GridOriginal, T: 0, Variable: "reversal", Value: 1},
		{SourceDataset: "D", Worm: "w", Grid: table.GridOriginal, T: 0.6, Variable: "reversal", Value: 0},
		{SourceDataset: "D", Worm: "w", Grid: table.GridHomogenized, T: 0.333, Variable: "reversal", Value: 0.5},
		{SourceDataset: "D", Worm: "w", Grid: table.GridHomogenized, T: 0, Variable: "reversal", Value: 1},
	}
	v, g, err := glmhmm.BehaviorOn(rows, "D", "w", "reversal", []float64{0, float64(float32(0.333))})
	if err != nil || g != table.GridHomogenized || v[0] != 1 || v[1] != 0.5 {
		t.Errorf("homogenized: %v %q %v", v, g, err)
	}
	v, g, err = glmhmm.BehaviorOn(rows, "D", "w", "reversal", []float64{0, 0.6})
	if err != nil || g != table.GridOriginal || v[0] != 1 || v[1] != 0 {
		t.Errorf("original: %v %q %v", v, g, err)
	}
	if _, _, err := glmhmm.BehaviorOn(rows, "D", "w", "reversal", []float64{0, 0.5}); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("no grid: %v", err)
	}
}

// poissonRecording has two neurons whose rates (counts per bin) swap
// between 0.3 and 3 in blocks of 100 bins.
func poissonRecording(T int) (*table.Recording, []int) {
	rng := rand.New(rand.NewPCG(5, 6))
	r := &table.Recording{Dataset: "D", Worm: "w", Neurons: []string{"a", "b"}, Data: mat.NewDense(T, 2, nil)}
	z := make([]int, T)
	for t := range T {
		z[t] = t / 100 % 2
		r.Time = append(r.Time, float64(t)*0.02)
		for n := range 2 {
			lam := 0.3
			if z[t] == n {
				lam = 3
			}
			k, p := 0, math.Exp(-lam)
			for u, c := rng.Float64(), p; u > c; c += p {
				k++
				p *= lam / float64(k)
			}
			r.Data.Set(t, n, float64(k))
		}
	}
	return r, z
}

// Poisson emission: the states are recovered, and the held-out bits per
// spike are positive and at most the true model's. The true model's gain
// over the mean-rate null is computed here in closed form from the true
// rates: per bin, Σ_n y log(λ_zn/λ̄_n) − (λ_zn − λ̄_n).
func TestFitPoisson(t *testing.T) {
	rec, z := poissonRecording(2000)
	res, err := glmhmm.Fit(rec, glmhmm.Config{MinStates: 2, MaxStates: 2, Emission: glmhmm.Poisson, Restarts: 2, Seed: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, acc, err := hmm.Align(z, res.Path, res.K()); err != nil || acc < 0.95 {
		t.Errorf("K=%d accuracy %v (%v)", res.K(), acc, err)
	}
	// held-out chunks 4 and 9 of 10: bins 800–999 and 1800–1999.
	var gain, spikes float64
	lamBar := [2]float64{}
	for t := range 2000 {
		if t/200 == 4 || t/200 == 9 {
			continue
		}
		for n := range 2 {
			lamBar[n] += rec.Data.At(t, n) / 1600
		}
	}
	for t := range 2000 {
		if t/200 != 4 && t/200 != 9 {
			continue
		}
		for n := range 2 {
			lam := 0.3
			if z[t] == n {
				lam = 3
			}
			y := rec.Data.At(t, n)
			gain += y*math.Log(lam/lamBar[n]) - (lam - lamBar[n])
			spikes += y
		}
	}
	trueBits := gain / (math.Ln2 * spikes)
	bits := res.Candidates[res.Chosen].BitsPerSpike
	t.Logf("bits/spike: fitted %.4f, true parameters %.4f", bits, trueBits)
	if !(bits > 0) || bits > trueBits+0.02 {
		t.Errorf("bits/spike %v, want in (0, %v]", bits, trueBits+0.02)
	}
}

// Bad input: one-line errors with their sentinels.
func TestFitErrors(t *testing.T) {
	rec, _ := poissonRecording(400)
	nan := *rec
	nan.Data = mat.DenseCopyOf(rec.Data)
	nan.Data.Set(7, 1, math.NaN())
	frac := *rec
	frac.Data = mat.DenseCopyOf(rec.Data)
	frac.Data.Set(3, 0, 0.5)
	one := *rec
	one.Data = mat.DenseCopyOf(rec.Data.Slice(0, 400, 0, 1))
	one.Neurons = rec.Neurons[:1]
	cases := []struct {
		name string
		rec  *table.Recording
		cfg  glmhmm.Config
		want error
		msg  string
	}{
		{"NaN", &nan, glmhmm.Config{}, neurotab.ErrNotFinite, "glmhmm: recording D/w: neuron b, bin 7 (t = 0.14 s): sample NaN: not finite"},
		{"non-integer count", &frac, glmhmm.Config{Emission: glmhmm.Poisson}, neurotab.ErrOutOfRange, "neuron a, bin 3 (t = 0.06 s): 0.5 is not a spike count"},
		{"one neuron", &one, glmhmm.Config{}, neurotab.ErrShape, "1 neuron: an HMM-GLM of interactions needs at least 2"},
		{"too short", rec, glmhmm.Config{Chunks: 100}, neurotab.ErrShape, "400 bins are too few for 100 chunks"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := glmhmm.Fit(c.rec, c.cfg, nil)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err %v, want %v with %q", err, c.want, c.msg)
			}
		})
	}
	wide := &table.Recording{Dataset: "D", Worm: "w", Data: mat.NewDense(100, 20, nil)}
	for n := range 20 {
		wide.Neurons = append(wide.Neurons, string(rune('a'+n)))
	}
	for t := range 100 {
		wide.Time = append(wide.Time, float64(t))
	}
	// 5 states × 21 coefficients = 105 > 80 training bins.
	_, err := glmhmm.Fit(wide, glmhmm.Config{MaxStates: 5}, nil)
	if !errors.Is(err, neurotab.ErrShape) || !strings.Contains(err.Error(), "need at least 105 training bins, the recording has 80") {
		t.Errorf("K too large: %v", err)
	}
}
