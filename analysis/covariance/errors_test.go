package covariance

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestFitErrors checks the data errors of every estimator: the sentinel
// and the package prefix, and that the estimator is left unfitted.
func TestFitErrors(t *testing.T) {
	nan := randomTraces(1, 10, 3)
	nan.Set(4, 1, math.NaN())
	inf := randomTraces(1, 10, 3)
	inf.Set(0, 2, math.Inf(-1))
	wide := randomTraces(1, 4, 6) // N > T: Σ has rank ≤ 3
	type fitter interface {
		Fit(mat.Matrix) error
		CovarianceTo(*mat.SymDense) error
	}
	measure := func(m Measure) func() fitter {
		return func() fitter { return &measureFitter{m} }
	}
	for _, c := range []struct {
		name string
		new  func() fitter
		x    mat.Matrix
		want error
		text string
	}{
		{"Empirical one sample", func() fitter { return &Empirical{} }, randomTraces(1, 1, 3), neurotab.ErrShape, "1 samples"},
		{"LedoitWolf no neurons", func() fitter { return &LedoitWolf{} }, emptyColumns{}, neurotab.ErrShape, "no neurons"},
		{"OAS NaN", func() fitter { return &OAS{} }, nan, neurotab.ErrNotFinite, "column 1, sample 4 is NaN"},
		{"Empirical -Inf", func() fitter { return &Empirical{} }, inf, neurotab.ErrNotFinite, "column 2, sample 0 is -Inf"},
		{"precision of singular Empirical", measure(Measure{Estimator: &Empirical{}, Kind: KindPrecision}), wide, neurotab.ErrSingular, "not positive definite"},
		{"partial correlation of singular Empirical", measure(Measure{Estimator: &Empirical{}, Kind: KindPartialCorrelation}), wide, neurotab.ErrSingular, ""},
		{"correlation NaN", measure(Measure{Kind: KindCorrelation}), nan, neurotab.ErrNotFinite, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := c.new()
			err := e.Fit(c.x)
			if !errors.Is(err, c.want) {
				t.Fatalf("Fit = %v, want an error wrapping %v", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "covariance: ") || !strings.Contains(err.Error(), c.text) {
				t.Errorf("Fit error %q: want the prefix covariance: and %q", err, c.text)
			}
			if err := e.CovarianceTo(&mat.SymDense{}); !errors.Is(err, neurotab.ErrNotFitted) {
				t.Errorf("after a failed Fit: %v, want ErrNotFitted", err)
			}
		})
	}
	// With shrinkage the same wide input is invertible.
	m := Measure{Kind: KindPrecision}
	if err := m.Fit(wide); err != nil {
		t.Errorf("Ledoit–Wolf precision of N > T: %v", err)
	}
}

// measureFitter gives a Measure the fitter shape of TestFitErrors.
type measureFitter struct{ Measure }

func (m *measureFitter) CovarianceTo(dst *mat.SymDense) error { return m.MatrixTo(dst) }

// emptyColumns is a 5 × 0 matrix (mat.Dense cannot be built with no
// columns).
type emptyColumns struct{}

func (emptyColumns) Dims() (int, int)    { return 5, 0 }
func (emptyColumns) At(_, _ int) float64 { panic("no columns") }
func (emptyColumns) T() mat.Matrix       { return mat.Transpose{Matrix: emptyColumns{}} }

// TestTangentErrors: no recordings or different N wrap ErrShape; a
// singular covariance wraps ErrSingular; an error of the Estimator names
// the recording and keeps its sentinel.
func TestTangentErrors(t *testing.T) {
	nan := randomTraces(3, 20, 3)
	nan.Set(2, 0, math.NaN())
	for _, c := range []struct {
		name string
		tg   Tangent
		xs   []mat.Matrix
		want error
		text string
	}{
		{"no recordings", Tangent{}, nil, neurotab.ErrShape, "at least one"},
		{"different N", Tangent{}, []mat.Matrix{randomTraces(1, 20, 3), randomTraces(2, 20, 4)}, neurotab.ErrShape, "recording 1 has 4 neurons"},
		{"NaN in recording 1", Tangent{}, []mat.Matrix{randomTraces(1, 20, 3), nan}, neurotab.ErrNotFinite, "covariance: recording 1: column 0, sample 2 is NaN"},
		{"rank-deficient Empirical", Tangent{Estimator: &Empirical{}}, []mat.Matrix{randomTraces(1, 3, 5), randomTraces(2, 3, 5)}, neurotab.ErrSingular, "covariance of recording 0 is not positive definite"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.tg.Fit(c.xs)
			if !errors.Is(err, c.want) {
				t.Fatalf("Fit = %v, want an error wrapping %v", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "covariance: ") || !strings.Contains(err.Error(), c.text) {
				t.Errorf("Fit error %q: want the prefix covariance: and %q", err, c.text)
			}
			if err := c.tg.MeanTo(&mat.SymDense{}); !errors.Is(err, neurotab.ErrNotFitted) {
				t.Errorf("after a failed Fit: %v, want ErrNotFitted", err)
			}
		})
	}
}

// TestResultPanics: a destination of the wrong size and a recording out of
// range are programmer errors that panic with the package prefix.
func TestResultPanics(t *testing.T) {
	var e Empirical
	if err := e.Fit(randomTraces(1, 10, 3)); err != nil {
		t.Fatal(err)
	}
	var tg Tangent
	if err := tg.Fit([]mat.Matrix{randomTraces(1, 10, 3)}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"CovarianceTo 2×2", func() { _ = e.CovarianceTo(mat.NewSymDense(2, nil)) }},
		{"TangentTo recording 1 of 1", func() { _ = tg.TangentTo(&mat.SymDense{}, 1) }},
		{"InverseTo 2×2 tangent", func() { _ = tg.InverseTo(&mat.SymDense{}, mat.NewSymDense(2, nil)) }},
		{"VecToSym into 2×2", func() { _ = VecToSym(mat.NewSymDense(2, nil), make([]float64, 6), nil) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "covariance: ") {
					t.Errorf("recovered %v, want a panic starting with covariance: ", r)
				}
			}()
			c.f()
		})
	}
}
