package glm

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestConcreteFixture compares the Concrete log density with the value in
// fixtures.json (the formula of the authors' distributions.py, equal to
// torch's RelaxedOneHotCategorical log_prob).
func TestConcreteFixture(t *testing.T) {
	raw, err := os.ReadFile(fixtures.Path(t, "analysis-reference", "fixtures.json"))
	if err != nil {
		t.Skip(err)
	}
	var fx struct {
		G struct {
			X, Mean []float64
			Tau     float64
			Value   float64
		} `json:"gumbel_softmax_logpdf"`
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	got := ConcreteLogPDF(fx.G.X, fx.G.Mean, fx.G.Tau)
	if d := math.Abs(got - fx.G.Value); d > 1e-12 {
		t.Errorf("Concrete log density %v, fixture %v", got, fx.G.Value)
	}
	// The logits form used in the M-step agrees, and its gradient matches
	// central differences.
	logPi := []float64{math.Log(0.3), math.Log(0.4), math.Log(0.3)}
	a := []float64{math.Log(0.2), math.Log(0.5), math.Log(0.3)}
	grad := make([]float64, 3)
	if v := concrete(logPi, a, fx.G.Tau, grad); math.Abs(v-fx.G.Value) > 1e-12 {
		t.Errorf("concrete(logits) %v, fixture %v", v, fx.G.Value)
	}
	for j := range 3 {
		h := 1e-6
		ap, am := append([]float64(nil), a...), append([]float64(nil), a...)
		ap[j] += h
		am[j] -= h
		fd := (concrete(logPi, ap, fx.G.Tau, nil) - concrete(logPi, am, fx.G.Tau, nil)) / (2 * h)
		if math.Abs(fd-grad[j]) > 1e-6 {
			t.Errorf("∂/∂a[%d] = %v, central difference %v", j, grad[j], fd)
		}
	}
}

// TestOneHotPriorFromSigns: log π ∝ strength · onehot(sign), so the sign's
// class has probability e^s/(2 + e^s) (hand derivation).
func TestOneHotPriorFromSigns(t *testing.T) {
	signs := mat.NewDense(2, 2, []float64{0, 1, -1, 0})
	p, err := OneHotPriorFromSigns(3, signs, 2, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	inh, none, exc := p.Prior()
	want := math.Exp(2) / (2 + math.Exp(2))
	for _, c := range []struct {
		name string
		got  float64
	}{{"exc[0][1]", exc.At(0, 1)}, {"inh[1][0]", inh.At(1, 0)}, {"none[0][0]", none.At(0, 0)}} {
		if math.Abs(c.got-want) > 1e-15 {
			t.Errorf("%s = %v, want %v", c.name, c.got, want)
		}
	}
	if !mat.Equal(p.Types(), signs) {
		t.Errorf("types %v, want the signs", mat.Formatted(p.Types()))
	}
}

// TestGaussianPriorMean: after an M-step W̄ is the mean of the state
// weights, and a tight prior (σ = 1e-3) pulls every state to it.
func TestGaussianPriorMean(t *testing.T) {
	for _, sigma := range []float64{1, 1e-3} {
		m := obsModel(t, Poisson, Softplus, 0)
		m.Prior, _ = NewGaussianPrior(2, sigma)
		m.MaxIter = 50
		z := make([]int, 3000)
		for i := range z {
			z[i] = i * 3 / 3000
		}
		x := sampleGLM(randSource(5), m, z, nil)
		w := mat.NewDense(3000, 3, nil)
		for i, k := range z {
			w.Set(i, k, 1)
		}
		for range 3 {
			if err := m.MStep([]mat.Matrix{x}, []*mat.Dense{w}); err != nil {
				t.Fatal(err)
			}
		}
		g := m.Prior.(*GaussianPrior) // the M-step works on a copy
		var mean mat.Dense
		mean.Add(m.Weights[0], m.Weights[1])
		mean.Add(&mean, m.Weights[2])
		mean.Scale(1.0/3, &mean)
		if !mat.EqualApprox(&mean, g.Mean, 1e-12) {
			t.Errorf("σ = %v: W̄ %v, mean of states %v", sigma, mat.Formatted(g.Mean), mat.Formatted(&mean))
		}
		spread := 0.0
		for k := range 3 {
			var d mat.Dense
			d.Sub(m.Weights[k], g.Mean)
			spread = math.Max(spread, mat.Norm(&d, math.Inf(1)))
		}
		t.Logf("σ = %v: max |W_k − W̄| = %.4f", sigma, spread)
		if sigma < 0.01 && spread > 0.02 {
			t.Errorf("σ = %v: states spread %v around W̄", sigma, spread)
		}
		if sigma == 1 && spread < 0.1 {
			t.Errorf("σ = 1: states collapsed (spread %v)", spread)
		}
	}
}
