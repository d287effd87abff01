package connectivity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Estimator computes the static FC of a T × N trace matrix. It has the
// estimator shape of package neurotab (see "Estimators" in
// [github.com/neurotab/neurotab]): the exported fields are the
// configuration, and the zero value computes Pearson correlations; Fit(X)
// keeps the result on the receiver, read with MatrixTo (every measure),
// PeakLagTo and LagTo (MeasureLagged), and written as fc-table rows with
// AppendFC. The result methods return an error wrapping
// neurotab.ErrNotFitted before a Fit and panic only on a destination of the
// wrong size. FitRecording and RecordingWindow are the adapter from a
// table.Recording.
//
// An Estimator is not safe for concurrent use; give each goroutine its own
// (a copy of the configuration, or of any Estimator: Fit never writes into
// the matrices an earlier fit returned, so copies never share a result that
// changes).
type Estimator struct {
	// Measure is MeasurePearson (also ""), MeasureLagged or MeasurePartial.
	Measure Measure
	// MaxLag is the largest |lag| in samples scanned by MeasureLagged
	// (0 reduces it to Pearson). Other measures require 0.
	MaxLag int
	// Ridge is λ ≥ 0 in (R + λI)⁻¹ for MeasurePartial (see
	// PartialCorrelation). Other measures require 0.
	Ridge float64

	// The fit.
	fitted Measure       // the measure of the fit; "" before one
	matrix *mat.SymDense // N × N
	lagged *Lagged       // MeasureLagged only
}

// Check reports whether the configuration is valid: a known measure,
// MaxLag ≥ 0 and Ridge a finite λ ≥ 0, each set only for the measure that
// uses it. Errors wrap neurotab.ErrParam.
func (e *Estimator) Check() error {
	m, err := ParseMeasure(string(e.Measure))
	if err != nil {
		return err
	}
	switch {
	case e.MaxLag < 0:
		return fmt.Errorf("connectivity: MaxLag %d < 0: %w", e.MaxLag, neurotab.ErrParam)
	case e.MaxLag != 0 && m != MeasureLagged:
		return fmt.Errorf("connectivity: MaxLag %d is for measure %s, not %s: %w", e.MaxLag, MeasureLagged, m, neurotab.ErrParam)
	case e.Ridge < 0 || math.IsNaN(e.Ridge) || math.IsInf(e.Ridge, 0):
		return fmt.Errorf("connectivity: Ridge %v, want a finite λ ≥ 0: %w", e.Ridge, neurotab.ErrParam)
	case e.Ridge != 0 && m != MeasurePartial:
		return fmt.Errorf("connectivity: Ridge %g is for measure %s, not %s: %w", e.Ridge, MeasurePartial, m, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters
// (table.Provenance.Parameters): measure ("" written as pearson), and
// max_lag or ridge where they apply.
func (e *Estimator) Parameters() map[string]any {
	m, err := ParseMeasure(string(e.Measure))
	if err != nil {
		m = e.Measure
	}
	p := map[string]any{"measure": string(m)}
	switch m {
	case MeasureLagged:
		p["max_lag"] = e.MaxLag
	case MeasurePartial:
		p["ridge"] = e.Ridge
	}
	return p
}

// Fit computes the FC of X, a T × N trace matrix (rows are time, columns
// are neurons), with the configured measure, replacing any earlier fit.
// Errors: an invalid configuration (neurotab.ErrParam, before looking at
// X), and the data errors of Pearson, LaggedCorrelation and
// PartialCorrelation (neurotab.ErrShape, *NonFiniteError,
// *SingularError). After an error the estimator is unfitted.
func (e *Estimator) Fit(X mat.Matrix) error {
	e.fitted, e.matrix, e.lagged = "", nil, nil
	if err := e.Check(); err != nil {
		return err
	}
	m, _ := ParseMeasure(string(e.Measure))
	switch m {
	case MeasurePearson:
		r, err := Pearson(X)
		if err != nil {
			return err
		}
		e.matrix = r
	case MeasureLagged:
		l, err := LaggedCorrelation(X, e.MaxLag)
		if err != nil {
			return err
		}
		e.matrix, e.lagged = l.Peak, l
	case MeasurePartial:
		r, err := PartialCorrelation(X, e.Ridge)
		if err != nil {
			return err
		}
		e.matrix = r
	}
	e.fitted = m
	return nil
}

// Fitted returns the measure of the fit, or "" before one.
func (e *Estimator) Fitted() Measure { return e.fitted }

// Neurons returns N of the fit (0 before one).
func (e *Estimator) Neurons() int {
	if e.matrix == nil {
		return 0
	}
	return e.matrix.SymmetricDim()
}

// MatrixTo copies the N × N FC matrix into dst: r for pearson, r at the
// peak lag for lagged_pearson (Lagged.Peak), ρ for partial_correlation.
// Rows and columns of constant traces are NaN. An empty dst is resized; a
// non-empty dst must be N × N, otherwise MatrixTo panics. The error wraps
// neurotab.ErrNotFitted.
func (e *Estimator) MatrixTo(dst *mat.SymDense) error {
	if e.matrix == nil {
		return unfitted("MatrixTo", "")
	}
	n := e.matrix.SymmetricDim()
	if dst.IsEmpty() {
		dst.ReuseAsSym(n)
	} else if m := dst.SymmetricDim(); m != n {
		panic(fmt.Sprintf("connectivity: MatrixTo: dst is %d×%d, want %d×%d", m, m, n, n))
	}
	dst.CopySym(e.matrix)
	return nil
}

// PeakLagTo copies the N × N matrix of peak lags in samples of a
// MeasureLagged fit (Lagged.PeakLag: positive when the row neuron leads)
// into dst. An empty dst is resized; a non-empty dst must be N × N,
// otherwise PeakLagTo panics. The error wraps neurotab.ErrNotFitted when
// there is no fit of MeasureLagged.
func (e *Estimator) PeakLagTo(dst *mat.Dense) error {
	if e.lagged == nil {
		return unfitted("PeakLagTo", MeasureLagged)
	}
	n := e.lagged.Neurons()
	if dst.IsEmpty() {
		dst.ReuseAs(n, n)
	} else if r, c := dst.Dims(); r != n || c != n {
		panic(fmt.Sprintf("connectivity: PeakLagTo: dst is %d×%d, want %d×%d", r, c, n, n))
	}
	dst.Copy(e.lagged.PeakLag)
	return nil
}

// LagTo copies r_··(lag), the N × N correlations of x_i(t) with x_j(t+lag)
// of a MeasureLagged fit, into dst (see Lagged.LagTo). An empty dst is
// resized; it panics on a non-empty dst of another size or |lag| > MaxLag.
// The error wraps neurotab.ErrNotFitted when there is no fit of
// MeasureLagged.
func (e *Estimator) LagTo(dst *mat.Dense, lag int) error {
	if e.lagged == nil {
		return unfitted("LagTo", MeasureLagged)
	}
	e.lagged.LagTo(dst, lag)
	return nil
}

// unfitted is the error of a result method called with no fit (of measure
// need, when not "").
func unfitted(method string, need Measure) error {
	if need != "" {
		return fmt.Errorf("connectivity: %s needs a fit of measure %s: %w", method, need, neurotab.ErrNotFitted)
	}
	return fmt.Errorf("connectivity: %s before Fit: %w", method, neurotab.ErrNotFitted)
}
