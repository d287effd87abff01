package covariance

import (
	"gonum.org/v1/gonum/mat"
)

// LedoitWolf is the Ledoit–Wolf shrunk covariance of a T × N trace matrix
// (Ledoit & Wolf 2004, J. Multivar. Anal. 88:365,
// doi:10.1016/S0047-259X(03)00096-4), computed as scikit-learn's
// sklearn.covariance.ledoit_wolf with assume_centered=False:
//
//	S  = Xcᵀ Xc / T                      (Xc: columns centred; Empirical, DDOF 0)
//	μ  = tr S / N
//	δ  = ‖S − μI‖²_F / N
//	β  = (Σ_t ‖xc(t)‖⁴ / T − ‖S‖²_F) / (N T)
//	λ  = min(β, δ) / δ                   (0 when min(β, δ) = 0)
//	Σ  = (1 − λ) S + λ μ I
//
// where xc(t) is row t of Xc. With N = 1, λ = 0 and Σ = S. It is nilearn's
// default covariance estimator. The zero value is the only configuration
// (scikit-learn's block_size changes memory use, not the result). Read the
// shrinkage with Shrinkage.
//
// A LedoitWolf is not safe for concurrent use.
type LedoitWolf struct {
	shrunk
}

// Check always returns nil: LedoitWolf has no configuration.
func (e *LedoitWolf) Check() error { return nil }

// Parameters returns {"estimator": "ledoit_wolf"}.
func (e *LedoitWolf) Parameters() map[string]any {
	return map[string]any{"estimator": "ledoit_wolf"}
}

// Fit estimates Σ and λ from X (T × N, rows are time), replacing any
// earlier fit. Errors: T < 2 or N < 1 (neurotab.ErrShape), a NaN or ±Inf
// sample (neurotab.ErrNotFinite). After an error the estimator is unfitted.
func (e *LedoitWolf) Fit(X mat.Matrix) error {
	e.shrunk = shrunk{}
	s, norm4, err := scatter(X, 0)
	if err != nil {
		return err
	}
	t, n := X.Dims()
	lambda := 0.0
	if n > 1 {
		lambda = ledoitWolfShrinkage(s, norm4, t)
	}
	shrink(s, lambda)
	e.shrunk = shrunk{cov: s, lambda: lambda, fitted: true}
	return nil
}

// ledoitWolfShrinkage returns λ for the N × N covariance s = Xcᵀ Xc / T of
// T samples and beta0 = Σ_t ‖xc(t)‖⁴ = Σ_ij Σ_t xc_ti² xc_tj², with
// scikit-learn's arithmetic (ledoit_wolf_shrinkage).
func ledoitWolfShrinkage(s *mat.SymDense, beta0 float64, t int) float64 {
	n := s.SymmetricDim()
	ft, fn := float64(t), float64(n)
	tr := trace(s)
	mu := tr / fn
	delta0 := frobenius2(s) // Σ (cᵀc)²_ij / T²
	beta := (beta0/ft - delta0) / (fn * ft)
	delta := (delta0 - 2*mu*tr + fn*mu*mu) / fn
	beta = min(beta, delta)
	if beta == 0 {
		return 0
	}
	return beta / delta
}

// CovarianceTo copies the N × N shrunk covariance Σ into dst. An empty dst
// is resized; a non-empty dst must be N × N, otherwise CovarianceTo panics.
// The error wraps neurotab.ErrNotFitted.
func (e *LedoitWolf) CovarianceTo(dst *mat.SymDense) error {
	return e.covarianceTo(dst, "LedoitWolf")
}

// Shrinkage returns λ ∈ [0, 1] of the fit. The error wraps
// neurotab.ErrNotFitted.
func (e *LedoitWolf) Shrinkage() (float64, error) { return e.shrinkage("LedoitWolf") }

// shrunk is the fit of a shrinkage estimator: Σ and its λ.
type shrunk struct {
	cov    *mat.SymDense
	lambda float64
	fitted bool
}

func (s *shrunk) covarianceTo(dst *mat.SymDense, typ string) error {
	if !s.fitted {
		return unfitted(typ, "CovarianceTo")
	}
	copySymTo(dst, s.cov, typ+".CovarianceTo")
	return nil
}

func (s *shrunk) shrinkage(typ string) (float64, error) {
	if !s.fitted {
		return 0, unfitted(typ, "Shrinkage")
	}
	return s.lambda, nil
}
