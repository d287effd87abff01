package reservoir_test

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
)

// TestIntrinsicPlasticityByHand: one tanh unit with W = 0.5, W_in = 1, no
// leak, inputs 0.3 then −0.2, μ = 0.1, σ = 0.5, η = 0.01, written out step
// by step from Schrauwen et al. (2008):
//
//	step 1: a₁ = 0.3 (x = 0), y₁ = tanh(a₁), Δb₁ from y₁, g₁ = 1 + η + Δb₁ a₁, b₁ = Δb₁
//	step 2: a₂ = 0.5 y₁ − 0.2, y₂ = tanh(g₁ a₂ + b₁), g₂ = g₁ + η/g₁ + Δb₂ a₂, b₂ = b₁ + Δb₂
//
// with Δb = −η(−μ/σ² + (y/σ²)(2σ² + 1 − y² + μy)).
func TestIntrinsicPlasticityByHand(t *testing.T) {
	const mu, sigma, eta = 0.1, 0.5, 0.01
	db := func(y float64) float64 {
		s2 := sigma * sigma
		return -eta * (-mu/s2 + y/s2*(2*s2+1-y*y+mu*y))
	}
	a1 := 0.3
	y1 := math.Tanh(a1)
	g1 := 1 + eta + db(y1)*a1
	b1 := db(y1)
	a2 := 0.5*y1 - 0.2
	y2 := math.Tanh(g1*a2 + b1)
	g2 := g1 + eta/g1 + db(y2)*a2
	b2 := b1 + db(y2)

	e := &reservoir.ESN{
		W:    reservoir.NewCSR(mat.NewDense(1, 1, []float64{0.5})),
		In:   mat.NewDense(1, 1, []float64{1}),
		Leak: []float64{1},
	}
	ip := reservoir.IntrinsicPlasticity{Mu: mu, Sigma: sigma, Eta: eta}
	if err := ip.Fit(e, mat.NewDense(2, 1, []float64{0.3, -0.2})); err != nil {
		t.Fatal(err)
	}
	if math.Abs(e.Gain[0]-g2) > 1e-15 || math.Abs(e.Bias[0]-b2) > 1e-15 {
		t.Errorf("gain %.17g, bias %.17g; want %.17g, %.17g", e.Gain[0], e.Bias[0], g2, b2)
	}
	// The adapted unit steps with y = tanh(g·a + b).
	next := make([]float64, 1)
	e.Step(next, []float64{0.4}, []float64{0.1}, nil)
	if want := math.Tanh(g2*(0.5*0.4+0.1) + b2); math.Abs(next[0]-want) > 1e-15 {
		t.Errorf("step after IP %.17g, want %.17g", next[0], want)
	}
}

// unitStats returns the mean over units of |mean_i − μ| and |std_i − σ| of
// the activity X (T×N) after a washout of 100 steps.
func unitStats(X *mat.Dense, mu, sigma float64) (dMean, dStd float64) {
	t, n := X.Dims()
	for j := range n {
		var m, v float64
		for i := 100; i < t; i++ {
			m += X.At(i, j)
		}
		m /= float64(t - 100)
		for i := 100; i < t; i++ {
			v += (X.At(i, j) - m) * (X.At(i, j) - m)
		}
		v /= float64(t - 100)
		dMean += math.Abs(m-mu) / float64(n)
		dStd += math.Abs(math.Sqrt(v)-sigma) / float64(n)
	}
	return dMean, dStd
}

