package glm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Families of [Regression].
const (
	// Poisson counts y_t ∈ {0, 1, 2, …}: log p = y log μ − μ − log Γ(y+1).
	Poisson = "poisson"
	// Bernoulli y_t ∈ [0, 1]: log p = y log μ + (1−y) log(1−μ).
	Bernoulli = "bernoulli"
	// Gaussian y_t real: log p = −½ log(2πσ²) − (y−μ)²/(2σ²), σ² the
	// weighted mean squared residual.
	Gaussian = "gaussian"
)

// Links (named by the mean function μ = g⁻¹(η)) of [Regression].
const (
	// Exp is μ = exp(η), the canonical Poisson link.
	Exp = "exp"
	// Softplus is μ = log(1 + exp(η)), a Poisson link whose rate grows
	// linearly rather than exponentially (used by the one-hot HMM-GLM).
	Softplus = "softplus"
	// Logit is μ = 1/(1 + exp(−η)), the canonical Bernoulli link.
	Logit = "logit"
	// Identity is μ = η, the Gaussian link (closed-form weighted least squares).
	Identity = "identity"
)

const (
	defaultMaxIter = 100
	defaultTol     = 1e-10
)

// Regression is a weighted generalized linear model of one response (one
// neuron) on a T × F design, the M-step of an HMM-GLM for one state. Fit
// maximizes
//
//	J(β) = Σ_t w_t log p(y_t | μ_t = g⁻¹(x_t β)) − (L2/2) Σ_{j≠intercept} β_j²
//
// by Newton's method with the analytic gradient Σ_t w_t ∂ℓ_t/∂η x_t − L2 β
// and Hessian Σ_t w_t ∂²ℓ_t/∂η² x_t x_tᵀ − L2 I, halving the step until J
// does not decrease (McCullagh & Nelder, Generalized Linear Models, 2nd ed.,
// 1989, ch. 2.5). The Gaussian family is solved in closed form,
// (XᵀWX + L2 I) β = XᵀW y. With the weights γ_t (posterior of a state) this
// is the HMM-GLM M-step (Escola et al., Neural Computation 23(5), 2011,
// https://doi.org/10.1162/NECO_a_00118; Li et al., ICLR 2024).
//
// The zero value is a Poisson regression with exp link, no intercept, no
// penalty, at most 100 Newton iterations and tolerance 1e-10.
type Regression struct {
	// Family is Poisson (default when ""), Bernoulli or Gaussian.
	Family string
	// Link is the mean function; "" is the family's canonical link (Exp,
	// Logit, Identity). Poisson also takes Softplus.
	Link string
	// Intercept adds an unpenalized constant term as coefficient 0; without
	// it the design is used as given (a column of ones in X is an intercept
	// too, but one that L2 penalizes).
	Intercept bool
	// L2 ≥ 0 is the ridge penalty on the coefficients (not the intercept).
	L2 float64
	// MaxIter is the largest number of Newton iterations; 0 means 100.
	MaxIter int
	// Tol stops Newton when every coefficient moved by at most
	// Tol·(1 + max|β|); 0 means 1e-10.
	Tol float64
	// AllowNonInteger accepts non-integer Poisson responses (rates,
	// deconvolved activity); by default a non-integer count is an error.
	AllowNonInteger bool

	fitted bool
	coef   []float64
	ll     float64
	iters  int
}

// family and link after defaults.
func (r *Regression) resolved() (family, link string) {
	family, link = r.Family, r.Link
	if family == "" {
		family = Poisson
	}
	if link == "" {
		switch family {
		case Poisson:
			link = Exp
		case Bernoulli:
			link = Logit
		case Gaussian:
			link = Identity
		}
	}
	return family, link
}

func (r *Regression) maxIter() int {
	if r.MaxIter == 0 {
		return defaultMaxIter
	}
	return r.MaxIter
}

func (r *Regression) tol() float64 {
	if r.Tol == 0 {
		return defaultTol
	}
	return r.Tol
}

