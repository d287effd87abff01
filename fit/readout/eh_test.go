package readout

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/estimatortest"
)

// linearProblem returns T samples of F = len(w) slowly varying features
// (independent AR(1) processes x_t = ρ x_{t−1} + √(1−ρ²) ε_t, ρ = 0.98, of
// unit variance, like a reservoir's states) and the noiseless targets
// y = x·w + b.
func linearProblem(seed uint64, T int, w []float64, b float64) (X, Y *mat.Dense) {
	const rho = 0.98
	rng := newRand(seed)
	X = mat.NewDense(T, len(w), nil)
	Y = mat.NewDense(T, 1, nil)
	prev := make([]float64, len(w))
	for i := range T {
		for j := range w {
			prev[j] = rho*prev[j] + math.Sqrt(1-rho*rho)*rng.NormFloat64()
			X.Set(i, j, prev[j])
		}
		Y.Set(i, 0, floats.Dot(X.RawRowView(i), w)+b)
	}
	return X, Y
}

// TestEHLearns checks that the reward-modulated rule, which sees only
// whether its noisy output beat its running performance, learns a
// noiseless linear problem: the weights turn to the generating direction
// (|cos| > 0.999) and the held-out NRMSE falls below 0.1. The rule is not
// an unbiased estimator (its weights come out a few per cent too large:
// the output deviation z − z̄ it correlates with x carries signal as well
// as exploration noise), so it is not compared with the least-squares
// solution to more than that.
func TestEHLearns(t *testing.T) {
	wTrue, bTrue := []float64{1, -0.5, 0.3}, 0.8
	X, Y := linearProblem(30, 20000, wTrue, bTrue)
	e := EH{Rate: 0.003, Decay: 1e-5, Noise: 0.5, Smoothing: 0.5, Epochs: 5, FitIntercept: true, Seed: 3}
	must(t, e.Fit(X, Y))
	var w mat.Dense
	must(t, e.WeightsTo(&w))
	got := mat.Col(nil, 0, &w)
	if c := absCos(got, wTrue); !(c > 0.999) {
		t.Errorf("EH W = %v: |cos| to the generating %v = %.5f, want > 0.999", got, wTrue, c)
	}
	Xt, Yt := linearProblem(32, 5000, wTrue, bTrue)
	pred, err := predict(&e, Xt)
	must(t, err)
	nrmse, err := NRMSE(Yt, pred)
	must(t, err)
	t.Logf("EH W = %.4f, b = %.4f, held-out NRMSE %.4f", got, intercept(t, &e)[0], nrmse[0])
	if !(nrmse[0] < 0.1) {
		t.Errorf("held-out NRMSE %.4f, want < 0.1", nrmse[0])
	}
	// Without learning (Rate tiny) the readout stays near W = 0: NRMSE ≈ 1.
	lazy := EH{Rate: 1e-12, FitIntercept: true, Seed: 3}
	must(t, lazy.Fit(X, Y))
	pl, err := predict(&lazy, Xt)
	must(t, err)
	if nl, _ := NRMSE(Yt, pl); !(nl[0] > 0.9) {
		t.Errorf("untrained NRMSE %.3f, want ≈ 1 (the learning, not the data, makes the fit)", nl[0])
	}
	// One step by hand: from W = 0 the first sample only sets the running
	// means (M = 0: P is not above P̄ = P).
	one := EH{Seed: 3}
	must(t, one.Update(X.RawRowView(0), Y.RawRowView(0)))
	var w1 mat.Dense
	must(t, one.WeightsTo(&w1))
	if !floats.Equal(mat.Col(nil, 0, &w1), make([]float64, 3)) {
		t.Errorf("first step changed W to %v", mat.Col(nil, 0, &w1))
	}
	nanY := mat.DenseCopyOf(Y)
	nanY.Set(5, 0, math.NaN())
	if err := (&EH{}).Fit(X, nanY); !errors.Is(err, neurotab.ErrNotFinite) {
		t.Errorf("NaN target: %v, want ErrNotFinite", err)
	}
}

func TestEHConformance(t *testing.T) {
	X, Y := linearProblem(31, 200, []float64{1, 2, 3}, 0)
	x := X.RawRowView(0)
	estimatortest.Run(t, estimatortest.Case[*EH]{
		Package: "readout",
		New:     func() *EH { return new(EH) },
		Defaults: map[string]any{"rate": 0.0005, "decay": 0.0, "noise": 0.5, "smoothing": 0.8, "epochs": 1,
			"fit_intercept": false, "seed": "0"},
		Bad: map[string]func(*EH){
			"negative Rate":     func(e *EH) { e.Rate = -1 },
			"negative Decay":    func(e *EH) { e.Decay = -1 },
			"NaN Noise":         func(e *EH) { e.Noise = math.NaN() },
			"Smoothing 1":       func(e *EH) { e.Smoothing = 1 },
			"negative Epochs":   func(e *EH) { e.Epochs = -1 },
			"+Inf Rate":         func(e *EH) { e.Rate = math.Inf(1) },
			"negative Noise":    func(e *EH) { e.Noise = -0.1 },
			"Smoothing below 0": func(e *EH) { e.Smoothing = -0.5 },
		},
		Fit: func(e *EH) error { return e.Fit(X, Y) },
		Batched: func(e *EH) error {
			for i := range 200 {
				if err := e.Update(X.RawRowView(i), Y.RawRowView(i)); err != nil {
					return err
				}
			}
			return nil
		},
		Results:  results[*EH](x),
		Snapshot: func(e *EH) []float64 { return snapshot(e) },
	})
}
