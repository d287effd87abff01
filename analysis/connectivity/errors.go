package connectivity

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// NonFiniteError reports a NaN or ±Inf sample in the input traces. FC needs
// complete traces: fill gaps first (ingest/homogenize does). It wraps
// neurotab.ErrNotFinite. Sample and Column are 0-based indices into the
// T × N trace matrix X[t][n].
type NonFiniteError struct {
	Sample int     // row t of the trace matrix
	Column int     // column n of the trace matrix
	Neuron string  // label of the column, when known (Estimator.FitRecording sets it)
	Value  float64 // the offending value
}

// Error names the sample and the column (and its neuron, when known).
func (e *NonFiniteError) Error() string {
	who := fmt.Sprintf("column %d", e.Column)
	if e.Neuron != "" {
		who = fmt.Sprintf("neuron %s (column %d)", e.Neuron, e.Column)
	}
	return fmt.Sprintf("connectivity: %s, sample %d is %v: fill gaps before computing FC", who, e.Sample, e.Value)
}

// Unwrap returns neurotab.ErrNotFinite.
func (e *NonFiniteError) Unwrap() error { return neurotab.ErrNotFinite }

// SingularError reports a covariance (correlation) matrix that cannot be
// inverted reliably: its Cholesky factorization failed or its condition
// number exceeds MaxCondition. It happens when N ≥ T (the sample covariance
// has rank at most T−1) or when some traces are linear combinations of
// others; a ridge (Estimator.Ridge, PartialCorrelation's ridge) fixes both.
// It wraps neurotab.ErrSingular.
type SingularError struct {
	Neurons int     // neurons in the inverted matrix (constant traces excluded)
	Samples int     // T
	Ridge   float64 // λ added to the diagonal
	Cond    float64 // condition number estimate; +Inf when factorization failed

	// Pair is two columns whose correlation is ±1 (to rounding), the most
	// common cause, or {−1, −1} when no such pair exists.
	Pair [2]int
	// Names are the labels of Pair, when known (Estimator.FitRecording sets
	// them).
	Names [2]string
}

// Error says what is singular, the likely cause and the remedy.
func (e *SingularError) Error() string {
	msg := fmt.Sprintf("connectivity: partial correlation: covariance of %d neurons from %d samples is singular", e.Neurons, e.Samples)
	if math.IsInf(e.Cond, 1) {
		msg += " (not positive definite)"
	} else {
		msg += fmt.Sprintf(" (condition number %.3g > %.0g)", e.Cond, MaxCondition)
	}
	if e.Neurons >= e.Samples {
		msg += fmt.Sprintf("; its rank is at most T−1 = %d", e.Samples-1)
	}
	if e.Pair[0] >= 0 {
		if e.Names[0] != "" {
			msg += fmt.Sprintf("; neurons %s and %s are perfectly correlated", e.Names[0], e.Names[1])
		} else {
			msg += fmt.Sprintf("; columns %d and %d are perfectly correlated", e.Pair[0], e.Pair[1])
		}
	}
	if e.Ridge == 0 {
		msg += "; set a ridge > 0"
	} else {
		msg += fmt.Sprintf("; ridge %g is too small", e.Ridge)
	}
	return msg
}

// Unwrap returns neurotab.ErrSingular.
func (e *SingularError) Unwrap() error { return neurotab.ErrSingular }
