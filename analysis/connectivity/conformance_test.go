package connectivity

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/internal/estimatortest"
)

// TestConformance runs the estimator-shape suite for each measure. The
// "zero value" of a measure is Estimator{Measure: m}, its other settings at
// their zero defaults; for pearson it is the zero Estimator itself.
func TestConformance(t *testing.T) {
	x := randomTraces(41, 80, 4)
	for _, c := range []struct {
		measure  Measure
		defaults map[string]any
	}{
		{"", map[string]any{"measure": "pearson"}},
		{MeasureLagged, map[string]any{"measure": "lagged_pearson", "max_lag": 0}},
		{MeasurePartial, map[string]any{"measure": "partial_correlation", "ridge": 0.0}},
	} {
		results := map[string]func(*Estimator) error{
			"MatrixTo": func(e *Estimator) error { return e.MatrixTo(&mat.SymDense{}) },
			"AppendFC": func(e *Estimator) error {
				_, err := e.FCRecord(nil, Window{}, []string{"a", "b", "c", "d"})
				return err
			},
		}
		if c.measure == MeasureLagged {
			results["PeakLagTo"] = func(e *Estimator) error { return e.PeakLagTo(&mat.Dense{}) }
			results["LagTo"] = func(e *Estimator) error { return e.LagTo(&mat.Dense{}, 0) }
		}
		t.Run(c.defaults["measure"].(string), func(t *testing.T) {
			estimatortest.Run(t, estimatortest.Case[*Estimator]{
				Package:  "connectivity",
				New:      func() *Estimator { return &Estimator{Measure: c.measure} },
				Defaults: c.defaults,
				Bad: map[string]func(*Estimator){
					"unknown measure":     func(e *Estimator) { e.Measure = "granger" },
					"output-only measure": func(e *Estimator) { e.Measure = MeasurePeakLag },
					"negative MaxLag":     func(e *Estimator) { e.MaxLag = -1 },
					"NaN Ridge":           func(e *Estimator) { e.Ridge = math.NaN() },
				},
				Fit:     func(e *Estimator) error { return e.Fit(x) },
				Results: results,
				Snapshot: func(e *Estimator) []float64 {
					var m mat.SymDense
					if e.MatrixTo(&m) != nil {
						return nil
					}
					return mat.DenseCopyOf(&m).RawMatrix().Data
				},
			})
		})
	}
}
