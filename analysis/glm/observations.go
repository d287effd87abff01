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
// one-hot HMM-GLM of Li et al., ICLR 2024): in state k, neuron n's
// activity at bin t is a GLM of the filtered history of every neuron,
//
//	c_t = Σ_l φ_l x_{t−l}                (History with Basis φ)
//	η_tkn = Bias[k][n] + Σ_m Weights[k][n][m] c_tm
//
// with Poisson counts of rate exp(η) (Family Poisson) or Gaussian values of
// mean η and variance Variance[k][n] (Family Gaussian). Weights[k] is
// N × N in the recurrent-weights orientation W[post][pre]. The history of
// each sequence starts from zeros. MStep fits each (state, neuron) GLM with
// [Regression], weights γ_t(k), an unpenalized intercept and ridge L2.
type GLMObservations struct {
	// Family is Poisson (exp link) or Gaussian (identity link).
	Family string
	// Basis is the history filter φ (φ[l−1] weighs lag l), e.g. [ExpBasis].
	Basis []float64
	// Bias is K × N.
	Bias *mat.Dense
	// Weights holds K matrices N × N, Weights[k][post][pre].
	Weights []*mat.Dense
	// Variance is K × N (Gaussian only; nil for Poisson).
	Variance *mat.Dense
	// L2 ≥ 0 is the ridge penalty of the M-step on Weights.
	L2 float64
}

var _ hmm.Observations = (*GLMObservations)(nil)

// NewGLMObservations returns a K-state model on N neurons with zero biases
// and weights (and unit variances for Gaussian). Errors wrap
// neurotab.ErrParam.
func NewGLMObservations(K, N int, family string, basis []float64, l2 float64) (*GLMObservations, error) {
	if K < 1 || N < 1 {
		return nil, fmt.Errorf("glm: GLM observations need K ≥ 1 and N ≥ 1, got K = %d, N = %d: %w", K, N, neurotab.ErrParam)
	}
	if family != Poisson && family != Gaussian {
		return nil, fmt.Errorf("glm: GLM observations family %q, want %q or %q: %w", family, Poisson, Gaussian, neurotab.ErrParam)
	}
	if len(basis) == 0 {
		return nil, fmt.Errorf("glm: empty history basis: %w", neurotab.ErrParam)
	}
	if !(l2 >= 0) || math.IsInf(l2, 0) {
		return nil, fmt.Errorf("glm: L2 %v, want finite ≥ 0: %w", l2, neurotab.ErrParam)
	}
	o := &GLMObservations{Family: family, Basis: append([]float64(nil), basis...), Bias: mat.NewDense(K, N, nil), L2: l2}
	o.Weights = make([]*mat.Dense, K)
	for k := range K {
		o.Weights[k] = mat.NewDense(N, N, nil)
	}
	if family == Gaussian {
		o.Variance = mat.NewDense(K, N, nil)
		for k := range K {
			for n := range N {
				o.Variance.Set(k, n, 1)
			}
		}
	}
	return o, nil
}

// States returns K.
func (o *GLMObservations) States() int { k, _ := o.Bias.Dims(); return k }

// Dim returns N.
func (o *GLMObservations) Dim() int { _, n := o.Bias.Dims(); return n }

// Clone returns a deep copy.
func (o *GLMObservations) Clone() hmm.Observations {
	c := &GLMObservations{Family: o.Family, Basis: append([]float64(nil), o.Basis...), Bias: mat.DenseCopyOf(o.Bias), L2: o.L2}
	c.Weights = make([]*mat.Dense, len(o.Weights))
	for k, w := range o.Weights {
		c.Weights[k] = mat.DenseCopyOf(w)
	}
	if o.Variance != nil {
		c.Variance = mat.DenseCopyOf(o.Variance)
	}
	return c
}

// design checks the T × N data x and returns its history matrix.
func (o *GLMObservations) design(x mat.Matrix) (*mat.Dense, error) {
	T, c := x.Dims()
	N := o.Dim()
	if c != N {
		return nil, fmt.Errorf("glm: data has %d columns for an observation model of dimension %d: %w", c, N, neurotab.ErrShape)
	}
	for t := range T {
		for n := range N {
			v := x.At(t, n)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("glm: data at t=%d, neuron %d is %v: %w", t, n, v, neurotab.ErrNotFinite)
			}
			if o.Family == Poisson && (v < 0 || v != math.Trunc(v)) {
				return nil, fmt.Errorf("glm: Poisson count at bin %d, neuron %d is %v, not a non-negative integer: %w", t, n, v, neurotab.ErrOutOfRange)
			}
		}
	}
	if T == 0 {
		return &mat.Dense{}, nil
	}
	var h mat.Dense
	if err := History(&h, x, o.Basis); err != nil {
		return nil, err
	}
	return &h, nil
}

