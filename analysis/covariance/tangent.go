package covariance

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Defaults of Tangent (nilearn ConnectivityMeasure's call of
// _geometric_mean).
const (
	DefaultMaxIter = 30
	DefaultTol     = 1e-7
)

// Tangent is nilearn's "tangent" kind: the covariances Σ_1 … Σ_K of K
// recordings (by Estimator) mapped to the tangent space of the manifold of
// positive definite matrices at their geometric mean G (Varoquaux et al.
// 2010, MICCAI LNCS 6361:200, doi:10.1007/978-3-642-15705-9_25; Pervaiz et
// al. 2020, NeuroImage 208:116366, doi:10.1016/j.neuroimage.2019.116366):
//
//	W   = G^(−1/2)                 (whitening)
//	T_k = logm(W Σ_k W)            (tangent vector of recording k)
//	Σ_k = G^(1/2) expm(T_k) G^(1/2) (the inverse map)
//
// G is found as nilearn's _geometric_mean (Fletcher & Joshi 2007, Signal
// Process. 87:250, doi:10.1016/j.sigpro.2005.12.018): start at the
// arithmetic mean and repeat at most MaxIter times
//
//	L    = mean_k logm(G^(−1/2) Σ_k G^(−1/2))
//	G   ← G^(1/2) expm(step · L) G^(1/2)
//	step ← step / 2 when ‖L‖_F grew over its smallest value so far
//
// stopping once ‖L‖_F / N² < Tol. Every Σ_k must be positive definite.
//
// Tangent has the estimator shape of package neurotab with Fit taking the
// K recordings (each T_k × N, the same N); the zero value is nilearn's
// default (Ledoit–Wolf covariances, 30 iterations, tolerance 1e-7). Read
// the results with TangentTo, MeanTo and InverseTo.
//
// A Tangent is not safe for concurrent use.
type Tangent struct {
	// Estimator estimates each Σ_k; nil means &LedoitWolf{}.
	Estimator Estimator
	// MaxIter is the largest number of geometric-mean iterations (0 means
	// DefaultMaxIter).
	MaxIter int
	// Tol stops the iterations once ‖L‖_F / N² < Tol (0 means DefaultTol).
	Tol float64

	mean, meanSqrt *mat.SymDense
	tangents       []*mat.SymDense
}

// Check reports whether MaxIter ≥ 0, Tol is finite and ≥ 0 and Estimator
// valid. Errors wrap neurotab.ErrParam.
func (e *Tangent) Check() error {
	switch {
	case e.MaxIter < 0:
		return fmt.Errorf("covariance: Tangent MaxIter %d < 0: %w", e.MaxIter, neurotab.ErrParam)
	case !(e.Tol >= 0) || math.IsInf(e.Tol, 0):
		return fmt.Errorf("covariance: Tangent Tol %v, want a finite value ≥ 0: %w", e.Tol, neurotab.ErrParam)
	}
	return checkEstimator(defaultEstimator(e.Estimator))
}

// Parameters returns {"kind": "tangent", "max_iter", "tol"} (defaults
// filled in) merged with the Estimator's parameters.
func (e *Tangent) Parameters() map[string]any {
	return estimatorParameters(e.Estimator, map[string]any{
		"kind": "tangent", "max_iter": e.maxIter(), "tol": e.tol(),
	})
}

func (e *Tangent) maxIter() int {
	if e.MaxIter == 0 {
		return DefaultMaxIter
	}
	return e.MaxIter
}

func (e *Tangent) tol() float64 {
	if e.Tol == 0 {
		return DefaultTol
	}
	return e.Tol
}

// Fit estimates the covariance of each recording in Xs (each T_k × N, rows
// are time), their geometric mean and the tangent vectors, replacing any
// earlier fit. Errors: an invalid configuration (neurotab.ErrParam), no
// recordings or recordings of different N (neurotab.ErrShape), the
// Estimator's errors, and a covariance that is not positive definite
// (neurotab.ErrSingular). After an error the estimator is unfitted.
func (e *Tangent) Fit(Xs []mat.Matrix) error {
	e.mean, e.meanSqrt, e.tangents = nil, nil, nil
	if err := e.Check(); err != nil {
		return err
	}
	if len(Xs) == 0 {
		return fmt.Errorf("covariance: Tangent needs at least one recording: %w", neurotab.ErrShape)
	}
	est := defaultEstimator(e.Estimator)
	covs := make([]*mat.SymDense, len(Xs))
	for k, x := range Xs {
		if _, n := x.Dims(); k > 0 && n != covs[0].SymmetricDim() {
			return fmt.Errorf("covariance: recording %d has %d neurons, recording 0 has %d: %w", k, n, covs[0].SymmetricDim(), neurotab.ErrShape)
		}
		s, err := fitCovariance(est, x)
		if err != nil {
			return &recordingError{Recording: k, Err: err}
		}
		covs[k] = s
	}
	return e.fitCovariances(covs)
}

// FitCovariances is Fit from the K covariances Σ_k themselves (each N × N,
// symmetric positive definite), for callers that estimate them one
// recording at a time without holding every recording's traces; Estimator
// is not used. Errors: an invalid configuration (neurotab.ErrParam), no
// covariances or covariances of different N (neurotab.ErrShape), one that is
// not positive definite (neurotab.ErrSingular). After an error the
// estimator is unfitted.
func (e *Tangent) FitCovariances(covs []mat.Symmetric) error {
	e.mean, e.meanSqrt, e.tangents = nil, nil, nil
	if err := e.Check(); err != nil {
		return err
	}
	if len(covs) == 0 {
		return fmt.Errorf("covariance: Tangent needs at least one covariance: %w", neurotab.ErrShape)
	}
	cs := make([]*mat.SymDense, len(covs))
	for k, c := range covs {
		if n := c.SymmetricDim(); n != covs[0].SymmetricDim() {
			return fmt.Errorf("covariance: covariance %d is %d×%d, covariance 0 is %d×%d: %w", k, n, n, covs[0].SymmetricDim(), covs[0].SymmetricDim(), neurotab.ErrShape)
		}
		cs[k] = mat.NewSymDense(c.SymmetricDim(), nil)
		cs[k].CopySym(c)
	}
	return e.fitCovariances(cs)
}

// fitCovariances finishes a fit from the covariances: checks that each is
// positive definite, their geometric mean, the whitening and the tangent
// vectors.
func (e *Tangent) fitCovariances(covs []*mat.SymDense) error {
	for k, s := range covs {
		w, _, err := eigen(s)
		if err != nil {
			return err
		}
		if err := checkSPD(w, fmt.Sprintf("covariance of recording %d", k)); err != nil {
			return err
		}
	}
	g, err := geometricMean(covs, e.maxIter(), e.tol())
	if err != nil {
		return err
	}
	wg, vg, err := eigen(g)
	if err != nil {
		return err
	}
	if err := checkSPD(wg, "geometric mean"); err != nil {
		return err
	}
	white := formSym(invSqrt, wg, vg)
	tangents := make([]*mat.SymDense, len(covs))
	for k, c := range covs {
		if tangents[k], err = mapEig(math.Log, sandwich(white, c), true, fmt.Sprintf("whitened covariance of recording %d", k)); err != nil {
			return err
		}
	}
	e.mean, e.meanSqrt, e.tangents = g, formSym(math.Sqrt, wg, vg), tangents
	return nil
}

// geometricMean is nilearn's _geometric_mean (see Tangent).
func geometricMean(covs []*mat.SymDense, maxIter int, tol float64) (*mat.SymDense, error) {
	n := covs[0].SymmetricDim()
	g := mat.NewSymDense(n, nil)
	for _, c := range covs {
		g.AddSym(g, c)
	}
	g.ScaleSym(1/float64(len(covs)), g)
	normOld, step := math.Inf(1), 1.0
	for range maxIter {
		wg, vg, err := eigen(g)
		if err != nil {
			return nil, err
		}
		if err := checkSPD(wg, "geometric mean iterate"); err != nil {
			return nil, err
		}
		gis := formSym(invSqrt, wg, vg)
		lm := mat.NewSymDense(n, nil)
		for k, c := range covs {
			l, err := mapEig(math.Log, sandwich(gis, c), true, fmt.Sprintf("whitened covariance of recording %d", k))
			if err != nil {
				return nil, err
			}
			lm.AddSym(lm, l)
		}
		lm.ScaleSym(1/float64(len(covs)), lm)
		norm := math.Sqrt(frobenius2(lm))
		wl, vl, err := eigen(lm)
		if err != nil {
			return nil, err
		}
		gs := formSym(math.Sqrt, wg, vg)
		for i := range wl {
			wl[i] *= step
		}
		g = sandwich(gs, formSym(math.Exp, wl, vl))
		if norm < normOld {
			normOld = norm
		} else if norm > normOld {
			step /= 2
			norm = normOld
		}
		if norm/float64(n*n) < tol {
			break
		}
	}
	return g, nil
}

// Recordings returns K of the fit (0 before one).
func (e *Tangent) Recordings() int { return len(e.tangents) }

// TangentTo copies T_i, the N × N tangent vector of recording i, into dst.
// An empty dst is resized; a non-empty dst must be N × N, and i must be in
// [0, K), otherwise TangentTo panics. The error wraps neurotab.ErrNotFitted.
func (e *Tangent) TangentTo(dst *mat.SymDense, i int) error {
	if e.mean == nil {
		return unfitted("Tangent", "TangentTo")
	}
	if i < 0 || i >= len(e.tangents) {
		panic(fmt.Sprintf("covariance: Tangent.TangentTo: recording %d out of [0, %d)", i, len(e.tangents)))
	}
	copySymTo(dst, e.tangents[i], "Tangent.TangentTo")
	return nil
}

// MeanTo copies the N × N geometric mean G into dst (nilearn's mean_). An
// empty dst is resized; a non-empty dst must be N × N, otherwise MeanTo
// panics. The error wraps neurotab.ErrNotFitted.
func (e *Tangent) MeanTo(dst *mat.SymDense) error {
	if e.mean == nil {
		return unfitted("Tangent", "MeanTo")
	}
	copySymTo(dst, e.mean, "Tangent.MeanTo")
	return nil
}

// InverseTo writes into dst the covariance of the tangent vector t
// (nilearn's inverse_transform for kind tangent):
//
//	Σ = G^(1/2) expm(t) G^(1/2)
//
// so InverseTo(dst, T_k) gives Σ_k back. An empty dst is resized; dst and
// t must be N × N, otherwise InverseTo panics. The error wraps
// neurotab.ErrNotFitted.
func (e *Tangent) InverseTo(dst *mat.SymDense, t mat.Symmetric) error {
	if e.mean == nil {
		return unfitted("Tangent", "InverseTo")
	}
	n := e.mean.SymmetricDim()
	if m := t.SymmetricDim(); m != n {
		panic(fmt.Sprintf("covariance: Tangent.InverseTo: tangent vector is %d×%d, want %d×%d", m, m, n, n))
	}
	ex, err := mapEig(math.Exp, t, false, "")
	if err != nil {
		return err
	}
	copySymTo(dst, sandwich(e.meanSqrt, ex), "Tangent.InverseTo")
	return nil
}

// recordingError is an error of the Estimator on one recording of a
// Tangent fit: "covariance: recording k: " and the cause.
type recordingError struct {
	Recording int
	Err       error
}

func (e *recordingError) Error() string {
	return fmt.Sprintf("covariance: recording %d: %s", e.Recording, strings.TrimPrefix(e.Err.Error(), "covariance: "))
}

func (e *recordingError) Unwrap() error { return e.Err }
