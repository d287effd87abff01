package covariance

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/internal/estimatortest"
)

// snapshotSym flattens the matrix read by to, or nil on an error.
func snapshotSym(to func(*mat.SymDense) error) []float64 {
	var m mat.SymDense
	if to(&m) != nil {
		return nil
	}
	return mat.DenseCopyOf(&m).RawMatrix().Data
}

// TestConformance runs the estimator-shape suite on every estimator of the
// package.
func TestConformance(t *testing.T) {
	x := randomTraces(7, 60, 5)
	t.Run("Empirical", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*Empirical]{
			Package:  "covariance",
			New:      func() *Empirical { return &Empirical{} },
			Defaults: map[string]any{"estimator": "empirical", "ddof": 0},
			Bad: map[string]func(*Empirical){
				"DDOF 2":  func(e *Empirical) { e.DDOF = 2 },
				"DDOF -1": func(e *Empirical) { e.DDOF = -1 },
			},
			Fit: func(e *Empirical) error { return e.Fit(x) },
			Results: map[string]func(*Empirical) error{
				"CovarianceTo": func(e *Empirical) error { return e.CovarianceTo(&mat.SymDense{}) },
			},
			Snapshot: func(e *Empirical) []float64 { return snapshotSym(e.CovarianceTo) },
		})
	})
	t.Run("LedoitWolf", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*LedoitWolf]{
			Package:  "covariance",
			New:      func() *LedoitWolf { return &LedoitWolf{} },
			Defaults: map[string]any{"estimator": "ledoit_wolf"},
			Fit:      func(e *LedoitWolf) error { return e.Fit(x) },
			Results: map[string]func(*LedoitWolf) error{
				"CovarianceTo": func(e *LedoitWolf) error { return e.CovarianceTo(&mat.SymDense{}) },
				"Shrinkage":    func(e *LedoitWolf) error { _, err := e.Shrinkage(); return err },
			},
			Snapshot: func(e *LedoitWolf) []float64 {
				l, _ := e.Shrinkage()
				return append(snapshotSym(e.CovarianceTo), l)
			},
		})
	})
	t.Run("OAS", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*OAS]{
			Package:  "covariance",
			New:      func() *OAS { return &OAS{} },
			Defaults: map[string]any{"estimator": "oas"},
			Fit:      func(e *OAS) error { return e.Fit(x) },
			Results: map[string]func(*OAS) error{
				"CovarianceTo": func(e *OAS) error { return e.CovarianceTo(&mat.SymDense{}) },
				"Shrinkage":    func(e *OAS) error { _, err := e.Shrinkage(); return err },
			},
			Snapshot: func(e *OAS) []float64 {
				l, _ := e.Shrinkage()
				return append(snapshotSym(e.CovarianceTo), l)
			},
		})
	})
	for _, kind := range []Kind{"", KindCorrelation, KindPartialCorrelation, KindPrecision} {
		name := string(kind)
		if name == "" {
			name = "zero Measure"
		}
		t.Run("Measure/"+name, func(t *testing.T) {
			want := string(kind)
			if want == "" {
				want = "covariance"
			}
			estimatortest.Run(t, estimatortest.Case[*Measure]{
				Package:  "covariance",
				New:      func() *Measure { return &Measure{Kind: kind} },
				Defaults: map[string]any{"kind": want, "estimator": "ledoit_wolf"},
				Bad: map[string]func(*Measure){
					"unknown kind":         func(m *Measure) { m.Kind = "granger" },
					"tangent kind":         func(m *Measure) { m.Kind = "tangent" },
					"bad Estimator config": func(m *Measure) { m.Estimator = &Empirical{DDOF: 3} },
					"nil *Empirical":       func(m *Measure) { m.Estimator = (*Empirical)(nil) },
				},
				Fit: func(m *Measure) error { return m.Fit(x) },
				Results: map[string]func(*Measure) error{
					"MatrixTo": func(m *Measure) error { return m.MatrixTo(&mat.SymDense{}) },
				},
				Snapshot: func(m *Measure) []float64 { return snapshotSym(m.MatrixTo) },
			})
		})
	}
	// The configured Estimator is cloned, never fitted: the suite's "Fit
	// leaves the configuration alone" compares the pointee deeply.
	t.Run("Measure/with Empirical", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*Measure]{
			Package:  "covariance",
			New:      func() *Measure { return &Measure{Estimator: &Empirical{DDOF: 1}, Kind: KindPrecision} },
			Defaults: map[string]any{"kind": "precision", "estimator": "empirical", "ddof": 1},
			Fit:      func(m *Measure) error { return m.Fit(x) },
			Results: map[string]func(*Measure) error{
				"MatrixTo": func(m *Measure) error { return m.MatrixTo(&mat.SymDense{}) },
			},
			Snapshot: func(m *Measure) []float64 { return snapshotSym(m.MatrixTo) },
		})
	})
	xs := []mat.Matrix{randomTraces(1, 50, 3), randomTraces(2, 40, 3), randomTraces(3, 70, 3)}
	t.Run("Tangent", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*Tangent]{
			Package:  "covariance",
			New:      func() *Tangent { return &Tangent{} },
			Defaults: map[string]any{"kind": "tangent", "estimator": "ledoit_wolf", "max_iter": 30, "tol": 1e-7},
			Bad: map[string]func(*Tangent){
				"negative MaxIter":     func(e *Tangent) { e.MaxIter = -1 },
				"negative Tol":         func(e *Tangent) { e.Tol = -1e-3 },
				"NaN Tol":              func(e *Tangent) { e.Tol = math.NaN() },
				"infinite Tol":         func(e *Tangent) { e.Tol = math.Inf(1) },
				"bad Estimator config": func(e *Tangent) { e.Estimator = &Empirical{DDOF: 2} },
			},
			Fit: func(e *Tangent) error { return e.Fit(xs) },
			Results: map[string]func(*Tangent) error{
				"TangentTo": func(e *Tangent) error { return e.TangentTo(&mat.SymDense{}, 0) },
				"MeanTo":    func(e *Tangent) error { return e.MeanTo(&mat.SymDense{}) },
				"InverseTo": func(e *Tangent) error { return e.InverseTo(&mat.SymDense{}, mat.NewSymDense(3, nil)) },
			},
			Snapshot: func(e *Tangent) []float64 {
				out := snapshotSym(e.MeanTo)
				for k := range e.Recordings() {
					out = append(out, snapshotSym(func(d *mat.SymDense) error { return e.TangentTo(d, k) })...)
				}
				return out
			},
		})
	})
}
