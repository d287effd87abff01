package glm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/hmm"
)

// varianceFloor keeps a Gaussian state's variance positive when a neuron
// is fitted exactly.
const varianceFloor = 1e-9

// GLMObservations is the emission model of an HMM-GLM (Escola et al.,
// Neural Computation 2011, https://doi.org/10.1162/NECO_a_00118; the
// one-hot HMM-GLM of Li, Kim, Rodgers, Choi & Wu, ICLR 2024,
// https://openreview.net/forum?id=MREQ0k6qvD): in state k, neuron n's
// activity at bin t is a GLM of the filtered history of every neuron and
// of optional external inputs u_t (the input-driven GLM-HMM of ssm),
//
//	c_t = Σ_l φ_l x_{t−l}                (History with Basis φ)
//	η_tkn = Bias[k][n] + Σ_m Weights[k][n][m] c_tm + Σ_j InputWeights[k][n][j] u_tj
//	y_tn | z_t = k ~ Family(μ = g⁻¹(η_tkn))
//
// with Family Poisson (Link Exp, Softplus or the bounded Sigmoid), Bernoulli
// (Logit) or Gaussian (Identity, variance Variance[k][n]). Weights[k] is
// N × N in the recurrent-weights orientation W[post][pre]. The history of
// each sequence starts from zeros and is computed once per data matrix
// (cached by content).
//
// Data matrices are T × (N + Inputs): the N neurons, then the Inputs
// columns u_t, which enter the design at the same bin and are not
// modelled. An empty Basis drops the history (a GLM of the inputs alone).
//
// MStep maximizes, for each (state, neuron), the γ-weighted log likelihood
// minus the ridge penalty (L2/2)‖β‖² (not on the bias) plus the log prior
// of the weights (Prior: nil, [*GaussianPrior] or [*OneHotPrior]), by
// Fisher scoring from the current parameters, in parallel over states and
// neurons (each job owns its output, so the result does not depend on the
// number of cores). Bins with γ_t(k) < 1e-6 are skipped.
type GLMObservations struct {
	// Family is Poisson, Bernoulli or Gaussian.
	Family string
	// Link is the mean function; "" is the family's canonical link.
	// Poisson also takes Softplus and Sigmoid.
	Link string
	// RateMin and RateMax bound the Sigmoid link (both 0: 1e-8 and 1).
	RateMin, RateMax float64
	// Basis is the history filter φ (φ[l−1] weighs lag l), e.g. [ExpBasis].
	Basis []float64
	// Bias is K × N.
	Bias *mat.Dense
	// Weights holds K matrices N × N, Weights[k][post][pre].
	Weights []*mat.Dense
	// Inputs is M, the number of external input columns after the N
	// neurons in every data matrix.
	Inputs int
	// InputWeights holds K matrices N × M (nil when Inputs = 0).
	InputWeights []*mat.Dense
	// Variance is K × N (Gaussian only; nil otherwise).
	Variance *mat.Dense
	// L2 ≥ 0 is the ridge penalty of the M-step on Weights and
	// InputWeights.
	L2 float64
	// Prior is the prior over the per-state weights W_k: nil (none),
	// *GaussianPrior or *OneHotPrior. MStep and Randomize replace it by an
	// updated copy: read the learned W̄ or π from the fitted model's Prior.
	Prior WeightPrior
	// AllowNonInteger accepts non-integer Poisson responses (rates,
	// deconvolved activity); by default they are an error.
	AllowNonInteger bool
	// MaxIter bounds the Fisher-scoring iterations of each (state, neuron)
	// fit in one M-step (0 means 25; the one-hot prior takes at most 4).
	MaxIter int

	cache *historyCache
}

var _ hmm.Observations = (*GLMObservations)(nil)

// GLMOptions configures [NewGLM].
type GLMOptions struct {
	// K states and N neurons (both ≥ 1); Inputs ≥ 0 external inputs.
	K, N, Inputs int
	// Family, Link, Basis, L2, Prior and AllowNonInteger as in
	// [GLMObservations].
	Family, Link    string
	Basis           []float64
	L2              float64
	Prior           WeightPrior
	AllowNonInteger bool
}

