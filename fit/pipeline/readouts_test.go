package pipeline

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neurotab/neurotab/fit/readout"
	"gonum.org/v1/gonum/mat"
)

// noisyLinear returns X (n×F, N(0,1)) and Y = X W + b + 0.1·N(0,1).
func noisyLinear(n, F, K int) (*mat.Dense, *mat.Dense) {
	rng := rand.New(rand.NewPCG(3, 4))
	X := mat.NewDense(n, F, nil)
	Y := mat.NewDense(n, K, nil)
	for i := range n {
		for j := range F {
			X.Set(i, j, rng.NormFloat64())
		}
		for k := range K {
			v := 0.5 + float64(k)
			for j := range F {
				v += X.At(i, j) * float64(j-k) / float64(F)
			}
			Y.Set(i, k, v+0.1*rng.NormFloat64())
		}
	}
	return X, Y
}

// RLS with λ = 1 and the intercept as a constant feature is ridge with
// α = δ on [X, 1] (readout.RLS's doc; the constant's weight is penalized
// too), so its affine map equals that ridge's to 1e-8.
func TestReadoutRLSIsRidge(t *testing.T) {
	X, Y := noisyLinear(300, 6, 2)
	a, err := Readout{Kind: ReadoutRLS, RLS: readout.RLS{Delta: 5}}.fit(0, true, X, Y)
	if err != nil {
		t.Fatal(err)
	}
	n, F := X.Dims()
	Xa := mat.NewDense(n, F+1, nil)
	for i := range n {
		copy(Xa.RawRowView(i), X.RawRowView(i))
		Xa.Set(i, F, 1)
	}
	r, err := ridgeAffine(5, false, Xa, Y)
	if err != nil {
		t.Fatal(err)
	}
	for k := range 2 {
		for j := range F {
			if d := math.Abs(a.W.At(j, k) - r.W.At(j, k)); d > 1e-8 {
				t.Errorf("W[%d][%d] differs by %g", j, k, d)
			}
		}
		if d := math.Abs(a.B[k] - r.W.At(F, k)); d > 1e-8 {
			t.Errorf("b[%d] differs by %g", k, d)
		}
	}
}

// The oja readout's collapsed map W = P W_z, b = b_z − μᵀP W_z predicts
// what the two stages predict: ridge on z = (f − μ)P (1e-10); with as
// many components as features and a converged subspace it is close to
// ridge on the features themselves.
func TestReadoutOjaCollapse(t *testing.T) {
	X, Y := noisyLinear(400, 5, 2)
	ro := Readout{Kind: ReadoutOja, Oja: readout.Hebbian{Outputs: 5, Rate: 0.005, Epochs: 30, Seed: 1}}
	a, err := ro.fit(1e-6, true, X, Y)
	if err != nil {
		t.Fatal(err)
	}
	// Two stages by hand.
	n, F := X.Dims()
	mu := make([]float64, F)
	for i := range n {
		for j := range F {
			mu[j] += X.At(i, j) / float64(n)
		}
	}
	Xc := mat.NewDense(n, F, nil)
	for i := range n {
		for j := range F {
			Xc.Set(i, j, X.At(i, j)-mu[j])
		}
	}
	h := ro.oja()
	if err := h.Fit(Xc); err != nil {
		t.Fatal(err)
	}
	var P, Z mat.Dense
	if err := h.WeightsTo(&P); err != nil {
		t.Fatal(err)
	}
	Z.Mul(Xc, &P)
	az, err := ridgeAffine(1e-6, true, &Z, Y)
	if err != nil {
		t.Fatal(err)
	}
	direct, twoStage := a.predict(X), az.predict(&Z)
	if !mat.EqualApprox(direct, twoStage, 1e-10) {
		t.Error("the collapsed oja map predicts differently from its two stages")
	}
	ols, err := ridgeAffine(1e-6, true, X, Y)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.EqualApprox(direct, ols.predict(X), 1e-4) {
		t.Error("a full-rank oja readout is not the least-squares fit")
	}
}
