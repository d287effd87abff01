package covariance

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Empirical is the sample covariance of a T × N trace matrix X:
//
//	S_ij = Σ_t (x_i(t) − x̄_i)(x_j(t) − x̄_j) / (T − DDOF)
//
// (numpy.cov(X.T, ddof=DDOF); sklearn.covariance.EmpiricalCovariance and
// nilearn use DDOF = 0, the maximum-likelihood estimate under a Gaussian
// model). It has the estimator shape of package neurotab: the zero value
// computes the DDOF = 0 covariance. X is read twice and never copied
// whole in the default (pure-Go) build: one pass for the column means
// (checking every sample is finite), then blocks of rows are centred into
// a 256 KiB buffer and accumulated into S by symmetric rank-k updates
// split over the cores (internal/gram). With the openblas build tag the
// blocks are 16 MiB and each is one OpenBLAS dsyrk.
//
// An Empirical is not safe for concurrent use.
type Empirical struct {
	// DDOF is the delta degrees of freedom: 0 (default, divide by T) or 1
	// (divide by T − 1, the unbiased estimate).
	DDOF int

	cov *mat.SymDense
}

// Check reports whether DDOF is 0 or 1 (errors wrap neurotab.ErrParam).
func (e *Empirical) Check() error {
	if e.DDOF != 0 && e.DDOF != 1 {
		return fmt.Errorf("covariance: Empirical DDOF %d, want 0 or 1: %w", e.DDOF, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns {"estimator": "empirical", "ddof": DDOF}.
func (e *Empirical) Parameters() map[string]any {
	return map[string]any{"estimator": "empirical", "ddof": e.DDOF}
}

// Fit estimates S from X (T × N, rows are time), replacing any earlier
// fit. Errors: an invalid configuration (neurotab.ErrParam), T < 2 or N < 1
// (neurotab.ErrShape), a NaN or ±Inf sample (neurotab.ErrNotFinite). After
// an error the estimator is unfitted.
func (e *Empirical) Fit(X mat.Matrix) error {
	e.cov = nil
	if err := e.Check(); err != nil {
		return err
	}
	s, _, err := scatter(X, e.DDOF)
	if err != nil {
		return err
	}
	e.cov = s
	return nil
}

// CovarianceTo copies the N × N sample covariance S into dst. An empty dst
// is resized; a non-empty dst must be N × N, otherwise CovarianceTo panics.
// The error wraps neurotab.ErrNotFitted.
func (e *Empirical) CovarianceTo(dst *mat.SymDense) error {
	if e.cov == nil {
		return unfitted("Empirical", "CovarianceTo")
	}
	copySymTo(dst, e.cov, "Empirical.CovarianceTo")
	return nil
}