// NewGLMObservations returns a K-state model on N neurons with zero biases
// and weights (and unit variances for Gaussian), canonical link, no inputs
// and no prior. Errors wrap neurotab.ErrParam.
func NewGLMObservations(K, N int, family string, basis []float64, l2 float64) (*GLMObservations, error) {
	if len(basis) == 0 {
		return nil, fmt.Errorf("glm: empty history basis: %w", neurotab.ErrParam)
	}
	return NewGLM(GLMOptions{K: K, N: N, Family: family, Basis: basis, L2: l2})
}

// NewGLM returns the model that opts describe with zero biases and weights
// (unit variances for Gaussian). Errors wrap neurotab.ErrParam.
func NewGLM(opts GLMOptions) (*GLMObservations, error) {
	K, N := opts.K, opts.N
	if K < 1 || N < 1 || opts.Inputs < 0 {
		return nil, fmt.Errorf("glm: GLM observations need K ≥ 1, N ≥ 1 and Inputs ≥ 0, got K = %d, N = %d, Inputs = %d: %w", K, N, opts.Inputs, neurotab.ErrParam)
	}
	if len(opts.Basis) == 0 && opts.Inputs == 0 {
		return nil, fmt.Errorf("glm: no covariates: empty history basis and no inputs: %w", neurotab.ErrParam)
	}
	o := &GLMObservations{Family: opts.Family, Link: opts.Link, Basis: append([]float64(nil), opts.Basis...),
		Bias: mat.NewDense(K, N, nil), Inputs: opts.Inputs, L2: opts.L2, Prior: opts.Prior, AllowNonInteger: opts.AllowNonInteger}
	o.Weights = make([]*mat.Dense, K)
	for k := range K {
		o.Weights[k] = mat.NewDense(N, N, nil)
	}
	if opts.Inputs > 0 {
		o.InputWeights = make([]*mat.Dense, K)
		for k := range K {
			o.InputWeights[k] = mat.NewDense(N, opts.Inputs, nil)
		}
	}
	if opts.Family == Gaussian {
		o.Variance = mat.NewDense(K, N, nil)
		for k := range K {
			for n := range N {
				o.Variance.Set(k, n, 1)
			}
		}
	}
	if err := o.check(); err != nil {
		return nil, err
	}
	return o, nil
}

// check validates the configuration and the parameter shapes.
func (o *GLMObservations) check() error {
	if _, err := o.emission(); err != nil {
		return err
	}
	if !(o.L2 >= 0) || math.IsInf(o.L2, 0) {
		return fmt.Errorf("glm: L2 %v, want finite ≥ 0: %w", o.L2, neurotab.ErrParam)
	}
	if o.MaxIter < 0 {
		return fmt.Errorf("glm: MaxIter %d < 0: %w", o.MaxIter, neurotab.ErrParam)
	}
	for l, v := range o.Basis {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("glm: history basis at lag %d is %v: %w", l+1, v, neurotab.ErrParam)
		}
	}
	if o.Bias == nil {
		return fmt.Errorf("glm: GLM observations without Bias: %w", neurotab.ErrParam)
	}
	K, N := o.Bias.Dims()
	if len(o.Weights) != K {
		return fmt.Errorf("glm: %d weight matrices for K = %d: %w", len(o.Weights), K, neurotab.ErrShape)
	}
	for k, w := range o.Weights {
		if r, c := w.Dims(); r != N || c != N {
			return fmt.Errorf("glm: Weights[%d] is %d × %d, want %d × %d: %w", k, r, c, N, N, neurotab.ErrShape)
		}
	}
	if o.Inputs < 0 {
		return fmt.Errorf("glm: Inputs %d < 0: %w", o.Inputs, neurotab.ErrParam)
	}
	if o.Inputs > 0 {
		if len(o.InputWeights) != K {
			return fmt.Errorf("glm: %d input weight matrices for K = %d: %w", len(o.InputWeights), K, neurotab.ErrShape)
		}
		for k, w := range o.InputWeights {
			if r, c := w.Dims(); r != N || c != o.Inputs {
				return fmt.Errorf("glm: InputWeights[%d] is %d × %d, want %d × %d: %w", k, r, c, N, o.Inputs, neurotab.ErrShape)
			}
		}
	}
	if o.Family == Gaussian {
		if o.Variance == nil {
			return fmt.Errorf("glm: Gaussian GLM observations without Variance: %w", neurotab.ErrParam)
		}
		if r, c := o.Variance.Dims(); r != K || c != N {
			return fmt.Errorf("glm: Variance is %d × %d, want %d × %d: %w", r, c, K, N, neurotab.ErrShape)
		}
	}
	if o.Prior != nil {
		return o.Prior.check(K, N)
	}
	return nil
}

