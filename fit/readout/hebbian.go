package readout

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Rule names a Hebbian learning rule of Hebbian. Each output k has the
// weight column w_k (column k of the F×K W) and responds y_k = w_kᵀx to an
// input x (length F); η is the learning rate of the step.
type Rule string

const (
	// Oja is Oja's normalized Hebbian rule (Oja 1982, "A simplified neuron
	// model as a principal component analyzer", J. Math. Biol. 15:267–273,
	// doi:10.1007/BF00275687), per output:
	//
	//	Δw = η y (x − y w)
	//
	// w converges to a unit eigenvector of the largest eigenvalue of
	// C = E[x xᵀ] (every output to the same one: use Subspace or GHA for
	// several components). It is the default ("" means Oja).
	Oja Rule = "oja"
	// Hebb is the plain Hebbian rule (Hebb 1949, The Organization of
	// Behavior, Wiley; in this linear form e.g. Dayan & Abbott 2001,
	// Theoretical Neuroscience, MIT Press, §8.2), per output:
	//
	//	Δw = η y x
	//
	// On average w ← (I + ηC) w, a power iteration: the direction turns to
	// C's top eigenvector while ‖w‖ grows without bound.
	Hebb Rule = "hebb"
	// AntiHebb is the anti-Hebbian rule (the sign-reversed Hebb rule of
	// decorrelating networks, Földiák 1990, "Forming sparse representations
	// by local anti-Hebbian learning", Biol. Cybern. 64:165–170,
	// doi:10.1007/BF02331346), per output:
	//
	//	Δw = −η y x
	//
	// On average w ← (I − ηC) w: the weights shrink, fastest along C's top
	// eigenvector, so w turns towards the directions of least variance.
	AntiHebb Rule = "antihebb"
	// BCM is the Bienenstock–Cooper–Munro rule (Bienenstock, Cooper & Munro
	// 1982, "Theory for the development of neuron selectivity: orientation
	// specificity and binocular interaction in visual cortex",
	// J. Neurosci. 2:32–48, doi:10.1523/JNEUROSCI.02-01-00032.1982), per
	// output with a threshold θ:
	//
	//	Δw = η x y (y − θ)
	//	Δθ = η_θ (y² − θ)      (sliding threshold, θ → E[y²]; Intrator & Cooper 1992, doi:10.1016/S0893-6080(05)80003-6)
	//
	// With ThetaRate zero θ stays at Theta (the fixed-threshold rule, whose
	// responses above θ grow and below θ die out); with ThetaRate > 0 θ
	// slides, and the output becomes selective: for patterns shown with
	// probabilities p_i it responds 1/p_i to one of them and 0 to the others.
	BCM Rule = "bcm"
	// Subspace is Oja's subspace rule (Oja 1989, "Neural networks,
	// principal components, and subspaces", Int. J. Neural Syst. 1:61–68,
	// doi:10.1142/S0129065789000475), for all K outputs y = Wᵀx at once:
	//
	//	ΔW = η (x − W y) yᵀ
	//
	// The columns of W converge to an orthonormal basis of the span of C's
	// top K eigenvectors (in no particular order or rotation).
	Subspace Rule = "subspace"
	// GHA is Sanger's generalized Hebbian algorithm (Sanger 1989, "Optimal
	// unsupervised learning in a single-layer linear feedforward neural
	// network", Neural Networks 2:459–473, doi:10.1016/0893-6080(89)90044-0):
	//
	//	Δw_k = η y_k (x − Σ_{j≤k} y_j w_j)
	//
	// Column k of W converges to C's k-th eigenvector (eigenvalues in
	// decreasing order), up to sign.
	GHA Rule = "gha"
)

// Hebbian trains readout weights W (F×K) without targets by a Hebbian rule
// (see Rule: Oja, Hebb, AntiHebb, BCM, Subspace, GHA), one input row at a
// time. The outputs are y = Wᵀx, so PredictTo(dst, X) gives the responses
// X W (T×K) and, after Oja, Subspace or GHA, the principal-component scores
// of X. The rules see the raw inputs: centre X first for principal
// components of the covariance rather than of the second moment E[x xᵀ].
//
// The initial weights are seeded, W₀[f][k] ~ N(0, 1/F) from Seed (their
// absolute values for BCM, so that non-negative inputs start with positive
// responses: a BCM response that starts negative only decays to 0), and the
// step n (from 0) uses the rate η_n = Rate / (1 + Decay·n), a constant rate
// when Decay is zero and a Robbins–Monro schedule (Σ η = ∞, Σ η² < ∞) for
// the convergence to an exact eigenvector when it is positive.
//
// Hebbian has the estimator shape of package neurotab (see "Estimators" in
// [github.com/neurotab/neurotab]), with Update as its online step: Fit(X)
// runs Epochs passes over the rows of X in order from a fresh state, and
// Update(x) applies one step (the first sizes W from len(x)). PredictTo,
// PredictVec, WeightsTo and InterceptTo (always zero) read W and return an
// error wrapping neurotab.ErrNotFitted before the first step.
type Hebbian struct {
	// Rule is the learning rule; "" means Oja.
	Rule Rule
	// Outputs is the number K of outputs (columns of W); zero means 1.
	Outputs int
	// Rate is the learning rate η > 0; zero means 0.01.
	Rate float64
	// Decay ≥ 0 anneals the rate: η_n = Rate / (1 + Decay·n) at step n.
	Decay float64
	// Epochs is the number of passes of Fit over X; zero means 1.
	Epochs int
	// Theta is BCM's threshold θ (its initial value when ThetaRate > 0);
	// zero means 1. Other rules ignore it.
	Theta float64
	// ThetaRate is BCM's η_θ in [0, 1], the rate at which θ tracks E[y²];
	// zero keeps θ fixed. Other rules ignore it.
	ThetaRate float64
	// Seed seeds the initial weights.
	Seed neurotab.Seed

	n     int       // steps taken
	y     []float64 // outputs, K
	r     []float64 // residual, F
	theta []float64 // BCM thresholds, K
	linear
}

