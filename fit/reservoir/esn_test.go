package reservoir_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
)

// handESN is a 3-unit ESN written out by hand:
//
//	W = ⎡0    0.5  0   ⎤   W_in = ⎡0.2 −0.1⎤   W_fb = ⎡ 0.3⎤   b = ⎡ 0.05⎤
//	    ⎢0    0   −0.4 ⎥          ⎢0    0.4⎥          ⎢ 0  ⎥       ⎢−0.1 ⎥
//	    ⎣0.3  0.2  0   ⎦          ⎣0.1  0.1⎦          ⎣−0.2⎦       ⎣ 0   ⎦
//
// with leak rates α = (1, 0.5, 0.25).
func handESN(f reservoir.Activation, external bool) *reservoir.ESN {
	return &reservoir.ESN{
		W:            reservoir.NewCSR(mat.NewDense(3, 3, []float64{0, 0.5, 0, 0, 0, -0.4, 0.3, 0.2, 0})),
		In:           mat.NewDense(3, 2, []float64{0.2, -0.1, 0, 0.4, 0.1, 0.1}),
		Feedback:     mat.NewDense(3, 1, []float64{0.3, 0, -0.2}),
		Bias:         []float64{0.05, -0.1, 0},
		Leak:         []float64{1, 0.5, 0.25},
		Activation:   f,
		ExternalLeak: external,
	}
}

// TestStepByHand checks one step of handESN from x = (0.1, −0.2, 0.3) with
// u = (1, −1) and y = 0.5. The pre-activations a = W x + W_in u + W_fb y + b,
// summed by hand:
//
//	a₀ = 0.5·(−0.2) + (0.2 + 0.1) + 0.3·0.5 + 0.05           =  0.4
//	a₁ = −0.4·0.3   + (0 − 0.4)   + 0       − 0.1            = −0.62
//	a₂ = 0.3·0.1 + 0.2·(−0.2) + (0.1 − 0.1) − 0.2·0.5 + 0      = −0.11
//
// then x'ᵢ = (1 − αᵢ) xᵢ + αᵢ f(aᵢ); with the external leak from
// s = (0.2, 0.1, −0.1): s'ᵢ = (1 − αᵢ) sᵢ + αᵢ aᵢ = (0.4, −0.26, −0.1025)
// and x' = f(s').
func TestStepByHand(t *testing.T) {
	x := []float64{0.1, -0.2, 0.3}
	u, y := []float64{1, -1}, []float64{0.5}
	cases := []struct {
		name     string
		f        reservoir.Activation
		external bool
		z        []float64
		want     []float64
	}{
		{"tanh", reservoir.Tanh, false, x, []float64{
			math.Tanh(0.4), 0.5*(-0.2) + 0.5*math.Tanh(-0.62), 0.75*0.3 + 0.25*math.Tanh(-0.11)}},
		{"identity", reservoir.Identity, false, x, []float64{0.4, 0.5*(-0.2) + 0.5*(-0.62), 0.75*0.3 + 0.25*(-0.11)}},
		{"tanh external", reservoir.Tanh, true, append([]float64{0.2, 0.1, -0.1}, x...), []float64{
			0.4, -0.26, -0.1025, math.Tanh(0.4), math.Tanh(-0.26), math.Tanh(-0.1025)}},
		{"identity external", reservoir.Identity, true, append([]float64{0.2, 0.1, -0.1}, x...), []float64{
			0.4, -0.26, -0.1025, 0.4, -0.26, -0.1025}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := handESN(tc.f, tc.external)
			if err := e.Check(); err != nil {
				t.Fatal(err)
			}
			if e.StateLen() != len(tc.want) {
				t.Fatalf("StateLen %d, want %d", e.StateLen(), len(tc.want))
			}
			next := make([]float64, len(tc.want))
			e.Step(next, tc.z, u, y)
			for i := range next {
				if math.Abs(next[i]-tc.want[i]) > 1e-15 {
					t.Errorf("z'[%d] = %.17g, want %.17g", i, next[i], tc.want[i])
				}
			}
			obs := make([]float64, 3)
			e.Observe(obs, next)
			for i := range obs {
				if obs[i] != next[len(next)-3+i] {
					t.Errorf("Observe[%d] = %g, want %g", i, obs[i], next[len(next)-3+i])
				}
			}
		})
	}
}

