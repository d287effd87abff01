package glm

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/hmm"
)

// obsModel returns a K = 3, N = 2 HMM-GLM emission model with known
// parameters: distinct baselines per state, self-excitation in state 1,
// mutual inhibition in state 2.
func obsModel(t *testing.T, family string) *GLMObservations {
	t.Helper()
	basis, err := ExpBasis(1, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	o, err := NewGLMObservations(3, 2, family, basis, 0)
	if err != nil {
		t.Fatal(err)
	}
	o.Bias = mat.NewDense(3, 2, []float64{-1, 0.5, -0.3, -0.5, 0.3, 0.3})
	o.Weights[1] = mat.NewDense(2, 2, []float64{0.3, 0, 0, 0.2})
	o.Weights[2] = mat.NewDense(2, 2, []float64{0, -0.5, -0.4, 0})
	if family == Gaussian {
		o.Variance = mat.NewDense(3, 2, []float64{0.5, 1, 0.2, 0.8, 1.5, 0.3})
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

// logPDF is log p(x_i | z = k, history) from gonum's distuv densities.
func logPDF(o *GLMObservations, x *mat.Dense, i, k int) float64 {
	_, N := x.Dims()
	s := 0.0
	for n := range N {
		eta := o.Bias.At(k, n)
		for m := range N {
			eta += o.Weights[k].At(n, m) * histRow(x, o.Basis, i, m)
		}
		if o.Family == Poisson {
			s += distuv.Poisson{Lambda: math.Exp(eta)}.LogProb(x.At(i, n))
		} else {
			s += distuv.Normal{Mu: eta, Sigma: math.Sqrt(o.Variance.At(k, n))}.LogProb(x.At(i, n))
		}
	}
	return s
}

// simulate draws T steps, state i·K/T at step i.
func simulate(o *GLMObservations, T int, rng *rand.Rand) (*mat.Dense, []int) {
	K, N := o.States(), o.Dim()
	x := mat.NewDense(T, N, nil)
	z := make([]int, T)
	for i := range T {
		z[i] = i * K / T
		for n := range N {
			eta := o.Bias.At(z[i], n)
			for m := range N {
				eta += o.Weights[z[i]].At(n, m) * histRow(x, o.Basis, i, m)
			}
			if o.Family == Poisson {
				x.Set(i, n, float64(poisson(rng, math.Exp(eta))))
			} else {
				x.Set(i, n, eta+math.Sqrt(o.Variance.At(z[i], n))*rng.NormFloat64())
			}
		}
	}
	return x, z
}

// TestGLMObservationsConformance runs the checks of analysis/hmm's
// observation conformance suite (unexported there) on both families.
func TestGLMObservationsConformance(t *testing.T) {
	for _, family := range []string{Poisson, Gaussian} {
		t.Run(family, func(t *testing.T) {
			m := obsModel(t, family)
			K, N := m.States(), m.Dim()
			const T = 3000
			x, z := simulate(m, T, rand.New(rand.NewPCG(1, 2)))
			xs := []mat.Matrix{x}
			onehot := mat.NewDense(T, K, nil)
			for i, k := range z {
				onehot.Set(i, k, 1)
			}
			q := func(o hmm.Observations, w *mat.Dense) float64 {
				var ll mat.Dense
				if err := o.LogLikelihoodsTo(&ll, x); err != nil {
					t.Fatal(err)
				}
				ll.MulElem(&ll, w)
				return mat.Sum(&ll)
			}
			t.Run("log-likelihoods match the density", func(t *testing.T) {
				var ll mat.Dense
				if err := m.LogLikelihoodsTo(&ll, x); err != nil {
					t.Fatal(err)
				}
				for i := range 50 {
					for k := range K {
						want := logPDF(m, x, i, k)
						if d := math.Abs(ll.At(i, k) - want); d > 1e-12*math.Max(1, math.Abs(want)) {
							t.Fatalf("ℓ[%d][%d] = %v, density %v", i, k, ll.At(i, k), want)
						}
					}
				}
			})
			t.Run("destination of the wrong size panics", func(t *testing.T) {
				defer func() {
					if recover() == nil {
						t.Error("no panic")
					}
				}()
				_ = m.LogLikelihoodsTo(mat.NewDense(2, 2, nil), x)
			})
			t.Run("M-step maximizes the weighted log-likelihood", func(t *testing.T) {
				soft := mat.NewDense(T, K, nil)
				for i := range T {
					for k := range K {
						soft.Set(i, k, 0.1+0.8*onehot.At(i, k)+0.05*math.Sin(float64(i+k)))
					}
				}
				fit := m.Clone()
				if err := fit.MStep(xs, []*mat.Dense{soft}); err != nil {
					t.Fatal(err)
				}
				best := q(fit, soft)
				for s := range uint64(5) {
					other := m.Clone()
					if err := other.Randomize(xs, rand.New(rand.NewPCG(s, 9))); err != nil {
						t.Fatal(err)
					}
					if v := q(other, soft); v > best {
						t.Errorf("randomized parameters %d give Q = %v > the M-step's %v", s, v, best)
					}
				}
				if v := q(m, soft); v > best+1e-9*math.Abs(best) {
					t.Errorf("true parameters give Q = %v > the M-step's %v", v, best)
				}
			})
			t.Run("M-step on true labels recovers the model", func(t *testing.T) {
				fit := m.Clone()
				if err := fit.Randomize(xs, rand.New(rand.NewPCG(3, 3))); err != nil {
					t.Fatal(err)
				}
				if err := fit.MStep(xs, []*mat.Dense{onehot}); err != nil {
					t.Fatal(err)
				}
				var a, b mat.Dense
				_ = fit.LogLikelihoodsTo(&a, x)
				_ = m.LogLikelihoodsTo(&b, x)
				d := 0.0
				for i := range T {
					d += math.Abs(a.At(i, z[i])-b.At(i, z[i])) / T
				}
				if d > 0.05*float64(N) {
					t.Errorf("mean |Δℓ| on the true states = %v", d)
				}
				g := fit.(*GLMObservations)
				if d := math.Abs(g.Weights[1].At(0, 0) - 0.3); d > 0.15 {
					t.Errorf("state 1 self-excitation %v, true 0.3", g.Weights[1].At(0, 0))
				}
			})
			t.Run("a state without weight keeps its parameters", func(t *testing.T) {
				w := mat.DenseCopyOf(onehot)
				for i := range T {
					w.Set(i, 0, 0)
				}
				fit := m.Clone()
				if err := fit.MStep(xs, []*mat.Dense{w}); err != nil {
					t.Fatal(err)
				}
				var a, b mat.Dense
				_ = fit.LogLikelihoodsTo(&a, x)
				_ = m.LogLikelihoodsTo(&b, x)
				if !mat.Equal(a.ColView(0), b.ColView(0)) {
					t.Error("state 0 changed")
				}
			})
			t.Run("Clone is independent and Randomize is seeded", func(t *testing.T) {
				var before, after mat.Dense
				_ = m.LogLikelihoodsTo(&before, x)
				c1, c2 := m.Clone(), m.Clone()
				_ = c1.Randomize(xs, rand.New(rand.NewPCG(4, 4)))
				_ = c2.Randomize(xs, rand.New(rand.NewPCG(4, 4)))
				_ = m.LogLikelihoodsTo(&after, x)
				if !mat.Equal(&before, &after) {
					t.Error("randomizing a clone changed the original")
				}
				var l1, l2 mat.Dense
				_ = c1.LogLikelihoodsTo(&l1, x)
				_ = c2.LogLikelihoodsTo(&l2, x)
				if !mat.Equal(&l1, &l2) || mat.Equal(&l1, &before) {
					t.Error("Randomize with one seed gave two results, or none")
				}
			})
			t.Run("shape errors", func(t *testing.T) {
				var ll mat.Dense
				if err := m.LogLikelihoodsTo(&ll, mat.NewDense(4, N+1, nil)); !errors.Is(err, neurotab.ErrShape) {
					t.Errorf("wrong columns: %v", err)
				}
				if err := m.Clone().MStep(xs, []*mat.Dense{mat.NewDense(T-1, K, nil)}); !errors.Is(err, neurotab.ErrShape) {
					t.Errorf("weights of the wrong length: %v", err)
				}
				if err := m.Clone().MStep(xs, nil); !errors.Is(err, neurotab.ErrShape) {
					t.Errorf("missing weights: %v", err)
				}
			})
			nan := mat.DenseCopyOf(x.Slice(0, 5, 0, N))
			nan.Set(3, N-1, math.NaN())
			bad := []struct {
				name string
				x    mat.Matrix
				want error
				says string
			}{{"NaN", nan, neurotab.ErrNotFinite, "t=3"}}
			if family == Poisson {
				frac := mat.DenseCopyOf(x.Slice(0, 5, 0, N))
				frac.Set(2, 1, 0.5)
				bad = append(bad, struct {
					name string
					x    mat.Matrix
					want error
					says string
				}{"non-integer count", frac, neurotab.ErrOutOfRange, "bin 2, neuron 1"})
			}
			for _, b := range bad {
				t.Run("rejects "+b.name, func(t *testing.T) {
					var ll mat.Dense
					err := m.LogLikelihoodsTo(&ll, b.x)
					if !errors.Is(err, b.want) || !strings.Contains(err.Error(), b.says) || !strings.HasPrefix(err.Error(), "glm: ") {
						t.Errorf("LogLikelihoodsTo: %v, want %v saying %q", err, b.want, b.says)
					}
					r, _ := b.x.Dims()
					if err := m.Clone().MStep([]mat.Matrix{b.x}, []*mat.Dense{mat.NewDense(r, K, nil)}); !errors.Is(err, b.want) {
						t.Errorf("MStep: %v, want %v", err, b.want)
					}
				})
			}
		})
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