// LogLikelihoodsTo implements [hmm.Observations].
func (o *GLMObservations) LogLikelihoodsTo(dst *mat.Dense, x mat.Matrix) error {
	if o.Family != Poisson && o.Family != Gaussian {
		return fmt.Errorf("glm: GLM observations family %q, want %q or %q: %w", o.Family, Poisson, Gaussian, neurotab.ErrParam)
	}
	h, err := o.design(x)
	if err != nil {
		return err
	}
	T, _ := x.Dims()
	K, N := o.States(), o.Dim()
	sizeDst(dst, T, K)
	if T == 0 {
		return nil
	}
	var eta mat.Dense
	for k := range K {
		eta.Mul(h, o.Weights[k].T()) // η[t][n] = Σ_m c[t][m] W[n][m]
		for t := range T {
			s := 0.0
			for n := range N {
				y, e := x.At(t, n), eta.At(t, n)+o.Bias.At(k, n)
				if o.Family == Poisson {
					lg, _ := math.Lgamma(y + 1)
					s += y*e - math.Exp(e) - lg
				} else {
					v := o.Variance.At(k, n)
					s += -0.5*math.Log(2*math.Pi*v) - (y-e)*(y-e)/(2*v)
				}
			}
			dst.Set(t, k, s)
		}
	}
	return nil
}

// MStep implements [hmm.Observations]: for each state k and neuron n a
// [Regression] of x[:, n] on the histories c with weights ws[:, k], an
// intercept (Bias) and penalty L2, over all sequences stacked; a Gaussian
// state's variance is the weighted mean squared residual. A state with
// zero total weight keeps its parameters. On error nothing changes.
func (o *GLMObservations) MStep(xs []mat.Matrix, ws []*mat.Dense) error {
	K, N := o.States(), o.Dim()
	if len(xs) != len(ws) {
		return fmt.Errorf("glm: %d sequences and %d weight matrices: %w", len(xs), len(ws), neurotab.ErrShape)
	}
	total := 0
	hs := make([]*mat.Dense, len(xs))
	for s, x := range xs {
		T, _ := x.Dims()
		if r, c := ws[s].Dims(); r != T || c != K {
			return fmt.Errorf("glm: sequence %d has %d steps but weights %d × %d for K = %d: %w", s, T, r, c, K, neurotab.ErrShape)
		}
		h, err := o.design(x)
		if err != nil {
			return fmt.Errorf("glm: sequence %d: %w", s, err)
		}
		hs[s] = h
		total += T
	}
	if total == 0 {
		return fmt.Errorf("glm: no data for the M-step: %w", neurotab.ErrShape)
	}
	C := mat.NewDense(total, N, nil)
	Y := mat.NewDense(total, N, nil)
	Wt := mat.NewDense(total, K, nil)
	off := 0
	for s, x := range xs {
		T, _ := x.Dims()
		for t := range T {
			for n := range N {
				C.Set(off+t, n, hs[s].At(t, n))
				Y.Set(off+t, n, x.At(t, n))
			}
			for k := range K {
				Wt.Set(off+t, k, ws[s].At(t, k))
			}
		}
		off += T
	}
	next := o.Clone().(*GLMObservations)
	y := make([]float64, total)
	w := make([]float64, total)
	var beta mat.VecDense
	for k := range K {
		mat.Col(w, k, Wt)
		sum := 0.0
		for _, v := range w {
			sum += v
		}
		if !(sum > 0) {
			continue
		}
		for n := range N {
			mat.Col(y, n, Y)
			r := Regression{Family: o.Family, Intercept: true, L2: o.L2, AllowNonInteger: false}
			if err := r.Fit(C, y, w); err != nil {
				return fmt.Errorf("glm: M-step of state %d, neuron %d: %w", k, n, err)
			}
			beta.Reset()
			_ = r.CoefTo(&beta)
			next.Bias.Set(k, n, beta.AtVec(0))
			for m := range N {
				next.Weights[k].Set(n, m, beta.AtVec(1+m))
			}
			if o.Family == Gaussian {
				ss := 0.0
				for t := range total {
					e := beta.AtVec(0)
					for m := range N {
						e += beta.AtVec(1+m) * C.At(t, m)
					}
					ss += w[t] * (y[t] - e) * (y[t] - e)
				}
				next.Variance.Set(k, n, math.Max(ss/sum, varianceFloor))
			}
		}
	}
	*o = *next
	return nil
}

// Randomize implements [hmm.Observations]: for each state, biases from the
// mean of a random window (a tenth of a random sequence, 1 to 50 steps) —
// log(mean + 0.1) for Poisson —, weights drawn from N(0, 0.01²) and, for
// Gaussian, each neuron's variance over all data.
func (o *GLMObservations) Randomize(xs []mat.Matrix, rng *rand.Rand) error {
	K, N := o.States(), o.Dim()
	if len(xs) == 0 {
		return fmt.Errorf("glm: no sequences to initialize from: %w", neurotab.ErrShape)
	}
	for _, x := range xs {
		if _, err := o.design(x); err != nil {
			return err
		}
	}
	next := o.Clone().(*GLMObservations)
	for k := range K {
		x := xs[rng.IntN(len(xs))]
		T, _ := x.Dims()
		if T == 0 {
			return fmt.Errorf("glm: empty sequence: %w", neurotab.ErrShape)
		}
		win := max(1, min(50, T/10))
		start := rng.IntN(T - win + 1)
		for n := range N {
			m := 0.0
			for t := start; t < start+win; t++ {
				m += x.At(t, n) / float64(win)
			}
			if o.Family == Poisson {
				m = math.Log(m + 0.1)
			}
			next.Bias.Set(k, n, m)
			for j := range N {
				next.Weights[k].Set(n, j, 0.01*rng.NormFloat64())
			}
		}
	}
	if o.Family == Gaussian {
		for n := range N {
			var s, ss, cnt float64
			for _, x := range xs {
				T, _ := x.Dims()
				for t := range T {
					v := x.At(t, n)
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
	*o = *next
	return nil
}
