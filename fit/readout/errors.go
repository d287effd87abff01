package readout

import "errors"

// Sentinel errors wrapped (with %w) by the errors this package returns; test
// with errors.Is. The wrapping message names the offending value.
var (
	// ErrShape reports dimensions that do not agree (X and Y rows, feature
	// or target counts that differ from the fitted ones, empty input).
	ErrShape = errors.New("readout: shape mismatch")
	// ErrParam reports a hyperparameter out of its range (Alpha < 0,
	// Delta < 0, Lambda outside (0, 1]).
	ErrParam = errors.New("readout: invalid parameter")
	// ErrNotFinite reports a NaN or ±Inf in X or Y.
	ErrNotFinite = errors.New("readout: value not finite")
	// ErrSingular reports a linear system that is not positive definite or
	// is too ill-conditioned to solve (raise Alpha or Delta).
	ErrSingular = errors.New("readout: system singular or not positive definite")
	// ErrNotFitted reports a prediction or solve asked of a readout that has
	// no fit or no data yet.
	ErrNotFitted = errors.New("readout: not fitted")
)
