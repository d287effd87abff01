package directed

import (
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/internal/estimatortest"
)

// snapshot flattens a result matrix for the conformance suite.
func snapshot(to func(*mat.Dense) error) []float64 {
	var m mat.Dense
	if to(&m) != nil {
		return nil
	}
	return m.RawMatrix().Data
}

// TestConformance runs the estimator-shape suite on Granger (bivariate and
// conditional) and GaussianTE.
func TestConformance(t *testing.T) {
	x := signals(80)
	for _, conditional := range []bool{false, true} {
		name := map[bool]string{false: "Granger", true: "Granger conditional"}[conditional]
		t.Run(name, func(t *testing.T) {
			estimatortest.Run(t, estimatortest.Case[*Granger]{
				Package:  "directed",
				New:      func() *Granger { return &Granger{Conditional: conditional} },
				Defaults: map[string]any{"lag": 1, "test": "ssr_ftest", "conditional": conditional},
				Bad: map[string]func(*Granger){
					"negative Lag": func(g *Granger) { g.Lag = -2 },
					"unknown Test": func(g *Granger) { g.Test = "ftest" },
				},
				Fit: func(g *Granger) error { return g.Fit(x) },
				Results: map[string]func(*Granger) error{
					"StatisticTo": func(g *Granger) error { return g.StatisticTo(&mat.Dense{}) },
					"PValueTo":    func(g *Granger) error { return g.PValueTo(&mat.Dense{}) },
					"FTo":         func(g *Granger) error { return g.FTo(&mat.Dense{}) },
				},
				Snapshot: func(g *Granger) []float64 {
					return append(snapshot(g.FTo), snapshot(g.PValueTo)...)
				},
			})
		})
	}
	t.Run("GaussianTE", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*GaussianTE]{
			Package:  "directed",
			New:      func() *GaussianTE { return &GaussianTE{} },
			Defaults: map[string]any{"lag": 1, "conditional": false},
			Bad: map[string]func(*GaussianTE){
				"negative Lag": func(e *GaussianTE) { e.Lag = -1 },
			},
			Fit: func(e *GaussianTE) error { return e.Fit(x) },
			Results: map[string]func(*GaussianTE) error{
				"MatrixTo": func(e *GaussianTE) error { return e.MatrixTo(&mat.Dense{}) },
			},
			Snapshot: func(e *GaussianTE) []float64 { return snapshot(e.MatrixTo) },
		})
	})
}
