package hmm

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

func newPoissonModel(t testing.TB, K, N int, kappa float64) *Model {
	t.Helper()
	obs, err := NewPoisson(K, N)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTransitions(K, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	tr.Kappa = kappa
	pi := make([]float64, K)
	for k := range pi {
		pi[k] = 1 / float64(K)
	}
	return &Model{Initial: &Initial{Pi: pi}, Transitions: tr, Observations: obs}
}

// TestPoissonRecovery fits a 3-state Poisson HMM to a seeded simulation
// (N = 10, T = 5,000, sticky transitions) and checks the Viterbi states
// against the simulated ones after the best relabelling, and the fitted
// transition matrix against the true one.
func TestPoissonRecovery(t *testing.T) {
	truth, z, x := poissonScenario(7, 5000)
	res, err := EM{Restarts: 4, Seed: 11, MaxIter: 200}.Fit(newPoissonModel(t, 3, 10, 0), []mat.Matrix{x})
	if err != nil {
		t.Fatal(err)
	}
	path, _, err := res.Model.Viterbi(x)
	if err != nil {
		t.Fatal(err)
	}
	perm, acc, err := Align(z, path, 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("restart %d, %d iterations, converged %v, accuracy %.4f", res.Restart, len(res.Objective)-1, res.Converged, acc)
	if acc < 0.95 {
		t.Errorf("state accuracy %.4f < 0.95", acc)
	}
	dP := 0.0
	for i := range 3 {
		for j := range 3 {
			dP = max(dP, math.Abs(res.Model.Transitions.P.At(i, j)-truth.Transitions.P.At(perm[i], perm[j])))
		}
	}
	t.Logf("transitions max |Δ| = %.4f", dP)
	if dP > 0.05 {
		t.Errorf("transitions max |Δ| = %.4f > 0.05", dP)
	}
}

// TestEMMonotonic checks Baum–Welch never lowers its objective (log
// marginal likelihood plus the sticky prior), for ML and sticky settings
// and for Poisson and Gaussian observations, on several sequences.
func TestEMMonotonic(t *testing.T) {
	_, _, x := poissonScenario(3, 600)
	xs := []mat.Matrix{x.Slice(0, 200, 0, 10), x.Slice(200, 600, 0, 10)}
	gauss := func(kappa, alpha float64) *Model {
		g, _ := NewGaussian(3, 10)
		m := newPoissonModel(t, 3, 10, kappa)
		m.Transitions.Alpha = alpha
		m.Observations = g
		return m
	}
	cases := []struct {
		name string
		m    *Model
	}{
		{"poisson ML", newPoissonModel(t, 3, 10, 0)},
		{"poisson sticky", newPoissonModel(t, 3, 10, 50)},
		{"gaussian sticky alpha 2", gauss(20, 2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := EM{MaxIter: 40, Tol: 1e-300, Seed: 5}.Fit(c.m, xs)
			if err != nil {
				t.Fatal(err)
			}
			o := res.Objective
			for i := 1; i < len(o); i++ {
				// The 1e-8 pseudocount of π makes its update a hair off
				// the exact maximizer; allow 1e-9 relative.
				if o[i] < o[i-1]-1e-9*math.Abs(o[i-1]) {
					t.Errorf("objective fell at iteration %d: %.12g → %.12g", i, o[i-1], o[i])
				}
			}
			if !(o[len(o)-1] > o[0]) {
				t.Errorf("objective did not rise: %v → %v", o[0], o[len(o)-1])
			}
		})
	}
}

// TestEMRestartsSeeded checks the same seed gives the same fit and that
// the best restart is kept.
func TestEMRestartsSeeded(t *testing.T) {
	_, _, x := poissonScenario(4, 400)
	fit := func(seed neurotab.Seed) *Result {
		res, err := EM{Restarts: 3, Seed: seed, MaxIter: 30}.Fit(newPoissonModel(t, 3, 10, 0), []mat.Matrix{x})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := fit(9), fit(9)
	if !mat.Equal(a.Model.Transitions.P, b.Model.Transitions.P) || last(a.Objective) != last(b.Objective) {
		t.Error("the same seed gave different fits")
	}
	for r := range 3 {
		one, err := EM{Restarts: 1, Seed: 9, MaxIter: 30}.run(func() *Model {
			m := newPoissonModel(t, 3, 10, 0)
			if err := m.Observations.Randomize([]mat.Matrix{x}, neurotab.Seed(9).Rand(uint64(r))); err != nil {
				t.Fatal(err)
			}
			return m
		}(), []mat.Matrix{x})
		if err != nil {
			t.Fatal(err)
		}
		if last(one.Objective) > last(a.Objective) {
			t.Errorf("restart %d reached %v above the kept %v", r, last(one.Objective), last(a.Objective))
		}
	}
}

func TestTransitionsMStep(t *testing.T) {
	// Hand derivation: row 0 counts (6, 2) + κ = 4 on the diagonal + α − 1 = 1
	// everywhere → (11, 3)/14; row 1 counts (0, 0) → (1, 5)/6.
	tr := &Transitions{P: mat.NewDense(2, 2, []float64{0.5, 0.5, 0.5, 0.5}), Kappa: 4, Alpha: 2}
	tr.MStep(mat.NewDense(2, 2, []float64{6, 2, 0, 0}))
	want := []float64{11.0 / 14, 3.0 / 14, 1.0 / 6, 5.0 / 6}
	for i, w := range want {
		if g := tr.P.RawMatrix().Data[i]; math.Abs(g-w) > 1e-15 {
			t.Errorf("P[%d] = %v, want %v", i, g, w)
		}
	}
	// log prior = Σ (α − 1 + κ δ) log P.
	lp := 5*math.Log(11.0/14) + math.Log(3.0/14) + math.Log(1.0/6) + 5*math.Log(5.0/6)
	if g := tr.LogPrior(); math.Abs(g-lp) > 1e-14 {
		t.Errorf("LogPrior = %v, want %v", g, lp)
	}
	// No counts, no prior: the row becomes uniform.
	ml := &Transitions{P: mat.NewDense(2, 2, nil)}
	ml.MStep(mat.NewDense(2, 2, []float64{0, 0, 3, 1}))
	if g := mat.Row(nil, 0, ml.P); g[0] != 0.5 || g[1] != 0.5 {
		t.Errorf("empty row = %v, want uniform", g)
	}
}

func TestConfigErrors(t *testing.T) {
	good := newPoissonModel(t, 2, 1, 0)
	x := []mat.Matrix{mat.NewDense(3, 1, []float64{0, 1, 2})}
	cases := []struct {
		name string
		em   EM
		m    func() *Model
		want error
	}{
		{"MaxIter < 0", EM{MaxIter: -1}, func() *Model { return good }, neurotab.ErrParam},
		{"Tol NaN", EM{Tol: math.NaN()}, func() *Model { return good }, neurotab.ErrParam},
		{"Restarts < 0", EM{Restarts: -2}, func() *Model { return good }, neurotab.ErrParam},
		{"Kappa < 0", EM{}, func() *Model { m := good.Clone(); m.Transitions.Kappa = -1; return m }, neurotab.ErrParam},
		{"Alpha < 1", EM{}, func() *Model { m := good.Clone(); m.Transitions.Alpha = 0.5; return m }, neurotab.ErrParam},
		{"missing part", EM{}, func() *Model { m := good.Clone(); m.Observations = nil; return m }, neurotab.ErrParam},
		{"K disagree", EM{}, func() *Model { m := good.Clone(); m.Initial.Pi = []float64{1}; return m }, neurotab.ErrShape},
		{"no sequences", EM{}, func() *Model { return good }, neurotab.ErrShape},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			xs := x
			if c.name == "no sequences" {
				xs = nil
			}
			_, err := c.em.Fit(c.m(), xs)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "hmm: ") || strings.Count(msg, "hmm:") != 1 {
				t.Errorf("message %q does not start with hmm:", msg)
			}
		})
	}
	if _, err := NewTransitions(0, 0.9); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("NewTransitions(0): %v", err)
	}
	if _, err := NewTransitions(2, 1.5); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("NewTransitions stay 1.5: %v", err)
	}
}