// TestSpectralRadiusAfterRescaling: ρ(W) of a built W, from every
// eigenvalue of the dense W (gonum mat.Eigen here, independently of
// SpectralRadius), is ρ* to 1e-9.
func TestSpectralRadiusAfterRescaling(t *testing.T) {
	cases := []struct {
		name string
		c    reservoir.Config
	}{
		{"normal density 0.1", reservoir.Config{Units: 100, Density: 0.1, SpectralRadius: 0.9}},
		{"uniform density 0.05", reservoir.Config{Units: 300, Density: 0.05, Weights: reservoir.Uniform, SpectralRadius: 0.95, Seed: 4}},
		{"in-degree 10", reservoir.Config{Units: 200, InDegree: 10, SpectralRadius: 1.25, Seed: 5}},
		{"dense bernoulli", reservoir.Config{Units: 50, Density: 1, Weights: reservoir.Bernoulli, SpectralRadius: 0.12, Seed: 6}},
		{"orthogonal", reservoir.Config{Units: 80, Orthogonal: true, SpectralRadius: 0.99, Seed: 7}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := tc.c.New()
			if err != nil {
				t.Fatal(err)
			}
			var eig mat.Eigen
			if !eig.Factorize(e.W.Dense(), mat.EigenNone) {
				t.Fatal("eigen failed")
			}
			rho := 0.0
			for _, l := range eig.Values(nil) {
				rho = math.Max(rho, math.Hypot(real(l), imag(l)))
			}
			if math.Abs(rho-tc.c.SpectralRadius) > 1e-9 {
				t.Errorf("ρ(W) = %.15g, want ρ* = %g", rho, tc.c.SpectralRadius)
			}
			got, err := reservoir.SpectralRadius(e.W)
			if err != nil || math.Abs(got-rho) > 1e-12 {
				t.Errorf("SpectralRadius = %.15g, %v; want %.15g", got, err, rho)
			}
		})
	}
}

// TestSpectralRadiusArnoldi: above DenseEigenLimit SpectralRadius iterates.
// W is lower-triangular, so its eigenvalues are its diagonal (known by
// construction): 0.9·i/N for unit i, except one unit at −1, plus random
// strictly-lower entries; ρ = 1.
func TestSpectralRadiusArnoldi(t *testing.T) {
	n := reservoir.DenseEigenLimit + 100
	rng := neurotab.Seed(9).Rand(0)
	w := &reservoir.CSR{N: n, Indptr: make([]int, n+1)}
	for i := range n {
		for j := range i {
			if rng.Float64() < 2.0/float64(n) {
				w.Indices = append(w.Indices, int32(j))
				w.Data = append(w.Data, rng.NormFloat64())
			}
		}
		d := 0.9 * float64(i) / float64(n)
		if i == n/3 {
			d = -1
		}
		w.Indices = append(w.Indices, int32(i))
		w.Data = append(w.Data, d)
		w.Indptr[i+1] = len(w.Data)
	}
	rho, err := reservoir.SpectralRadius(w)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Arnoldi ρ = %.15g (exact 1)", rho)
	if math.Abs(rho-1) > 1e-9 {
		t.Errorf("ρ = %.15g, want 1", rho)
	}
}

// TestDeterministic: the same Config gives the same weights bit for bit; a
// different seed does not; and feedback (stream 4) leaves W and W_in alone.
func TestDeterministic(t *testing.T) {
	c := reservoir.Config{Units: 60, BiasScaling: 0.5, Inputs: 2, Seed: 42}
	a, err := c.New()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.New()
	if !same(a, b) {
		t.Error("two New of one Config differ")
	}
	c.Seed = 43
	d, _ := c.New()
	if same(a, d) {
		t.Error("seeds 42 and 43 give the same weights")
	}
	c.Seed, c.Feedback = 42, 2
	f, _ := c.New()
	if !mat.Equal(a.In, f.In) || !equalF(a.W.Data, f.W.Data) || !equalF(a.Bias, f.Bias) {
		t.Error("adding feedback changed W, W_in or b")
	}
	if r, k := f.Feedback.Dims(); r != 60 || k != 2 {
		t.Errorf("W_fb is %d×%d, want 60×2", r, k)
	}
}

func same(a, b *reservoir.ESN) bool {
	if len(a.W.Indices) != len(b.W.Indices) {
		return false
	}
	for i := range a.W.Indices {
		if a.W.Indices[i] != b.W.Indices[i] {
			return false
		}
	}
	return equalF(a.W.Data, b.W.Data) && equalF(a.In.RawMatrix().Data, b.In.RawMatrix().Data) && equalF(a.Bias, b.Bias)
}

