package covariance

import (
	"gonum.org/v1/gonum/mat"
)

// OAS is the Oracle Approximating Shrinkage covariance of a T × N trace
// matrix (Chen, Wiesel, Eldar & Hero 2010, IEEE Trans. Signal Process.
// 58:5016, doi:10.1109/TSP.2010.2053029), computed as scikit-learn 1.2's
// sklearn.covariance.OAS (assume_centered=False), which uses the form of
// Chen et al.'s implementation rather than the paper's equation:
//
//	S  = Xcᵀ Xc / T                      (Xc: columns centred; Empirical, DDOF 0)
//	μ  = tr S / N
//	α  = ‖S‖²_F / N²                     (mean of the squared entries)
//	ρ  = min((α + μ²) / ((T + 1)(α − μ²/N)), 1)   (1 when the denominator is 0)
//	Σ  = (1 − ρ) S + ρ μ I
//
// With N = 1, ρ = 0 and Σ = S. The zero value is the only configuration.
// Read the shrinkage with Shrinkage.
//
// An OAS is not safe for concurrent use.
type OAS struct {
	shrunk
}

// Check always returns nil: OAS has no configuration.
func (e *OAS) Check() error { return nil }

// Parameters returns {"estimator": "oas"}.
func (e *OAS) Parameters() map[string]any {
	return map[string]any{"estimator": "oas"}
}

// Fit estimates Σ and ρ from X (T × N, rows are time), replacing any
// earlier fit. Errors: T < 2 or N < 1 (neurotab.ErrShape), a NaN or ±Inf
// sample (neurotab.ErrNotFinite). After an error the estimator is unfitted.
func (e *OAS) Fit(X mat.Matrix) error {
	e.shrunk = shrunk{}
	s, _, err := scatter(X, 0)
	if err != nil {
		return err
	}
	t, n := X.Dims()
	rho := 0.0
	if n > 1 {
		fn := float64(n)
		mu := trace(s) / fn
		alpha := frobenius2(s) / (fn * fn)
		num := alpha + mu*mu
		den := (float64(t) + 1) * (alpha - mu*mu/fn)
		if den == 0 {
			rho = 1
		} else {
			rho = min(num/den, 1)
		}
	}
	shrink(s, rho)
	e.shrunk = shrunk{cov: s, lambda: rho, fitted: true}
	return nil
}

// CovarianceTo copies the N × N shrunk covariance Σ into dst. An empty dst
// is resized; a non-empty dst must be N × N, otherwise CovarianceTo panics.
// The error wraps neurotab.ErrNotFitted.
func (e *OAS) CovarianceTo(dst *mat.SymDense) error { return e.covarianceTo(dst, "OAS") }

// Shrinkage returns ρ ∈ [0, 1] of the fit. The error wraps
// neurotab.ErrNotFitted.
func (e *OAS) Shrinkage() (float64, error) { return e.shrinkage("OAS") }
