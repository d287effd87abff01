package glm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/hmm"
	"github.com/neurotab/neurotab/analysis/hmm/hmmtest"
)

// obsModel returns a K = 3, N = 2 HMM-GLM emission model with known
// parameters: distinct baselines per state, self-excitation in state 1,
// mutual inhibition in state 2; with inputs, one input column of state-
// dependent weight.
func obsModel(t *testing.T, family, link string, inputs int) *GLMObservations {
	t.Helper()
	basis, err := ExpBasis(1, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	o, err := NewGLM(GLMOptions{K: 3, N: 2, Inputs: inputs, Family: family, Link: link, Basis: basis})
	if err != nil {
		t.Fatal(err)
	}
	o.Bias = mat.NewDense(3, 2, []float64{-1, 0.5, -0.3, -0.5, 0.3, 0.3})
	o.Weights[1] = mat.NewDense(2, 2, []float64{0.3, 0, 0, 0.2})
	o.Weights[2] = mat.NewDense(2, 2, []float64{0, -0.5, -0.4, 0})
	if family == Gaussian {
		o.Variance = mat.NewDense(3, 2, []float64{0.5, 1, 0.2, 0.8, 1.5, 0.3})
	}
	if inputs > 0 {
		o.InputWeights[0] = mat.NewDense(2, 1, []float64{0.4, -0.4})
		o.InputWeights[1] = mat.NewDense(2, 1, []float64{-0.5, 0})
		o.InputWeights[2] = mat.NewDense(2, 1, []float64{0, 0.6})
	}
	return o
}

// histRow is the history at bin i computed directly from the definition.
func histRow(x *mat.Dense, basis []float64, i, m int) float64 {
	s := 0.0
	for l := 1; l <= len(basis) && l <= i; l++ {
		s += basis[l-1] * x.At(i-l, m)
	}
	return s
}

// logPDF is log p(x_i | z = k, history) from gonum's distuv densities and
// the link written out.
func logPDF(o *GLMObservations, x *mat.Dense, i, k int) float64 {
	N := o.Neurons()
	s := 0.0
	for n := range N {
		eta := o.Bias.At(k, n)
		for m := range N {
			eta += o.Weights[k].At(n, m) * histRow(x, o.Basis, i, m)
		}
		for j := range o.Inputs {
			eta += o.InputWeights[k].At(n, j) * x.At(i, N+j)
		}
		y := x.At(i, n)
		switch {
		case o.Family == Gaussian:
			s += distuv.Normal{Mu: eta, Sigma: math.Sqrt(o.Variance.At(k, n))}.LogProb(y)
		case o.Family == Bernoulli:
			s += distuv.Bernoulli{P: 1 / (1 + math.Exp(-eta))}.LogProb(y)
		case o.Link == Softplus:
			s += distuv.Poisson{Lambda: math.Log1p(math.Exp(eta))}.LogProb(y)
		case o.Link == Sigmoid:
			s += distuv.Poisson{Lambda: DefaultRateMin + (DefaultRateMax-DefaultRateMin)/(1+math.Exp(-eta))}.LogProb(y)
		default:
			s += distuv.Poisson{Lambda: math.Exp(eta)}.LogProb(y)
		}
	}
	return s
}

// TestGLMObservationsConformance runs analysis/hmm's observation
// conformance suite on every family and link, with and without inputs.
func TestGLMObservationsConformance(t *testing.T) {
	for _, c := range []struct {
		family, link string
		inputs       int
	}{
		{Poisson, "", 0}, {Poisson, Softplus, 0}, {Poisson, Sigmoid, 0}, {Poisson, Softplus, 1},
		{Bernoulli, "", 0}, {Bernoulli, "", 1}, {Gaussian, "", 0}, {Gaussian, "", 1},
	} {
		name := fmt.Sprintf("%s/%s/inputs=%d", c.family, c.link, c.inputs)
		model := func() *GLMObservations { return obsModel(t, c.family, c.link, c.inputs) }
		m := model()
		var bad []hmmtest.Bad
		if c.family == Poisson {
			bad = append(bad, hmmtest.Bad{Name: "non-integer count", X: mat.NewDense(3, m.Dim(), nil), Want: neurotab.ErrOutOfRange, Says: "bin 2, neuron 1"})
			bad[0].X.(*mat.Dense).Set(2, 1, 0.5)
		}
		if c.family == Bernoulli {
			bad = append(bad, hmmtest.Bad{Name: "response 2", X: mat.NewDense(3, m.Dim(), nil), Want: neurotab.ErrOutOfRange, Says: "bin 1, neuron 0"})
			bad[0].X.(*mat.Dense).Set(1, 0, 2)
		}
		t.Run(name, func(t *testing.T) {
			hmmtest.Run(t, hmmtest.Case{
				Prefix: "glm: ",
				Model:  func() hmm.Observations { return model() },
				Simulate: func(rng *rand.Rand, z []int) *mat.Dense {
					var u *mat.Dense
					if c.inputs > 0 {
						u = mat.NewDense(len(z), c.inputs, nil)
						for i := range len(z) {
							u.Set(i, 0, rng.NormFloat64())
						}
					}
					return sampleGLM(rng, m, z, u)
				},
				LogPDF: func(x *mat.Dense, i, k int) float64 { return logPDF(m, x, i, k) },
				Bad:    bad,
				// Bernoulli responses carry less information per bin.
				Tolerance: map[bool]float64{true: 0.08, false: 0.05}[c.family == Bernoulli],
			})
		})
	}
}

// TestRecoverSelfExcitation: fitted to the true labels, state 1's
// self-excitation is found (true 0.3).
func TestRecoverSelfExcitation(t *testing.T) {
	m := obsModel(t, Poisson, "", 0)
	const T = 3000
	z := make([]int, T)
	for i := range z {
		z[i] = i * 3 / T
	}
	x := sampleGLM(rand.New(rand.NewPCG(1, 2)), m, z, nil)
	onehot := mat.NewDense(T, 3, nil)
	for i, k := range z {
		onehot.Set(i, k, 1)
	}
	fit := m.Clone().(*GLMObservations)
	fit.MaxIter = 50
	if err := fit.MStep([]mat.Matrix{x}, []*mat.Dense{onehot}); err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(fit.Weights[1].At(0, 0) - 0.3); d > 0.15 {
		t.Errorf("state 1 self-excitation %v, true 0.3", fit.Weights[1].At(0, 0))
	}
}

func TestNewGLMObservationsErrors(t *testing.T) {
	for name, f := range map[string]func() error{
		"K = 0":        func() error { _, err := NewGLMObservations(0, 2, Poisson, []float64{1}, 0); return err },
		"gamma family": func() error { _, err := NewGLMObservations(2, 2, "gamma", []float64{1}, 0); return err },
		"logit link for Poisson": func() error {
			_, err := NewGLM(GLMOptions{K: 2, N: 2, Family: Poisson, Link: Logit, Basis: []float64{1}})
			return err
		},
		"sigmoid bounds reversed": func() error {
			o, _ := NewGLM(GLMOptions{K: 2, N: 2, Family: Poisson, Link: Sigmoid, Basis: []float64{1}})
			o.RateMin, o.RateMax = 1, 0.5
			var ll mat.Dense
			return o.LogLikelihoodsTo(&ll, mat.NewDense(1, 2, nil))
		},
		"no covariates":  func() error { _, err := NewGLM(GLMOptions{K: 2, N: 2, Family: Gaussian}); return err },
		"Gaussian σ < 0": func() error { _, err := NewGaussianPrior(2, -1); return err },
		"one-hot K = 0":  func() error { _, err := NewOneHotPrior(0, 2, 0); return err },
		"sign 2": func() error {
			_, err := OneHotPriorFromSigns(2, mat.NewDense(1, 1, []float64{2}), 1, 0, false)
			return err
		},
		"empty basis": func() error { _, err := NewGLMObservations(2, 2, Poisson, nil, 0); return err },
		"negative L2": func() error { _, err := NewGLMObservations(2, 2, Poisson, []float64{1}, -1); return err },
	} {
		t.Run(name, func(t *testing.T) {
			if err := f(); !errors.Is(err, neurotab.ErrParam) {
				t.Errorf("err = %v, want ErrParam", err)
			}
		})
	}
}