// defaults returns the configuration with the zero fields filled in.
func (h *Hebbian) defaults() (rule Rule, k int, rate float64, epochs int, theta float64) {
	rule, k, rate, epochs, theta = h.Rule, h.Outputs, h.Rate, h.Epochs, h.Theta
	if rule == "" {
		rule = Oja
	}
	if k == 0 {
		k = 1
	}
	if rate == 0 {
		rate = 0.01
	}
	if epochs == 0 {
		epochs = 1
	}
	if theta == 0 {
		theta = 1
	}
	return
}

// Check reports whether the configuration is valid: a known Rule, Outputs
// and Epochs ≥ 0, Rate a finite η > 0 (or zero), Decay finite and ≥ 0,
// ThetaRate in [0, 1] (θ is a running mean of y²), Theta finite. The
// error wraps neurotab.ErrParam.
func (h *Hebbian) Check() error {
	rule, _, rate, _, _ := h.defaults()
	switch rule {
	case Oja, Hebb, AntiHebb, BCM, Subspace, GHA:
	default:
		return fmt.Errorf("readout: Hebbian.Rule = %q, want one of oja, hebb, antihebb, bcm, subspace, gha: %w", h.Rule, neurotab.ErrParam)
	}
	switch {
	case h.Outputs < 0:
		return fmt.Errorf("readout: Hebbian.Outputs = %d, want ≥ 0: %w", h.Outputs, neurotab.ErrParam)
	case h.Epochs < 0:
		return fmt.Errorf("readout: Hebbian.Epochs = %d, want ≥ 0: %w", h.Epochs, neurotab.ErrParam)
	case !(rate > 0) || math.IsInf(rate, 1):
		return fmt.Errorf("readout: Hebbian.Rate = %v, want a finite η > 0: %w", h.Rate, neurotab.ErrParam)
	case !(h.Decay >= 0) || math.IsInf(h.Decay, 1):
		return fmt.Errorf("readout: Hebbian.Decay = %v, want a finite value ≥ 0: %w", h.Decay, neurotab.ErrParam)
	case !(h.ThetaRate >= 0 && h.ThetaRate <= 1):
		return fmt.Errorf("readout: Hebbian.ThetaRate = %v, want 0 ≤ η_θ ≤ 1: %w", h.ThetaRate, neurotab.ErrParam)
	case math.IsNaN(h.Theta) || math.IsInf(h.Theta, 0):
		return fmt.Errorf("readout: Hebbian.Theta = %v, want a finite θ: %w", h.Theta, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters
// (table.Provenance.Parameters), with the defaults of zero fields filled
// in: rule, outputs, rate, decay, epochs, theta, theta_rate and seed.
func (h *Hebbian) Parameters() map[string]any {
	rule, k, rate, epochs, theta := h.defaults()
	return map[string]any{
		"rule": string(rule), "outputs": k, "rate": rate, "decay": h.Decay, "epochs": epochs,
		"theta": theta, "theta_rate": h.ThetaRate, "seed": h.Seed.String(),
	}
}

// Reset discards the weights and the step count, keeping the configuration.
func (h *Hebbian) Reset() {
	h.n, h.y, h.r, h.theta, h.linear = 0, nil, nil, nil, linear{}
}

// init draws W₀ for f features.
func (h *Hebbian) init(f int) error {
	if f == 0 {
		return fmt.Errorf("readout: Hebbian needs at least one feature: %w", neurotab.ErrShape)
	}
	rule, k, _, _, theta := h.defaults()
	rng := h.Seed.Rand(0)
	w := mat.NewDense(f, k, nil)
	s := 1 / math.Sqrt(float64(f))
	for i := range f {
		for j := range k {
			v := s * rng.NormFloat64()
			if rule == BCM {
				v = math.Abs(v)
			}
			w.Set(i, j, v)
		}
	}
	h.n, h.w = 0, w
	h.y, h.r, h.theta = make([]float64, k), make([]float64, f), make([]float64, k)
	for j := range h.theta {
		h.theta[j] = theta
	}
	return nil
}

// Update applies one step of the rule for the input x (length F). The
// first Update after Reset draws W₀ with F = len(x). It does not allocate
// after the first call. The errors wrap neurotab.ErrParam, neurotab.ErrShape
// (x of another length than F) or neurotab.ErrNotFinite (NaN or Inf in x,
// or weights that overflowed, as Hebb's do eventually); the weights are
// unchanged after an error.
func (h *Hebbian) Update(x []float64) error {
	if err := h.Check(); err != nil {
		return err
	}
	if h.w != nil && len(x) != len(h.r) {
		return fmt.Errorf("readout: Hebbian: x has length %d, the readout has %d features: %w", len(x), len(h.r), neurotab.ErrShape)
	}
	if h.w == nil {
		if err := checkFinite("x", x, -1); err != nil {
			return err
		}
		if err := h.init(len(x)); err != nil {
			return err
		}
	}
	rule, _, rate, _, _ := h.defaults()
	eta := rate / (1 + h.Decay*float64(h.n))
	w := h.w.RawMatrix()
	f := w.Rows
	y, xv, yv := h.y, vec(x), vec(h.y)
	blas64.Gemv(blas.Trans, 1, w, xv, 0, yv) // y = Wᵀx
	// A NaN or ±Inf in x always reaches y (Inf·0 is NaN), so y is the
	// one check per step; x is searched only to name the culprit.
	for _, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			if err := checkFinite("x", x, -1); err != nil {
				return err
			}
			return fmt.Errorf("readout: Hebbian: output %v at step %d: the weights overflowed: %w", v, h.n, neurotab.ErrNotFinite)
		}
	}
	col := func(j int) blas64.Vector { return blas64.Vector{N: f, Inc: w.Stride, Data: w.Data[j:]} }
	switch rule {
	case Hebb:
		blas64.Ger(eta, xv, yv, w) // W += η x yᵀ
	case AntiHebb:
		blas64.Ger(-eta, xv, yv, w) // W −= η x yᵀ
	case Oja:
		for j, yj := range y { // w_j ← (1 − η y_j²) w_j + η y_j x
			c := col(j)
			blas64.Scal(1-eta*yj*yj, c)
			blas64.Axpy(eta*yj, xv, c)
		}
	case BCM:
		for j, yj := range y { // w_j += η y_j (y_j − θ_j) x, then θ_j slides
			blas64.Axpy(eta*yj*(yj-h.theta[j]), xv, col(j))
			h.theta[j] += h.ThetaRate * (yj*yj - h.theta[j])
		}
	case Subspace:
		rv := vec(h.r) // r = x − W y; W += η r yᵀ
		copy(h.r, x)
		blas64.Gemv(blas.NoTrans, -1, w, yv, 1, rv)
		blas64.Ger(eta, rv, yv, w)
	case GHA:
		// r ← r − y_j w_j (old w_j), then w_j += η y_j r, column by
		// column: r = x − Σ_{i≤j} y_i w_i when w_j is updated.
		rv := vec(h.r)
		copy(h.r, x)
		for j, yj := range y {
			c := col(j)
			blas64.Axpy(-yj, c, rv)
			blas64.Axpy(eta*yj, rv, c)
		}
	}
	h.n++
	return nil
}

// Fit trains from a fresh state (Reset, then W₀ from Seed) on the rows of X
// (T×F), Epochs passes in order, one Update per row; the step count and
// the rate schedule run on across epochs. The errors are those of Update,
// plus neurotab.ErrShape for an empty X; NaN and ±Inf are looked for first
// and named as X[t,f]. After an error the readout is unfitted.
func (h *Hebbian) Fit(X mat.Matrix) error {
	h.Reset()
	if err := h.Check(); err != nil {
		return err
	}
	t, f := X.Dims()
	if t == 0 || f == 0 {
		return fmt.Errorf("readout: Hebbian: empty input (X %d×%d): %w", t, f, neurotab.ErrShape)
	}
	xs := newRows(X)
	for i := range t {
		if err := checkFinite("X", xs.row(i), i); err != nil {
			return err
		}
	}
	_, _, _, epochs, _ := h.defaults()
	for range epochs {
		for i := range t {
			if err := h.Update(xs.row(i)); err != nil {
				h.Reset()
				return err
			}
		}
	}
	return nil
}

// Steps returns the number of updates since the last Reset or Fit.
func (h *Hebbian) Steps() int { return h.n }

// ThresholdsTo copies BCM's thresholds θ (length K) into dst: an empty dst
// is resized, a non-empty one of another length panics. The error wraps
// neurotab.ErrNotFitted before the first step.
func (h *Hebbian) ThresholdsTo(dst *mat.VecDense) error {
	if h.w == nil {
		return unfitted("ThresholdsTo")
	}
	if dst.IsEmpty() {
		dst.ReuseAsVec(len(h.theta))
	} else if dst.Len() != len(h.theta) {
		panic(fmt.Sprintf("readout: ThresholdsTo: dst has length %d, want %d", dst.Len(), len(h.theta)))
	}
	for j, v := range h.theta {
		dst.SetVec(j, v)
	}
	return nil
}