func equalF(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// TestStructure checks what each weight option promises, value by value.
func TestStructure(t *testing.T) {
	t.Run("orthogonal WᵀW = ρ*² I", func(t *testing.T) {
		e, err := reservoir.Config{Units: 40, Orthogonal: true, SpectralRadius: 0.8}.New()
		if err != nil {
			t.Fatal(err)
		}
		w := e.W.Dense()
		var g mat.Dense
		g.Mul(w.T(), w)
		for i := range 40 {
			for j := range 40 {
				want := 0.0
				if i == j {
					want = 0.64
				}
				if math.Abs(g.At(i, j)-want) > 1e-12 {
					t.Fatalf("(WᵀW)[%d][%d] = %g, want %g", i, j, g.At(i, j), want)
				}
			}
		}
	})
	t.Run("in-degree", func(t *testing.T) {
		e, err := reservoir.Config{Units: 50, InDegree: 7}.New()
		if err != nil {
			t.Fatal(err)
		}
		for i := range 50 {
			lo, hi := e.W.Indptr[i], e.W.Indptr[i+1]
			if hi-lo != 7 {
				t.Fatalf("unit %d has in-degree %d, want 7", i, hi-lo)
			}
			for p := lo + 1; p < hi; p++ {
				if e.W.Indices[p] <= e.W.Indices[p-1] {
					t.Fatalf("unit %d: presynaptic units not distinct and increasing: %v", i, e.W.Indices[lo:hi])
				}
			}
		}
	})
	t.Run("density", func(t *testing.T) {
		// 200² entries kept with probability 0.1: 4000 expected, σ = 60.
		e, err := reservoir.Config{Units: 200, Density: 0.1}.New()
		if err != nil {
			t.Fatal(err)
		}
		if nnz := e.W.NNZ(); nnz < 4000-5*60 || nnz > 4000+5*60 {
			t.Errorf("%d non-zeros, want 4000 ± 300", nnz)
		}
	})
	t.Run("per-feature input scaling", func(t *testing.T) {
		e, err := reservoir.Config{Units: 30, Inputs: 3, InputDensity: 1, InputScalings: []float64{1, 0, 2.5}}.New()
		if err != nil {
			t.Fatal(err)
		}
		for i := range 30 {
			// Bernoulli ±1 entries, dense, scaled per column.
			for j, s := range []float64{1, 0, 2.5} {
				if got := math.Abs(e.In.At(i, j)); got != s {
					t.Fatalf("|W_in[%d][%d]| = %g, want %g", i, j, got, s)
				}
			}
		}
	})
	t.Run("uniform input weights and bias", func(t *testing.T) {
		e, err := reservoir.Config{Units: 30, InputDensity: 1, InputWeights: reservoir.Uniform, InputScaling: 0.3, BiasScaling: 0.2}.New()
		if err != nil {
			t.Fatal(err)
		}
		for i := range 30 {
			if v := e.In.At(i, 0); v == 0 || math.Abs(v) > 0.3 {
				t.Errorf("W_in[%d] = %g, want in [−0.3, 0.3] \\ {0}", i, v)
			}
			if v := e.Bias[i]; v == 0 || math.Abs(v) > 0.2 {
				t.Errorf("b[%d] = %g, want in [−0.2, 0.2] \\ {0}", i, v)
			}
		}
	})
	t.Run("per-unit leak", func(t *testing.T) {
		leaks := []float64{1, 0.5, 0.25, 0.125}
		e, err := reservoir.Config{Units: 4, Density: 1, Leak: 0.9, Leaks: leaks}.New()
		if err != nil {
			t.Fatal(err)
		}
		if !equalF(e.Leak, leaks) {
			t.Errorf("leaks %v, want %v", e.Leak, leaks)
		}
		e, _ = reservoir.Config{Units: 4, Density: 1, Leak: 0.9}.New()
		if !equalF(e.Leak, []float64{0.9, 0.9, 0.9, 0.9}) {
			t.Errorf("leaks %v, want 0.9 each", e.Leak)
		}
	})
	t.Run("no bias by default", func(t *testing.T) {
		e, err := reservoir.Config{}.New()
		if err != nil {
			t.Fatal(err)
		}
		if e.Bias != nil || e.Feedback != nil {
			t.Error("zero Config has a bias or feedback")
		}
		if d, n, k := e.Dims(); d != 1 || n != 100 || k != 0 {
			t.Errorf("Dims = %d, %d, %d; want 1, 100, 0", d, n, k)
		}
	})
}

// TestCheck: every bad configuration is refused with ErrParam and a
// message starting with the package name, by Check and by New.
func TestCheck(t *testing.T) {
	bad := map[string]reservoir.Config{
		"units":           {Units: -1},
		"inputs":          {Inputs: -2},
		"feedback":        {Feedback: -1},
		"activation":      {Activation: 7},
		"leak":            {Leak: 1.5},
		"leaks length":    {Units: 3, Leaks: []float64{1, 1}},
		"leaks value":     {Units: 2, Leaks: []float64{1, 0}},
		"density":         {Density: 1.2},
		"in-degree":       {Units: 5, InDegree: 6},
		"weights":         {Weights: 9},
		"spectral radius": {SpectralRadius: -0.5},
		"radius NaN":      {SpectralRadius: math.NaN()},
		"input scaling":   {InputScaling: math.Inf(1)},
		"scalings length": {Inputs: 2, InputScalings: []float64{1}},
		"scalings value":  {InputScalings: []float64{-1}},
		"input density":   {InputDensity: -0.1},
		"input weights":   {InputWeights: -1},
		"bias":            {BiasScaling: -1},
		"fb scaling":      {FeedbackScaling: -1},
		"fb density":      {FeedbackDensity: 2},
	}
	for name, c := range bad {
		t.Run(name, func(t *testing.T) {
			err := c.Check()
			if !errors.Is(err, neurotab.ErrParam) || !strings.HasPrefix(err.Error(), "reservoir: ") {
				t.Fatalf("Check = %v, want a reservoir: … ErrParam", err)
			}
			if _, err := c.New(); !errors.Is(err, neurotab.ErrParam) {
				t.Errorf("New = %v, want ErrParam", err)
			}
		})
	}
	if err := (reservoir.Config{}).Check(); err != nil {
		t.Errorf("zero Config: %v", err)
	}
	// A W with one non-zero off the diagonal is nilpotent: ρ = 0 cannot be
	// rescaled. Seed 0 at N = 5, density 0.1 draws exactly that W.
	c := reservoir.Config{Units: 5, InDegree: 0, Density: 0.1}
	if _, err := c.New(); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("New of a ρ = 0 W: %v, want ErrParam", err)
	}
}