// Check validates the configuration; errors wrap neurotab.ErrParam.
func (r *Regression) Check() error {
	family, link := r.resolved()
	ok := false
	switch family {
	case Poisson:
		ok = link == Exp || link == Softplus
	case Bernoulli:
		ok = link == Logit
	case Gaussian:
		ok = link == Identity
	default:
		return fmt.Errorf("glm: Family %q, want %q, %q or %q: %w", r.Family, Poisson, Bernoulli, Gaussian, neurotab.ErrParam)
	}
	if !ok {
		return fmt.Errorf("glm: Link %q is not available for family %q: %w", r.Link, family, neurotab.ErrParam)
	}
	if !(r.L2 >= 0) || math.IsInf(r.L2, 0) {
		return fmt.Errorf("glm: L2 %v, want finite ≥ 0: %w", r.L2, neurotab.ErrParam)
	}
	if r.MaxIter < 0 {
		return fmt.Errorf("glm: MaxIter %d < 0: %w", r.MaxIter, neurotab.ErrParam)
	}
	if !(r.Tol >= 0) || math.IsInf(r.Tol, 0) {
		return fmt.Errorf("glm: Tol %v, want finite ≥ 0: %w", r.Tol, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration, defaults resolved, as provenance
// parameters.
func (r *Regression) Parameters() map[string]any {
	family, link := r.resolved()
	return map[string]any{
		"family":            family,
		"link":              link,
		"intercept":         r.Intercept,
		"l2":                r.L2,
		"max_iter":          r.maxIter(),
		"tol":               r.tol(),
		"allow_non_integer": r.AllowNonInteger,
	}
}

// Fit fits the model to the T × F design X, the T responses y and the T
// observation weights w (nil means every weight 1).
//
// Deviation from the estimator shape: a supervised estimator's Fit is
// Fit(X, Y); this one takes the weights w as a third argument because they
// change at every EM iteration (they are the state posteriors γ_t) while
// the configuration does not.
//
// Errors: a bad configuration wraps neurotab.ErrParam; disagreeing lengths
// or T = 0 neurotab.ErrShape; a NaN or ±Inf in X, y or w
// neurotab.ErrNotFinite; a negative weight, all weights zero, a negative or
// (without AllowNonInteger) non-integer Poisson count or a Bernoulli
// response outside [0, 1] neurotab.ErrOutOfRange, naming the bin; a NaN
// objective during Newton neurotab.ErrNotFinite, naming the iteration; a
// singular Hessian (collinear columns, separation) or no convergence within
// MaxIter neurotab.ErrSingular (an L2 > 0 cures both).
func (r *Regression) Fit(X mat.Matrix, y, w []float64) error {
	r.fitted = false
	if err := r.Check(); err != nil {
		return err
	}
	d, err := r.newData(X, y, w)
	if err != nil {
		return err
	}
	family, link := r.resolved()
	var beta []float64
	iters := 0
	if family == Gaussian {
		beta, err = r.wls(d)
	} else {
		beta, iters, err = r.newton(d, family, link)
	}
	if err != nil {
		return err
	}
	r.coef, r.iters = beta, iters
	r.ll = d.loglik(beta, family, link, nil)
	r.fitted = true
	return nil
}

// CoefTo writes the fitted coefficients into dst (resized if empty; panics
// on another length): F entries, or F+1 with the intercept first when
// Intercept is set.
func (r *Regression) CoefTo(dst *mat.VecDense) error {
	if !r.fitted {
		return fmt.Errorf("glm: CoefTo before Fit: %w", neurotab.ErrNotFitted)
	}
	if dst.IsEmpty() {
		dst.ReuseAsVec(len(r.coef))
	} else if dst.Len() != len(r.coef) {
		panic(fmt.Sprintf("glm: destination has length %d, want %d", dst.Len(), len(r.coef)))
	}
	for i, v := range r.coef {
		dst.SetVec(i, v)
	}
	return nil
}

// LogLikelihood returns the weighted log likelihood Σ_t w_t log p(y_t | β̂)
// of the fit, without the penalty, constants included (log Γ(y+1) for
// Poisson, −½ log 2πσ² for Gaussian).
func (r *Regression) LogLikelihood() (float64, error) {
	if !r.fitted {
		return 0, fmt.Errorf("glm: LogLikelihood before Fit: %w", neurotab.ErrNotFitted)
	}
	return r.ll, nil
}

// Iterations returns the Newton iterations of the fit (0 for Gaussian).
func (r *Regression) Iterations() (int, error) {
	if !r.fitted {
		return 0, fmt.Errorf("glm: Iterations before Fit: %w", neurotab.ErrNotFitted)
	}
	return r.iters, nil
}
