package hmm

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/neurotab/neurotab"
)

// obsCase describes one observation model to the conformance suite.
type obsCase struct {
	name string
	// model returns a fresh K = 3 model with known parameters.
	model func() Observations
	// draw fills row with a sample of state k of model().
	draw func(rng *rand.Rand, k int, row []float64)
	// logPDF is log p(row | k) of model() computed independently (gonum's
	// distuv densities).
	logPDF func(k int, row []float64) float64
	// bad are data the model must reject.
	bad []badData
}

type badData struct {
	name string
	x    mat.Matrix
	want error
	says string
}

// runObservationConformance is the suite every Observations implementation
// runs (gonum's graph/testgraph habit).
func runObservationConformance(t *testing.T, c obsCase) {
	m := c.model()
	K, N := m.States(), m.Dim()
	rng := rand.New(rand.NewPCG(1, 2))
	const T = 3000
	z := make([]int, T)
	x := mat.NewDense(T, N, nil)
	row := make([]float64, N)
	for i := range T {
		z[i] = i * K / T
		c.draw(rng, z[i], row)
		x.SetRow(i, row)
	}
	xs := []mat.Matrix{x}
	onehot := mat.NewDense(T, K, nil)
	for i, k := range z {
		onehot.Set(i, k, 1)
	}
	q := func(o Observations, w *mat.Dense) float64 {
		var ll mat.Dense
		if err := o.LogLikelihoodsTo(&ll, x); err != nil {
			t.Fatal(err)
		}
		return mat.Sum(multiply(&ll, w))
	}

	t.Run("log-likelihoods match the density", func(t *testing.T) {
		var ll mat.Dense
		if err := m.LogLikelihoodsTo(&ll, x.Slice(0, 50, 0, N)); err != nil {
			t.Fatal(err)
		}
		for i := range 50 {
			for k := range K {
				want := c.logPDF(k, x.RawRowView(i))
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
		fit := c.model()
		if err := fit.Randomize(xs, rand.New(rand.NewPCG(3, 3))); err != nil {
			t.Fatal(err)
		}
		if err := fit.MStep(xs, []*mat.Dense{onehot}); err != nil {
			t.Fatal(err)
		}
		// Per-step log-likelihoods of the fitted and the true model agree
		// to within sampling error (3,000 steps, 1,000 per state).
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
	bad := append([]badData{{"NaN", nan, neurotab.ErrNotFinite, "t=3"}}, c.bad...)
	for _, b := range bad {
		t.Run("rejects "+b.name, func(t *testing.T) {
			var ll mat.Dense
			err := m.LogLikelihoodsTo(&ll, b.x)
			if !errors.Is(err, b.want) || !strings.Contains(err.Error(), b.says) || !strings.HasPrefix(err.Error(), "hmm: ") {
				t.Errorf("LogLikelihoodsTo: %v, want %v saying %q", err, b.want, b.says)
			}
			T, _ := b.x.Dims()
			err = m.Clone().MStep([]mat.Matrix{b.x}, []*mat.Dense{mat.NewDense(T, K, nil)})
			if !errors.Is(err, b.want) {
				t.Errorf("MStep: %v, want %v", err, b.want)
			}
		})
	}
}

func multiply(a, b *mat.Dense) *mat.Dense {
	var m mat.Dense
	m.MulElem(a, b)
	return &m
}

var (
	testRates = [][]float64{{0.5, 2, 7, 0.1}, {3, 3, 0.5, 1}, {6, 0.2, 2, 4}}
	testMeans = [][]float64{{-2, 0, 1}, {1, 1, -1}, {3, -2, 0}}
	testVars  = [][]float64{{0.5, 1, 2}, {1, 0.25, 1}, {2, 1, 0.1}}
)

func TestObservationConformance(t *testing.T) {
	cases := []obsCase{
		{
			name:  "Poisson",
			model: func() Observations { return &Poisson{Rates: fromRows(testRates)} },
			draw: func(rng *rand.Rand, k int, row []float64) {
				for n := range row {
					row[n] = poissonDraw(rng, testRates[k][n])
				}
			},
			logPDF: func(k int, row []float64) float64 {
				s := 0.0
				for n, v := range row {
					s += distuv.Poisson{Lambda: testRates[k][n]}.LogProb(v)
				}
				return s
			},
			bad: []badData{
				{"a fractional count", mat.NewDense(3, 4, []float64{0, 1, 2, 3, 1, 1, 1.5, 1, 0, 0, 0, 0}), neurotab.ErrOutOfRange, "bin 1, neuron 2"},
				{"a negative count", mat.NewDense(1, 4, []float64{0, -1, 2, 3}), neurotab.ErrOutOfRange, "bin 0, neuron 1"},
			},
		},
		{
			name:  "Gaussian",
			model: func() Observations { return &Gaussian{Means: fromRows(testMeans), Vars: fromRows(testVars)} },
			draw: func(rng *rand.Rand, k int, row []float64) {
				for n := range row {
					row[n] = testMeans[k][n] + math.Sqrt(testVars[k][n])*rng.NormFloat64()
				}
			},
			logPDF: func(k int, row []float64) float64 {
				s := 0.0
				for n, v := range row {
					s += distuv.Normal{Mu: testMeans[k][n], Sigma: math.Sqrt(testVars[k][n])}.LogProb(v)
				}
				return s
			},
			bad: []badData{
				{"+Inf", mat.NewDense(1, 3, []float64{0, math.Inf(1), 0}), neurotab.ErrNotFinite, "t=0, column 1"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runObservationConformance(t, c) })
	}
}

func TestObservationConstructors(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
	}{
		{"Poisson K=0", func() error { _, err := NewPoisson(0, 3); return err }()},
		{"Poisson N=0", func() error { _, err := NewPoisson(2, 0); return err }()},
		{"Gaussian K=0", func() error { _, err := NewGaussian(0, 3); return err }()},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !errors.Is(c.err, neurotab.ErrParam) {
				t.Errorf("err = %v, want ErrParam", c.err)
			}
		})
	}
	p := &Poisson{Rates: mat.NewDense(1, 1, []float64{0})}
	var ll mat.Dense
	if err := p.LogLikelihoodsTo(&ll, mat.NewDense(1, 1, []float64{1})); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("zero rate: %v", err)
	}
}

// TestGaussianVarianceFloor: a state whose weighted points are all equal
// gets the floor as variance, not zero (hand derivation: the weighted
// variance of {2, 2} is 0).
func TestGaussianVarianceFloor(t *testing.T) {
	for _, c := range []struct {
		name  string
		floor float64
		want  float64
	}{{"default", 0, DefaultVarianceFloor}, {"set", 0.5, 0.5}} {
		t.Run(c.name, func(t *testing.T) {
			g, _ := NewGaussian(2, 1)
			g.VarianceFloor = c.floor
			x := mat.NewDense(3, 1, []float64{2, 2, 7})
			w := mat.NewDense(3, 2, []float64{1, 0, 1, 0, 0, 1})
			if err := g.MStep([]mat.Matrix{x}, []*mat.Dense{w}); err != nil {
				t.Fatal(err)
			}
			if g.Means.At(0, 0) != 2 || g.Vars.At(0, 0) != c.want || g.Means.At(1, 0) != 7 || g.Vars.At(1, 0) != c.want {
				t.Errorf("means %v, vars %v; want 2, 7 and variance %v", mat.Col(nil, 0, g.Means), mat.Col(nil, 0, g.Vars), c.want)
			}
		})
	}
	g, _ := NewGaussian(1, 1)
	g.VarianceFloor = -1
	if err := g.MStep([]mat.Matrix{mat.NewDense(1, 1, []float64{0})}, []*mat.Dense{mat.NewDense(1, 1, []float64{1})}); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("negative floor: %v", err)
	}
}
