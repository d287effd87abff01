package readout

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// RLS is an online linear readout trained by recursive least squares, the
// rule FORCE learning uses to train a reservoir's readout while it runs
// (Sussillo & Abbott 2009, "Generating coherent patterns of activity from
// chaotic neural networks", Neuron 63:544–557,
// doi:10.1016/j.neuron.2009.07.018; Haykin, Adaptive Filter Theory, 4th ed.,
// Prentice Hall 2002, the RLS chapter). For each sample x (length F) with
// target y (length K):
//
//	P₀ = I/δ,  W₀ = 0
//	k = P x / (λ + xᵀ P x)          gain, F
//	e = y − Wᵀx                      a-priori error, K
//	W ← W + k eᵀ                     F×K
//	P ← (P − k xᵀ P) / λ             F×F
//
// P is the inverse of the regularized, exponentially weighted correlation
// matrix, so after n samples W is exactly the weighted ridge solution
//
//	W_n = argmin_W Σᵢ λⁿ⁻ⁱ ‖yᵢ − Wᵀxᵢ‖² + λⁿ δ ‖W‖²
//
// and with λ = 1 it equals Ridge with Alpha = δ and no intercept (the tests
// check both). δ is Sussillo & Abbott's α (their "P(0) = I/α", a learning
// rate: small δ learns fast); λ ≤ 1 forgets old samples with a memory of
// about 1/(1 − λ) samples. There is no intercept: append a constant feature
// for one.
//
// P is stored as its upper triangle only and updated with the symmetric
// rank-one form P ← (P − (Px)(Px)ᵀ/(λ + xᵀPx))/λ (BLAS Dsymv, Dsyr), so it is
// symmetric by construction and no periodic symmetrization is needed. It is
// kept as P = s·Q with a scalar s that absorbs the 1/λ of each step (folded
// back into Q when it passes 1e30), so forgetting costs no extra pass over
// P. An update costs about 3F² + 4FK flops and does not allocate. If rounding
// destroys positive definiteness (the known weakness of conventional RLS,
// most likely with λ < 1 and inputs that do not excite every direction)
// Update returns an error wrapping neurotab.ErrSingular.
//
// RLS has the estimator shape of package neurotab (see "Estimators" in
// [github.com/neurotab/neurotab]), with Update as its online step. The zero
// value is ready: the first Update (or Fit) sizes the state from the
// lengths of x and y. PredictTo, PredictVec, WeightsTo and InterceptTo (b is
// always zero) read the current weights and return an error wrapping
// neurotab.ErrNotFitted before the first sample; the To methods panic only
// on a destination of the wrong size.
type RLS struct {
	// Delta is δ > 0 in P₀ = I/δ; zero means 1. It is read when the state
	// is created (first Update after Reset, or Fit).
	Delta float64
	// Lambda is the forgetting factor λ in (0, 1]; zero means 1. It is read
	// at every Update.
	Lambda float64

	f, k   int
	n      int
	q      *mat.SymDense // F×F, upper triangle; P = s·Q
	s      float64
	qx     []float64 // Q x, F
	e      []float64 // a-priori error, K
	linear           // W, F×K (nil before the first sample); b stays nil
}

// Reset discards the state (P, W, sample count), keeping Delta and Lambda.
func (r *RLS) Reset() {
	*r = RLS{Delta: r.Delta, Lambda: r.Lambda}
}

// Check reports whether the configuration is valid: Delta a finite δ > 0
// and Lambda in (0, 1] (zero meaning 1 for both). The error wraps
// neurotab.ErrParam.
func (r *RLS) Check() error {
	if _, err := r.delta(); err != nil {
		return err
	}
	_, err := r.lambda()
	return err
}

// Parameters returns the configuration as provenance parameters
// (table.Provenance.Parameters): delta and lambda, with the defaults of a
// zero field filled in.
func (r *RLS) Parameters() map[string]any {
	return map[string]any{"delta": orOne(r.Delta), "lambda": orOne(r.Lambda)}
}

// orOne returns v, or 1 when v is zero (the default of Delta and Lambda).
func orOne(v float64) float64 {
	if v == 0 {
		return 1
	}
	return v
}