// TestESNCheck: a hand-made ESN with an inconsistency is refused.
func TestESNCheck(t *testing.T) {
	cases := map[string]struct {
		mod  func(e *reservoir.ESN)
		want error
	}{
		"W_in rows":   {func(e *reservoir.ESN) { e.In = mat.NewDense(2, 1, nil) }, neurotab.ErrShape},
		"W_fb rows":   {func(e *reservoir.ESN) { e.Feedback = mat.NewDense(4, 1, nil) }, neurotab.ErrShape},
		"bias length": {func(e *reservoir.ESN) { e.Bias = []float64{1} }, neurotab.ErrShape},
		"gain length": {func(e *reservoir.ESN) { e.Gain = []float64{1, 1} }, neurotab.ErrShape},
		"gain Inf":    {func(e *reservoir.ESN) { e.Gain = []float64{1, math.Inf(1), 1} }, neurotab.ErrNotFinite},
		"leak length": {func(e *reservoir.ESN) { e.Leak = e.Leak[:2] }, neurotab.ErrShape},
		"leak value":  {func(e *reservoir.ESN) { e.Leak[1] = 0 }, neurotab.ErrParam},
		"W NaN":       {func(e *reservoir.ESN) { e.W.Data[0] = math.NaN() }, neurotab.ErrNotFinite},
		"W_in Inf":    {func(e *reservoir.ESN) { e.In.Set(0, 0, math.Inf(-1)) }, neurotab.ErrNotFinite},
		"bias NaN":    {func(e *reservoir.ESN) { e.Bias[2] = math.NaN() }, neurotab.ErrNotFinite},
		"W index":     {func(e *reservoir.ESN) { e.W.Indices[0] = 3 }, neurotab.ErrShape},
		"W indptr":    {func(e *reservoir.ESN) { e.W.Indptr = e.W.Indptr[:3] }, neurotab.ErrShape},
		"activation":  {func(e *reservoir.ESN) { e.Activation = 5 }, neurotab.ErrParam},
		"no W":        {func(e *reservoir.ESN) { e.W = nil }, neurotab.ErrShape},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := handESN(reservoir.Tanh, false)
			tc.mod(e)
			if err := e.Check(); !errors.Is(err, tc.want) {
				t.Errorf("Check = %v, want %v", err, tc.want)
			}
		})
	}
}