func (o *GLMObservations) emission() (emission, error) {
	return resolveEmission(o.Family, o.Link, o.RateMin, o.RateMax)
}

// States returns K.
func (o *GLMObservations) States() int { k, _ := o.Bias.Dims(); return k }

// Neurons returns N, the modelled columns.
func (o *GLMObservations) Neurons() int { _, n := o.Bias.Dims(); return n }

// Dim returns N + Inputs, the columns of the data matrices.
func (o *GLMObservations) Dim() int { return o.Neurons() + o.Inputs }

// Clone returns a deep copy.
func (o *GLMObservations) Clone() hmm.Observations {
	c := *o
	c.Basis = append([]float64(nil), o.Basis...)
	c.Bias = mat.DenseCopyOf(o.Bias)
	c.Weights = cloneAll(o.Weights)
	c.InputWeights = cloneAll(o.InputWeights)
	if o.Variance != nil {
		c.Variance = mat.DenseCopyOf(o.Variance)
	}
	if o.Prior != nil {
		c.Prior = o.Prior.clone()
	}
	return &c
}

func cloneAll(ms []*mat.Dense) []*mat.Dense {
	if ms == nil {
		return nil
	}
	out := make([]*mat.Dense, len(ms))
	for k, m := range ms {
		out[k] = mat.DenseCopyOf(m)
	}
	return out
}

// P is the length of a coefficient vector β = (bias, history weights,
// input weights).
func (o *GLMObservations) params() int { return 1 + o.Neurons() + o.Inputs }

// beta writes the coefficients of (k, n) into dst (length P).
func (o *GLMObservations) beta(k, n int, dst []float64) {
	N := o.Neurons()
	dst[0] = o.Bias.At(k, n)
	mat.Row(dst[1:1+N], n, o.Weights[k])
	if o.Inputs > 0 {
		mat.Row(dst[1+N:], n, o.InputWeights[k])
	}
}

// setBeta stores the coefficients of (k, n).
func (o *GLMObservations) setBeta(k, n int, b []float64) {
	N := o.Neurons()
	o.Bias.Set(k, n, b[0])
	o.Weights[k].SetRow(n, b[1:1+N])
	if o.Inputs > 0 {
		o.InputWeights[k].SetRow(n, b[1+N:])
	}
}

// LogLikelihoodsTo implements [hmm.Observations].
func (o *GLMObservations) LogLikelihoodsTo(dst *mat.Dense, x mat.Matrix) error {
	if err := o.check(); err != nil {
		return err
	}
	d, err := o.prepare(x)
	if err != nil {
		return err
	}
	K := o.States()
	sizeDst(dst, d.T, K)
	if d.T == 0 {
		return nil
	}
	e, _ := o.emission()
	cols := make([][]float64, K)
	parallel(K, func(k int) {
		cols[k] = o.stateLogLik(e, d, k)
	})
	for k, col := range cols {
		dst.SetCol(k, col)
	}
	return nil
}

