package covariance

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Kind is what a Measure reports of a covariance Σ (nilearn's
// ConnectivityMeasure kind; "tangent" is Tangent).
type Kind string

// The kinds of a Measure.
const (
	// KindCovariance is Σ itself (nilearn's default kind; also "").
	KindCovariance Kind = "covariance"
	// KindCorrelation is Σ of the z-scored traces, normalized to a unit
	// diagonal: C_ij = Σ_ij / sqrt(Σ_ii Σ_jj).
	KindCorrelation Kind = "correlation"
	// KindPartialCorrelation is −P_ij / sqrt(P_ii P_jj) off the diagonal
	// and 1 on it, with P = Σ⁻¹ (nilearn's "partial correlation").
	KindPartialCorrelation Kind = "partial_correlation"
	// KindPrecision is P = Σ⁻¹.
	KindPrecision Kind = "precision"
)

// ParseKind returns the Kind named s: "" (covariance), one of the constants,
// or nilearn's spelling "partial correlation". Other names wrap
// neurotab.ErrParam.
func ParseKind(s string) (Kind, error) {
	switch s {
	case "", string(KindCovariance):
		return KindCovariance, nil
	case string(KindCorrelation), string(KindPrecision), string(KindPartialCorrelation):
		return Kind(s), nil
	case "partial correlation":
		return KindPartialCorrelation, nil
	case "tangent":
		return "", fmt.Errorf("covariance: kind tangent needs several recordings: use Tangent: %w", neurotab.ErrParam)
	}
	return "", fmt.Errorf("covariance: unknown kind %q (want covariance, correlation, partial_correlation or precision): %w", s, neurotab.ErrParam)
}

// Measure is one of nilearn's connectivity kinds of a T × N trace matrix,
// computed from the covariance Σ of a covariance Estimator (nilearn
// ConnectivityMeasure(cov_estimator, kind).fit_transform([X])[0]):
//
//	covariance           Σ = Estimator(X)
//	precision            P = Σ⁻¹
//	partial_correlation  ρ_ij = −P_ij / sqrt(P_ii P_jj),  ρ_ii = 1
//	correlation          C_ij = Σz_ij / sqrt(Σz_ii Σz_jj), C_ii = 1,  Σz = Estimator(Z)
//
// where Z is X with each column z-scored (mean 0, population standard
// deviation 1; a standard deviation below machine epsilon is left at 1, as
// nilearn's signal standardization). With Empirical, correlation is
// Pearson's r. With LedoitWolf (the default) it is not: Σz = (1 − λz) R +
// λz I, so C_ij = (1 − λz) r_ij off the diagonal, where λz is the
// Ledoit–Wolf shrinkage of Z (not of X) — every correlation is pulled
// towards 0 by the same factor. Partial correlation moves more (its inverse
// amplifies the shrinkage of small eigenvalues).
//
// Measure has the estimator shape of package neurotab: the zero value is
// nilearn's default, the Ledoit–Wolf covariance. Fit fits a copy of
// Estimator (never the configured one). Read the result with MatrixTo and
// SymToVec.
//
// A Measure is not safe for concurrent use.
type Measure struct {
	// Estimator estimates Σ; nil means &LedoitWolf{} (nilearn's default).
	Estimator Estimator
	// Kind is the reported matrix; "" means KindCovariance.
	Kind Kind

	matrix *mat.SymDense
}

// Check reports whether Kind is known and Estimator valid (a non-nil
// pointer to a struct whose Check, if any, passes). Errors wrap
// neurotab.ErrParam.
func (m *Measure) Check() error {
	if _, err := ParseKind(string(m.Kind)); err != nil {
		return err
	}
	return checkEstimator(defaultEstimator(m.Estimator))
}

// Parameters returns {"kind": …} merged with the Estimator's parameters
// ("estimator": "ledoit_wolf" for the default).
func (m *Measure) Parameters() map[string]any {
	k, err := ParseKind(string(m.Kind))
	if err != nil {
		k = m.Kind
	}
	return estimatorParameters(m.Estimator, map[string]any{"kind": string(k)})
}

// Fit computes the configured kind of X (T × N, rows are time), replacing
// any earlier fit. Errors: an invalid configuration (neurotab.ErrParam),
// the Estimator's errors (neurotab.ErrShape, neurotab.ErrNotFinite), and for
// precision and partial correlation a Σ that is not positive definite
// (neurotab.ErrSingular; with Empirical, N ≥ T makes it so). After an
// error the measure is unfitted.
func (m *Measure) Fit(X mat.Matrix) error {
	m.matrix = nil
	if err := m.Check(); err != nil {
		return err
	}
	kind, _ := ParseKind(string(m.Kind))
	est := defaultEstimator(m.Estimator)
	var (
		out *mat.SymDense
		err error
	)
	switch kind {
	case KindCorrelation:
		// The empirical correlation does not change when the traces are
		// rescaled: the fast path is one scatter of X (one symmetric
		// product, no z-scored copy) divided by its diagonal.
		x := X
		if _, ok := est.(*Empirical); !ok {
			if x, err = zscored(X); err != nil {
				return err
			}
		}
		var s *mat.SymDense
		if s, err = fitCovariance(est, x); err != nil {
			return err
		}
		out = covToCorr(s)
	default:
		var s *mat.SymDense
		if s, err = fitCovariance(est, X); err != nil {
			return err
		}
		out = s
		if kind == KindPrecision || kind == KindPartialCorrelation {
			if out, err = inverse(s); err != nil {
				return err
			}
			if kind == KindPartialCorrelation {
				out = precToPartial(out)
			}
		}
	}
	m.matrix = out
	return nil
}

// MatrixTo copies the N × N result into dst. An empty dst is resized; a
// non-empty dst must be N × N, otherwise MatrixTo panics. The error wraps
// neurotab.ErrNotFitted.
func (m *Measure) MatrixTo(dst *mat.SymDense) error {
	if m.matrix == nil {
		return unfitted("Measure", "MatrixTo")
	}
	copySymTo(dst, m.matrix, "Measure.MatrixTo")
	return nil
}

// zscored returns X with each column centred and divided by its
// population standard deviation (1 where that is below machine epsilon,
// as nilearn's signal._standardize).
func zscored(x mat.Matrix) (*mat.Dense, error) {
	mean, err := means(x)
	if err != nil {
		return nil, err
	}
	t, n := x.Dims()
	c := mat.NewDense(t, n, nil)
	c.Copy(x)
	raw := c.RawMatrix()
	ss := make([]float64, n)
	for r := 0; r < t; r++ {
		row := raw.Data[r*raw.Stride : r*raw.Stride+n]
		for j := range row {
			row[j] -= mean[j]
			ss[j] += row[j] * row[j]
		}
	}
	for j := range ss {
		sd := math.Sqrt(ss[j] / float64(t))
		if sd < 0x1p-52 {
			sd = 1
		}
		ss[j] = 1 / sd
	}
	for r := 0; r < t; r++ {
		row := raw.Data[r*raw.Stride : r*raw.Stride+n]
		for j := range row {
			row[j] *= ss[j]
		}
	}
	return c, nil
}

// covToCorr returns C_ij = S_ij / sqrt(S_ii S_jj) with C_ii = 1 (nilearn's
// cov_to_corr). A zero variance gives NaN in its row and column.
func covToCorr(s *mat.SymDense) *mat.SymDense {
	n := s.SymmetricDim()
	d := make([]float64, n)
	for i := range d {
		d[i] = 1 / math.Sqrt(s.At(i, i))
	}
	c := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := s.At(i, j) * d[i] * d[j]
			if math.IsInf(d[i], 0) || math.IsInf(d[j], 0) {
				v = math.NaN()
			}
			c.SetSym(i, j, v)
		}
		c.SetSym(i, i, 1)
		if math.IsInf(d[i], 0) {
			c.SetSym(i, i, math.NaN())
		}
	}
	return c
}

// precToPartial returns −cov_to_corr(p) with a unit diagonal (nilearn's
// prec_to_partial).
func precToPartial(p *mat.SymDense) *mat.SymDense {
	c := covToCorr(p)
	n := c.SymmetricDim()
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			c.SetSym(i, j, -c.At(i, j))
		}
	}
	return c
}

// inverse returns s⁻¹ by Cholesky factorization; a matrix that is not
// positive definite wraps neurotab.ErrSingular.
func inverse(s *mat.SymDense) (*mat.SymDense, error) {
	var ch mat.Cholesky
	if !ch.Factorize(s) {
		return nil, fmt.Errorf("covariance: %d×%d covariance is not positive definite, cannot invert: %w", s.SymmetricDim(), s.SymmetricDim(), neurotab.ErrSingular)
	}
	var p mat.SymDense
	if err := ch.InverseTo(&p); err != nil {
		return nil, fmt.Errorf("covariance: inverting a %d×%d covariance: %v: %w", s.SymmetricDim(), s.SymmetricDim(), err, neurotab.ErrSingular)
	}
	return &p, nil
}
