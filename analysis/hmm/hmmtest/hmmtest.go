// Package hmmtest is the conformance suite every [hmm.Observations]
// implementation runs (gonum's graph/testgraph habit): densities against an
// independent computation, the M-step against random and true parameters,
// recovery from true labels, zero-weight states, Clone and Randomize, shape
// errors and rejected data.
package hmmtest

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/hmm"
)

// Case describes one observation model to [Run].
type Case struct {
	// Model returns a fresh model with known parameters (K ≥ 2).
	Model func() hmm.Observations
	// Simulate draws T = len(z) steps of Model() along the state path z
	// (T × Dim).
	Simulate func(rng *rand.Rand, z []int) *mat.Dense
	// LogPDF is log p(x_t | z_t = k, past) of Model() computed
	// independently of the implementation (e.g. from gonum's distuv).
	LogPDF func(x *mat.Dense, t, k int) float64
	// Bad are data the model must reject, besides a NaN (always checked).
	Bad []Bad
	// Prefix starts every error message, e.g. "hmm: ".
	Prefix string
	// Tolerance of the recovery check: the mean |Δℓ| on the true states
	// between the model fitted to true labels and the true model may not
	// exceed Tolerance · Dim (0 means 0.05).
	Tolerance float64
}

// Bad is data an observation model must reject.
type Bad struct {
	Name string
	X    mat.Matrix
	// Want is the sentinel the error wraps; Says a substring of its message.
	Want error
	Says string
}

// T is the number of simulated steps, split evenly between the K states.
const T = 3000

// Run runs the suite on c.
func Run(t *testing.T, c Case) {
	m := c.Model()
	K, N := m.States(), m.Dim()
	rng := rand.New(rand.NewPCG(1, 2))
	z := make([]int, T)
	for i := range z {
		z[i] = i * K / T
	}
	x := c.Simulate(rng, z)
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
	tol := c.Tolerance
	if tol == 0 {
		tol = 0.05
	}

	t.Run("log-likelihoods match the density", func(t *testing.T) {
		var ll mat.Dense
		if err := m.LogLikelihoodsTo(&ll, x); err != nil {
			t.Fatal(err)
		}
		for i := range 50 {
			for k := range K {
				want := c.LogPDF(x, i, k)
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
		fit := c.Model()
		if err := fit.Randomize(xs, rand.New(rand.NewPCG(3, 3))); err != nil {
			t.Fatal(err)
		}
		for range 20 { // one call suffices for an exact M-step
			if err := fit.MStep(xs, []*mat.Dense{onehot}); err != nil {
				t.Fatal(err)
			}
		}
		var a, b mat.Dense
		_ = fit.LogLikelihoodsTo(&a, x)
		_ = m.LogLikelihoodsTo(&b, x)
		d := 0.0
		for i := range T {
			d += math.Abs(a.At(i, z[i])-b.At(i, z[i])) / T
		}
		if d > tol*float64(N) {
			t.Errorf("mean |Δℓ| on the true states = %v", d)
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
	nan.Set(3, 0, math.NaN())
	bad := append([]Bad{{"NaN", nan, neurotab.ErrNotFinite, "t=3"}}, c.Bad...)
	for _, b := range bad {
		t.Run("rejects "+b.Name, func(t *testing.T) {
			var ll mat.Dense
			err := m.LogLikelihoodsTo(&ll, b.X)
			if !errors.Is(err, b.Want) || !strings.Contains(err.Error(), b.Says) || !strings.HasPrefix(err.Error(), c.Prefix) {
				t.Errorf("LogLikelihoodsTo: %v, want %v saying %q", err, b.Want, b.Says)
			}
			r, _ := b.X.Dims()
			if err := m.Clone().MStep([]mat.Matrix{b.X}, []*mat.Dense{mat.NewDense(r, K, nil)}); !errors.Is(err, b.Want) {
				t.Errorf("MStep: %v, want %v", err, b.Want)
			}
		})
	}
}