// stateLogLik returns ℓ[t] = log p(x_t | z_t = k) for t < T.
func (o *GLMObservations) stateLogLik(e emission, d *prepared, k int) []float64 {
	N, P := o.Neurons(), o.params()
	B := mat.NewDense(N, P, nil)
	b := make([]float64, P)
	for n := range N {
		o.beta(k, n, b)
		B.SetRow(n, b)
	}
	var eta mat.Dense
	eta.Mul(mat.NewDense(d.T, P, d.X), B.T())
	raw := eta.RawMatrix()
	out := make([]float64, d.T)
	v := make([]float64, N)
	cst := 0.0
	for n := range N {
		v[n] = 1
		if o.Variance != nil {
			v[n] = o.Variance.At(k, n)
			cst += e.constant(0, v[n])
		}
	}
	for t := range d.T {
		s := d.lconst[t] + cst
		row := raw.Data[t*raw.Stride : t*raw.Stride+N]
		y := d.Y[t*N : (t+1)*N]
		for n, h := range row {
			s += e.logLik(y[n], h, v[n])
		}
		out[t] = s
	}
	return out
}

// Randomize implements [hmm.Observations]: for each state, biases from the
// mean of a random window (a tenth of a random sequence, 1 to 50 steps)
// through the inverse link (log(mean + 0.1) for Exp), history and input
// weights drawn from N(0, 0.1²) (a one-hot prior draws its state logits
// instead), and, for Gaussian, each neuron's variance over all data. Then,
// when K > 1 and there are at least 2K windows of 40 bins, the windows are
// clustered by their response–covariate covariances (k-means++, seeded by
// rng) and each state's GLM is fitted to its cluster (an M-step of at most
// 10 Fisher iterations), which breaks the symmetry between states far
// better than random weights.
func (o *GLMObservations) Randomize(xs []mat.Matrix, rng *rand.Rand) error {
	if err := o.check(); err != nil {
		return err
	}
	K, N := o.States(), o.Neurons()
	if len(xs) == 0 {
		return fmt.Errorf("glm: no sequences to initialize from: %w", neurotab.ErrShape)
	}
	ds := make([]*prepared, len(xs))
	for s, x := range xs {
		d, err := o.prepare(x)
		if err != nil {
			return err
		}
		ds[s] = d
	}
	e, _ := o.emission()
	next := o.Clone().(*GLMObservations)
	for k := range K {
		d := ds[rng.IntN(len(ds))]
		if d.T == 0 {
			return fmt.Errorf("glm: empty sequence: %w", neurotab.ErrShape)
		}
		win := max(1, min(50, d.T/10))
		start := rng.IntN(d.T - win + 1)
		for n := range N {
			m := 0.0
			for t := start; t < start+win; t++ {
				m += d.Y[t*N+n] / float64(win)
			}
			next.Bias.Set(k, n, e.inverse(m))
			for j := range N {
				next.Weights[k].Set(n, j, 0.1*rng.NormFloat64())
			}
			for j := range o.Inputs {
				next.InputWeights[k].Set(n, j, 0.01*rng.NormFloat64())
			}
		}
	}
	if o.Family == Gaussian {
		for n := range N {
			var s, ss, cnt float64
			for _, d := range ds {
				for t := range d.T {
					v := d.Y[t*N+n]
					s += v
					ss += v * v
					cnt++
				}
			}
			v := math.Max(ss/cnt-(s/cnt)*(s/cnt), varianceFloor)
			for k := range K {
				next.Variance.Set(k, n, v)
			}
		}
	}
	if next.Prior != nil {
		next.Prior.randomize(next, rng)
	}
	if ws := next.windowInit(ds, rng); ws != nil && K > 1 {
		fit := next.Clone().(*GLMObservations)
		fit.MaxIter = 10
		xs := make([]mat.Matrix, len(ds))
		if err := fit.MStep(xsOf(ds, o.Inputs, xs), ws); err == nil {
			fit.MaxIter = o.MaxIter
			next = fit
		}
	}
	*o = *next
	return nil
}

// xsOf rebuilds data matrices (neurons, then inputs) from prepared data
// into xs, so the M-step finds them in the cache.
func xsOf(ds []*prepared, M int, xs []mat.Matrix) []mat.Matrix {
	for s, d := range ds {
		N := len(d.Y) / max(d.T, 1)
		x := mat.NewDense(max(d.T, 1), N+M, nil)
		P := 1 + N + M
		for t := range d.T {
			for n := range N {
				x.Set(t, n, d.Y[t*N+n])
			}
			for j := range M {
				x.Set(t, N+j, d.X[t*P+1+N+j])
			}
		}
		xs[s] = x
	}
	return xs
}