// TestIntrinsicPlasticityMoves: on a saturated reservoir (input scaling 2,
// bias 0.5) IP towards N(0, 0.2²) brings the units' standard deviations to
// 0.2 and their means to 0, on held-out input (measured: mean |std − σ|
// 0.49 → 0.009, mean |mean − μ| 0.24 → 0.002; asserted < 0.05 and < 0.02).
func TestIntrinsicPlasticityMoves(t *testing.T) {
	e, err := reservoir.Config{Units: 50, InputDensity: 1, InputScaling: 2, BiasScaling: 0.5, Seed: 4}.New()
	if err != nil {
		t.Fatal(err)
	}
	rng := neurotab.Seed(5).Rand(0)
	U := mat.NewDense(2000, 1, nil)
	test := mat.NewDense(2000, 1, nil)
	for i := range 2000 {
		U.Set(i, 0, 2*rng.Float64()-1)
		test.Set(i, 0, 2*rng.Float64()-1)
	}
	var before, after mat.Dense
	if err := reservoir.NewRunner(e).Run(&before, test); err != nil {
		t.Fatal(err)
	}
	mb, sb := unitStats(&before, 0, 0.2)
	ip := reservoir.IntrinsicPlasticity{Sigma: 0.2, Eta: 1e-3, Epochs: 5}
	if err := ip.Fit(e, U); err != nil {
		t.Fatal(err)
	}
	if err := reservoir.NewRunner(e).Run(&after, test); err != nil {
		t.Fatal(err)
	}
	ma, sa := unitStats(&after, 0, 0.2)
	t.Logf("mean |std − σ|: %.4f → %.4f; mean |mean − μ|: %.4f → %.4f", sb, sa, mb, ma)
	if sa > 0.05 {
		t.Errorf("|std − σ| %.4f → %.4f, want < 0.05", sb, sa)
	}
	if ma > 0.02 {
		t.Errorf("|mean − μ| = %.4f after IP, want < 0.02", ma)
	}
}

// TestIntrinsicPlasticityErrors: bad settings, a non-tanh or external-leak
// ESN and bad input are refused, and a failed Fit leaves the ESN alone.
func TestIntrinsicPlasticityErrors(t *testing.T) {
	newESN := func(c reservoir.Config) *reservoir.ESN {
		c.Units, c.Density = 5, 1
		e, err := c.New()
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	nan := mat.NewDense(3, 1, []float64{0, math.NaN(), 0})
	cases := map[string]struct {
		ip   reservoir.IntrinsicPlasticity
		e    *reservoir.ESN
		U    mat.Matrix
		want error
	}{
		"mu":       {reservoir.IntrinsicPlasticity{Mu: 1}, newESN(reservoir.Config{}), mat.NewDense(3, 1, nil), neurotab.ErrParam},
		"sigma":    {reservoir.IntrinsicPlasticity{Sigma: -1}, newESN(reservoir.Config{}), mat.NewDense(3, 1, nil), neurotab.ErrParam},
		"eta":      {reservoir.IntrinsicPlasticity{Eta: math.Inf(1)}, newESN(reservoir.Config{}), mat.NewDense(3, 1, nil), neurotab.ErrParam},
		"epochs":   {reservoir.IntrinsicPlasticity{Epochs: -1}, newESN(reservoir.Config{}), mat.NewDense(3, 1, nil), neurotab.ErrParam},
		"identity": {reservoir.IntrinsicPlasticity{}, newESN(reservoir.Config{Activation: reservoir.Identity}), mat.NewDense(3, 1, nil), neurotab.ErrParam},
		"external": {reservoir.IntrinsicPlasticity{}, newESN(reservoir.Config{ExternalLeak: true}), mat.NewDense(3, 1, nil), neurotab.ErrParam},
		"columns":  {reservoir.IntrinsicPlasticity{}, newESN(reservoir.Config{}), mat.NewDense(3, 2, nil), neurotab.ErrShape},
		"NaN":      {reservoir.IntrinsicPlasticity{}, newESN(reservoir.Config{}), nan, neurotab.ErrNotFinite},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if err := tc.ip.Fit(tc.e, tc.U); !errors.Is(err, tc.want) {
				t.Errorf("Fit = %v, want %v", err, tc.want)
			}
			if tc.e.Gain != nil || tc.e.Bias != nil {
				t.Error("a failed Fit changed the ESN")
			}
		})
	}
	p := reservoir.IntrinsicPlasticity{}.Parameters()
	if p["mu"] != 0.0 || p["sigma"] != 1.0 || p["eta"] != 5e-4 || p["epochs"] != 1 {
		t.Errorf("default parameters %v", p)
	}
}
