package connectivity

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// Estimator computes static FC of one recording. Its exported fields are
// the hyperparameters; the zero value computes Pearson correlations. An
// Estimator holds no state, so one value may Fit many recordings at once.
type Estimator struct {
	// Measure is MeasurePearson (also ""), MeasureLagged or MeasurePartial.
	Measure Measure
	// MaxLag is the largest |lag| in samples scanned by MeasureLagged
	// (0 reduces it to Pearson). Other measures require 0.
	MaxLag int
	// Ridge is λ ≥ 0 in (R + λI)⁻¹ for MeasurePartial (see
	// PartialCorrelation). Other measures require 0.
	Ridge float64
}

// Result is the FC of one recording.
type Result struct {
	Dataset   string  // source dataset of the recording
	Recording string  // recording id (table.Recording.Worm): the fc table's recording column
	Window    int     // the fc table's window column: 0 for static FC
	Start     float64 // time of the first sample used, s (the fc table's t_start)
	End       float64 // time of the last sample used, s (the fc table's t_end)

	Estimator Estimator // the settings that made it, Measure filled in
	Neurons   []string  // N labels, in column order

	// Matrix is the N × N FC matrix: r for pearson, r at the peak lag for
	// lagged_pearson, ρ for partial_correlation. Rows and columns of
	// constant traces are NaN.
	Matrix *mat.SymDense
	// Lag is, for MeasureLagged only, the N × N peak lag in samples
	// (Lagged.PeakLag); nil otherwise.
	Lag *mat.Dense
	// Lagged is, for MeasureLagged only, every lag's matrix; nil otherwise.
	Lagged *Lagged
}

// Check reports whether the settings are valid: a known measure, MaxLag ≥ 0
// and Ridge a finite λ ≥ 0, each set only for the measure that uses it.
// Errors wrap ErrConfig.
func (e Estimator) Check() error {
	m, err := ParseMeasure(string(e.Measure))
	if err != nil {
		return err
	}
	switch {
	case e.MaxLag < 0:
		return fmt.Errorf("connectivity: MaxLag %d < 0: %w", e.MaxLag, ErrConfig)
	case e.MaxLag != 0 && m != MeasureLagged:
		return fmt.Errorf("connectivity: MaxLag %d is for measure %s, not %s: %w", e.MaxLag, MeasureLagged, m, ErrConfig)
	case e.Ridge < 0 || math.IsNaN(e.Ridge) || math.IsInf(e.Ridge, 0):
		return fmt.Errorf("connectivity: Ridge %v, want a finite λ ≥ 0: %w", e.Ridge, ErrConfig)
	case e.Ridge != 0 && m != MeasurePartial:
		return fmt.Errorf("connectivity: Ridge %g is for measure %s, not %s: %w", e.Ridge, MeasurePartial, m, ErrConfig)
	}
	return nil
}

// Parameters returns the settings as provenance parameters
// (table.Provenance.Parameters): measure, and max_lag or ridge where they
// apply.
func (e Estimator) Parameters() map[string]any {
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

// Fit computes the FC of rec.Data (T × N, rows are time) with e's measure.
// Errors: invalid settings (ErrConfig), a recording that fails its own
// Validate, and the data errors of Pearson, LaggedCorrelation and
// PartialCorrelation, each naming the recording and, for *NonFiniteError
// and *SingularError, the neurons by label.
func (e Estimator) Fit(rec *table.Recording) (*Result, error) {
	if err := e.Check(); err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, errors.New("connectivity: nil recording")
	}
	if err := rec.Validate(); err != nil {
		return nil, fmt.Errorf("connectivity: %w", err)
	}
	e.Measure, _ = ParseMeasure(string(e.Measure))
	res := &Result{
		Dataset:   rec.Dataset,
		Recording: rec.Worm,
		Estimator: e,
		Neurons:   slices.Clone(rec.Neurons),
	}
	if n := len(rec.Time); n > 0 {
		res.Start, res.End = rec.Time[0], rec.Time[n-1]
	}
	var err error
	switch e.Measure {
	case MeasurePearson:
		res.Matrix, err = Pearson(rec.Data)
	case MeasureLagged:
		res.Lagged, err = LaggedCorrelation(rec.Data, e.MaxLag)
		if err == nil {
			res.Matrix, res.Lag = res.Lagged.Peak, res.Lagged.PeakLag
		}
	case MeasurePartial:
		res.Matrix, err = PartialCorrelation(rec.Data, e.Ridge)
	}
	if err != nil {
		var nf *NonFiniteError
		if errors.As(err, &nf) {
			nf.Neuron = rec.Neurons[nf.Column]
		}
		var se *SingularError
		if errors.As(err, &se) && se.Pair[0] >= 0 {
			se.Names = [2]string{rec.Neurons[se.Pair[0]], rec.Neurons[se.Pair[1]]}
		}
		return nil, fmt.Errorf("recording %s/%s: %w", rec.Dataset, rec.Worm, err)
	}
	return res, nil
}
