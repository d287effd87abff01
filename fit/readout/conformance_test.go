package readout

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/internal/estimatortest"
)

// results are the result methods both readouts share, for the conformance
// suite.
func results[E fitted](x []float64) map[string]func(E) error {
	X := mat.NewDense(1, len(x), x)
	return map[string]func(E) error{
		"PredictTo":   func(r E) error { return r.PredictTo(&mat.Dense{}, X) },
		"PredictVec":  func(r E) error { _, err := r.PredictVec(nil, x); return err },
		"WeightsTo":   func(r E) error { return r.WeightsTo(&mat.Dense{}) },
		"InterceptTo": func(r E) error { return r.InterceptTo(&mat.VecDense{}) },
	}
}

// snapshot flattens W and b.
func snapshot(r interface {
	WeightsTo(*mat.Dense) error
	InterceptTo(*mat.VecDense) error
}) []float64 {
	var w mat.Dense
	var b mat.VecDense
	if r.WeightsTo(&w) != nil || r.InterceptTo(&b) != nil {
		return nil
	}
	return append(append([]float64(nil), w.RawMatrix().Data...), b.RawVector().Data...)
}

func TestConformance(t *testing.T) {
	X, Y, _, _ := seededData(41, 200, 5, 2, 0.1)
	hebbX, _ := knownCovariance(42, 200, eigenvalues)
	x := X.RawRowView(0)
	t.Run("Ridge", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*Ridge]{
			Package:  "readout",
			New:      func() *Ridge { return new(Ridge) },
			Defaults: map[string]any{"alpha": 0.0, "fit_intercept": false, "washout": 0, "svd_fallback": false},
			Bad: map[string]func(*Ridge){
				"negative Alpha":   func(r *Ridge) { r.Alpha = -1 },
				"NaN Alpha":        func(r *Ridge) { r.Alpha = math.NaN() },
				"+Inf Alpha":       func(r *Ridge) { r.Alpha = math.Inf(1) },
				"negative Washout": func(r *Ridge) { r.Washout = -1 },
			},
			Fit: func(r *Ridge) error { return r.Fit(X, Y) },
			// Two batches give the fit of one (TestRidgeBatches tries more
			// splits and the intercept).
			Batched: func(r *Ridge) error {
				for _, b := range [][2]int{{0, 70}, {70, 200}} {
					if err := r.Accumulate(X.Slice(b[0], b[1], 0, 5), Y.Slice(b[0], b[1], 0, 2)); err != nil {
						return err
					}
				}
				return r.Solve()
			},
			Results:  results[*Ridge](x),
			Snapshot: func(r *Ridge) []float64 { return snapshot(r) },
			Tol:      1e-10,
		})
	})
	t.Run("RLS", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*RLS]{
			Package:  "readout",
			New:      func() *RLS { return new(RLS) },
			Defaults: map[string]any{"delta": 1.0, "lambda": 1.0},
			Bad: map[string]func(*RLS){
				"negative Delta":  func(r *RLS) { r.Delta = -1 },
				"+Inf Delta":      func(r *RLS) { r.Delta = math.Inf(1) },
				"negative Lambda": func(r *RLS) { r.Lambda = -0.5 },
				"Lambda above 1":  func(r *RLS) { r.Lambda = 1.5 },
				"NaN Lambda":      func(r *RLS) { r.Lambda = math.NaN() },
			},
			Fit: func(r *RLS) error { return r.Fit(X, Y) },
			// Update row by row from the zero value is the same
			// computation as Fit.
			Batched: func(r *RLS) error {
				for i := range 200 {
					if err := r.Update(X.RawRowView(i), Y.RawRowView(i)); err != nil {
						return err
					}
				}
				return nil
			},
			Results:  results[*RLS](x),
			Snapshot: func(r *RLS) []float64 { return snapshot(r) },
		})
	})
	t.Run("LMS", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*LMS]{
			Package:  "readout",
			New:      func() *LMS { return new(LMS) },
			Defaults: map[string]any{"rate": 0.01, "epochs": 1, "fit_intercept": false},
			Bad: map[string]func(*LMS){
				"negative Rate":   func(l *LMS) { l.Rate = -1 },
				"NaN Rate":        func(l *LMS) { l.Rate = math.NaN() },
				"+Inf Rate":       func(l *LMS) { l.Rate = math.Inf(1) },
				"negative Epochs": func(l *LMS) { l.Epochs = -1 },
			},
			Fit: func(l *LMS) error { return l.Fit(X, Y) },
			Batched: func(l *LMS) error {
				for i := range 200 {
					if err := l.Update(X.RawRowView(i), Y.RawRowView(i)); err != nil {
						return err
					}
				}
				return nil
			},
			Results:  results[*LMS](x),
			Snapshot: func(l *LMS) []float64 { return snapshot(l) },
		})
	})
	t.Run("Hebbian", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*Hebbian]{
			Package: "readout",
			New:     func() *Hebbian { return &Hebbian{} },
			Defaults: map[string]any{"rule": "oja", "outputs": 1, "rate": 0.01, "decay": 0.0, "epochs": 1,
				"theta": 1.0, "theta_rate": 0.0, "seed": "0"},
			Bad: map[string]func(*Hebbian){
				"unknown Rule":       func(h *Hebbian) { h.Rule = "hopfield" },
				"negative Outputs":   func(h *Hebbian) { h.Outputs = -1 },
				"negative Epochs":    func(h *Hebbian) { h.Epochs = -2 },
				"negative Rate":      func(h *Hebbian) { h.Rate = -0.1 },
				"NaN Rate":           func(h *Hebbian) { h.Rate = math.NaN() },
				"negative Decay":     func(h *Hebbian) { h.Decay = -1 },
				"negative ThetaRate": func(h *Hebbian) { h.ThetaRate = -1 },
				"ThetaRate above 1":  func(h *Hebbian) { h.ThetaRate = 1.5 },
				"+Inf Theta":         func(h *Hebbian) { h.Theta = math.Inf(1) },
			},
			Fit: func(h *Hebbian) error { return h.Fit(hebbX) },
			Batched: func(h *Hebbian) error {
				for i := range 200 {
					if err := h.Update(hebbX.RawRowView(i)); err != nil {
						return err
					}
				}
				return nil
			},
			Results: map[string]func(*Hebbian) error{
				"PredictTo":    func(h *Hebbian) error { return h.PredictTo(&mat.Dense{}, hebbX.Slice(0, 1, 0, 8)) },
				"PredictVec":   func(h *Hebbian) error { _, err := h.PredictVec(nil, hebbX.RawRowView(0)); return err },
				"WeightsTo":    func(h *Hebbian) error { return h.WeightsTo(&mat.Dense{}) },
				"InterceptTo":  func(h *Hebbian) error { return h.InterceptTo(&mat.VecDense{}) },
				"ThresholdsTo": func(h *Hebbian) error { return h.ThresholdsTo(&mat.VecDense{}) },
			},
			Snapshot: func(h *Hebbian) []float64 { return snapshot(h) },
		})
	})
}
