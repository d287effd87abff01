package connectivity

import (
	"fmt"

	"github.com/neurotab/neurotab"
)

// Measure names an FC measure. Its value is what the fc table's measure
// column holds.
type Measure string

const (
	// MeasurePearson is the Pearson correlation (Pearson). It is what the
	// zero Measure means.
	MeasurePearson Measure = "pearson"
	// MeasureLagged is the lagged Pearson correlation at the lag of its peak
	// |r| (LaggedCorrelation), for lags up to Estimator.MaxLag samples.
	MeasureLagged Measure = "lagged_pearson"
	// MeasurePartial is the partial correlation from the (ridge-regularized)
	// precision matrix (PartialCorrelation).
	MeasurePartial Measure = "partial_correlation"
	// MeasurePeakLag names the fc rows that carry, for a lagged fit, the lag
	// of the peak in samples (the rows of MeasureLagged carry r there). It
	// is an output only: an Estimator does not accept it.
	MeasurePeakLag Measure = "lagged_pearson_peak_lag_samples"
)

// Measures lists the measures an Estimator computes.
func Measures() []Measure { return []Measure{MeasurePearson, MeasureLagged, MeasurePartial} }

// ParseMeasure returns the measure named s ("" is MeasurePearson).
func ParseMeasure(s string) (Measure, error) {
	if s == "" {
		return MeasurePearson, nil
	}
	for _, m := range Measures() {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("connectivity: unknown measure %q (want one of %v): %w", s, Measures(), neurotab.ErrParam)
}