// TestSequencesIndependent checks that several sequences are several
// independent chains: the model's total log-likelihood is the sum of each
// sequence's forward–backward log Z (each starting from π), and the
// initial M-step pools the first-step posteriors (hand derivation below).
func TestSequencesIndependent(t *testing.T) {
	_, _, x := poissonScenario(5, 300)
	m := newPoissonModel(t, 3, 10, 0)
	m.Observations.(*Poisson).Rates = mat.NewDense(3, 10, nil)
	for k := range 3 {
		for n := range 10 {
			m.Observations.(*Poisson).Rates.Set(k, n, 1+float64((k+n)%3))
		}
	}
	xs := []mat.Matrix{x.Slice(0, 100, 0, 10), x.Slice(100, 300, 0, 10)}
	posts, total, err := m.Posteriors(xs)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for s, xsub := range xs {
		var ll mat.Dense
		if err := m.Observations.LogLikelihoodsTo(&ll, xsub); err != nil {
			t.Fatal(err)
		}
		p, err := ForwardBackward(&ll, m.Initial.Pi, m.Transitions.P)
		if err != nil {
			t.Fatal(err)
		}
		if p.LogZ != posts[s].LogZ || !mat.Equal(p.Gamma, posts[s].Gamma) {
			t.Errorf("sequence %d differs from its own forward–backward", s)
		}
		sum += p.LogZ
	}
	if math.Abs(sum-total) > 1e-9 {
		t.Errorf("total %v, sum of sequences %v", total, sum)
	}
	// π ∝ (0.2 + 0.6 + 1e-8, 0.8 + 0.4 + 1e-8): (0.4, 0.6) up to 1e-8.
	in := &Initial{Pi: make([]float64, 2)}
	in.MStep([]*mat.Dense{mat.NewDense(1, 2, []float64{0.2, 0.8}), mat.NewDense(1, 2, []float64{0.6, 0.4})})
	if math.Abs(in.Pi[0]-(0.8+1e-8)/(2+2e-8)) > 1e-15 || math.Abs(in.Pi[1]-(1.2+1e-8)/(2+2e-8)) > 1e-15 {
		t.Errorf("π = %v", in.Pi)
	}
}