func (r *RLS) delta() (float64, error) {
	d := orOne(r.Delta)
	if !(d > 0) || math.IsInf(d, 1) {
		return 0, fmt.Errorf("readout: RLS.Delta = %v, want a finite δ > 0: %w", r.Delta, neurotab.ErrParam)
	}
	return d, nil
}

func (r *RLS) lambda() (float64, error) {
	l := orOne(r.Lambda)
	if !(l > 0 && l <= 1) {
		return 0, fmt.Errorf("readout: RLS.Lambda = %v, want 0 < λ ≤ 1: %w", r.Lambda, neurotab.ErrParam)
	}
	return l, nil
}

// init creates P₀ = I/δ and W₀ = 0 for f features and k targets.
// Update has checked that f and k are positive.
func (r *RLS) init(f, k int) error {
	d, err := r.delta()
	if err != nil {
		return err
	}
	r.f, r.k, r.n = f, k, 0
	r.q = mat.NewSymDense(f, nil)
	for i := range f {
		r.q.SetSym(i, i, 1/d)
	}
	r.s = 1
	r.w = mat.NewDense(f, k, nil)
	r.qx = make([]float64, f)
	r.e = make([]float64, k)
	return nil
}

// Update applies one RLS step for the sample x (length F) and target y
// (length K). The first Update after Reset sizes the state from len(x) and
// len(y). It does not allocate after the first call. The errors wrap
// neurotab.ErrParam (Delta or Lambda out of range), neurotab.ErrShape
// (lengths differ from the first sample's), neurotab.ErrNotFinite (NaN or
// Inf in x or y) or neurotab.ErrSingular (λ + xᵀPx ≤ 0: P lost positive
// definiteness); the state is unchanged after an error.
func (r *RLS) Update(x, y []float64) error {
	lambda, err := r.lambda()
	if err != nil {
		return err
	}
	if err := checkSample("RLS", r.w, x, y); err != nil {
		return err
	}
	if r.w == nil {
		if err := r.init(len(x), len(y)); err != nil {
			return err
		}
	}
	q, w := r.q.RawSymmetric(), r.w.RawMatrix()
	xv, qxv, ev := vec(x), vec(r.qx), vec(r.e)

	// With P = s·Q: Px = s·Qx, and P ← (P − (Px)(Px)ᵀ/den)/λ becomes
	// Q ← Q − (s/den)(Qx)(Qx)ᵀ, s ← s/λ.
	blas64.Symv(1, q, xv, 0, qxv) // Qx
	den := lambda + r.s*blas64.Dot(xv, qxv)
	if !(den > 0) || math.IsInf(den, 1) {
		return fmt.Errorf("readout: RLS gain denominator λ + xᵀPx = %g at sample %d: P is no longer positive definite: %w",
			den, r.n, neurotab.ErrSingular)
	}
	g := r.s / den
	copy(r.e, y)
	blas64.Gemv(blas.Trans, -1, w, xv, 1, ev) // e = y − Wᵀx
	blas64.Ger(g, qxv, ev, w)                 // W += k eᵀ, k = Px/den = g·Qx
	blas64.Syr(-g, qxv, q)                    // P −= (Px)(Px)ᵀ/den
	if lambda != 1 {
		r.s /= lambda
		if r.s > 1e30 {
			for i := range r.f {
				row := q.Data[i*q.Stride+i : i*q.Stride+r.f]
				for j := range row {
					row[j] *= r.s
				}
			}
			r.s = 1
		}
	}
	r.n++
	return nil
}

// Fit trains the readout from scratch on the rows of X (T×F) and Y (T×K),
// in order: Reset, then Update for each row. The errors are those of Update,
// plus neurotab.ErrShape when the row counts differ or the input is empty.
// NaN and ±Inf are looked for before the first update and named as X[t,f]
// or Y[t,k]. Every error but neurotab.ErrSingular leaves the readout
// unfitted; after that one the state holds the rows before the sample named.
func (r *RLS) Fit(X, Y mat.Matrix) error {
	r.Reset()
	if err := r.Check(); err != nil {
		return err
	}
	return onlineFit(X, Y, 1, r.Update)
}

// Samples returns the number of samples learned since the last Reset or Fit.
func (r *RLS) Samples() int { return r.n }

// Dims returns the feature and target counts F, K (zero before the first
// sample).
func (r *RLS) Dims() (features, targets int) { return r.f, r.k }
