package directed

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// GaussianTE computes the transfer entropy of every ordered pair of the
// neurons of a T × N trace matrix under a linear-Gaussian model, in nats:
//
//	TE_{i→j} = ½ ln( ssr_r / ssr_u )
//
// with ssr_r and ssr_u the residual sums of squares of the restricted and
// unrestricted regressions of Granger at lag p (history length p of both
// target and source; see the package documentation). For Gaussian
// variables transfer entropy and Granger causality are the same quantity
// up to the factor ½ (Barnett, Barrett & Seth 2009,
// doi:10.1103/PhysRevLett.103.238701): TE = LR / (2 nobs) with LR
// Granger's likelihood-ratio statistic. Conditional conditions on the past
// of every other neuron (conditional transfer entropy).
//
// GaussianTE has the estimator shape of package neurotab (see "Estimators"
// in [github.com/neurotab/neurotab]): the zero value uses lag 1; Fit(X)
// keeps the result, MatrixTo extracts it as C[source][target] with a NaN
// diagonal (and NaN for undefined pairs, as Granger), and its errors are
// Granger's.
type GaussianTE struct {
	// Lag is the history length p ≥ 1 in samples; 0 means 1.
	Lag int
	// Conditional adds the lags of every other neuron to both regressions.
	Conditional bool

	fit *pairSSR
}

// Check reports whether the configuration is valid (Lag ≥ 0). Errors wrap
// neurotab.ErrParam.
func (e *GaussianTE) Check() error {
	if e.Lag < 0 {
		return fmt.Errorf("directed: Lag %d < 0: %w", e.Lag, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters: lag (the
// default written as 1) and conditional.
func (e *GaussianTE) Parameters() map[string]any {
	return map[string]any{"lag": defaultLag(e.Lag), "conditional": e.Conditional}
}

// Fit computes the regressions of every ordered pair of the columns of X
// (T × N, rows are time), replacing any earlier fit; the errors are those
// of Granger.Fit. After an error the estimator is unfitted.
func (e *GaussianTE) Fit(X mat.Matrix) error {
	e.fit = nil
	if err := e.Check(); err != nil {
		return err
	}
	s, err := fitSSR(X, defaultLag(e.Lag), e.Conditional)
	if err != nil {
		return err
	}
	e.fit = s
	return nil
}

// MatrixTo copies the N × N matrix C[source][target] of transfer entropies
// in nats into dst. An empty dst is resized; a non-empty dst must be
// N × N, otherwise MatrixTo panics. The error wraps neurotab.ErrNotFitted.
func (e *GaussianTE) MatrixTo(dst *mat.Dense) error {
	if e.fit == nil {
		return unfitted("MatrixTo")
	}
	n := e.fit.n
	resize("MatrixTo", dst, n)
	for i := range n {
		for j := range n {
			dst.Set(i, j, 0.5*math.Log(e.fit.r[i*n+j]/e.fit.u[i*n+j]))
		}
	}
	return nil
}
