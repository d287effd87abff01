package readout

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestRidgeIssueExample is the example of issue 11: 100 samples of
// y = x·[10, −0.2, 7] + 12 + N(0, 0.1²) with λ = 1e-3 give W ≈ [9.99,
// −0.205, 6.99] and b ≈ 12.01. The data here are seeded (not the issue's
// draw), so the fit is checked against the normal equations of the
// augmented design A = [X 1], solved independently by LU,
//
//	(AᵀA + λ diag(1, 1, 1, 0)) [W; b] = Aᵀy,
//
// within 1e-9, and against the issue's values within 0.05. RLS (δ = λ, no
// intercept: a constant feature instead, penalized by λ too) converges to
// the same solution.
func TestRidgeIssueExample(t *testing.T) {
	const T, lambda = 100, 1e-3
	rng := newRand(2026)
	X := mat.NewDense(T, 3, nil)
	A := mat.NewDense(T, 4, nil)
	y := mat.NewDense(T, 1, nil)
	for i := range T {
		for j := range 3 {
			v := rng.NormFloat64()
			X.Set(i, j, v)
			A.Set(i, j, v)
		}
		A.Set(i, 3, 1)
		y.Set(i, 0, 10*X.At(i, 0)-0.2*X.At(i, 1)+7*X.At(i, 2)+12+0.1*rng.NormFloat64())
	}
	var ata, aty, beta mat.Dense
	ata.Mul(A.T(), A)
	for j := range 3 {
		ata.Set(j, j, ata.At(j, j)+lambda)
	}
	aty.Mul(A.T(), y)
	must(t, beta.Solve(&ata, &aty))
	want := mat.Col(nil, 0, &beta)

	r := Ridge{Alpha: lambda, FitIntercept: true}
	must(t, r.Fit(X, y))
	var w mat.Dense
	must(t, r.WeightsTo(&w))
	got := append(mat.Col(nil, 0, &w), intercept(t, &r)[0])
	if !floats.EqualApprox(got, want, 1e-9) {
		t.Errorf("Ridge [W; b] = %v, normal equations %v", got, want)
	}
	if issue := []float64{9.99, -0.205, 6.99, 12.01}; !floats.EqualApprox(got, issue, 0.05) {
		t.Errorf("Ridge [W; b] = %v, want within 0.05 of the issue's %v", got, issue)
	}
	t.Logf("W = %.4f, b = %.4f", got[:3], got[3])

	// RLS with a constant feature and λ = 1 is ridge on [X 1] with every
	// coefficient penalized by δ: the normal equations with diag(1,1,1,1).
	ata.Set(3, 3, ata.At(3, 3)+lambda)
	var beta2 mat.Dense
	must(t, beta2.Solve(&ata, &aty))
	rls := RLS{Delta: lambda}
	must(t, rls.Fit(A, y))
	var wr mat.Dense
	must(t, rls.WeightsTo(&wr))
	if g, w := mat.Col(nil, 0, &wr), mat.Col(nil, 0, &beta2); !floats.EqualApprox(g, w, 1e-8) {
		t.Errorf("RLS [W; b] = %v, normal equations %v", g, w)
	}
}

// TestRidgeWashout checks that Washout discards exactly the leading rows,
// in one Fit or spread over batches, on a *mat.Dense and on another Matrix.
func TestRidgeWashout(t *testing.T) {
	X, Y, _, _ := seededData(14, 120, 4, 2, 0.1)
	const wash = 10
	ref := Ridge{Alpha: 0.5, FitIntercept: true}
	must(t, ref.Fit(X.Slice(wash, 120, 0, 4), Y.Slice(wash, 120, 0, 2)))
	want := snapshot(&ref)
	for _, c := range []struct {
		name   string
		splits []int
		dense  bool
	}{
		{"one fit", nil, true},
		{"batches 3+5+rest", []int{0, 3, 8, 120}, true},
		{"batches 10+rest", []int{0, 10, 120}, true},
		{"batches 7+50+rest", []int{0, 7, 57, 120}, true},
		{"general matrix", []int{0, 4, 120}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Ridge{Alpha: 0.5, FitIntercept: true, Washout: wash}
			if c.splits == nil {
				must(t, r.Fit(X, Y))
			} else {
				for i := 0; i+1 < len(c.splits); i++ {
					lo, hi := c.splits[i], c.splits[i+1]
					var xb, yb mat.Matrix = X.Slice(lo, hi, 0, 4), Y.Slice(lo, hi, 0, 2)
					if !c.dense {
						xb, yb = mat.Transpose{Matrix: mat.DenseCopyOf(xb.T())}, mat.Transpose{Matrix: mat.DenseCopyOf(yb.T())}
					}
					must(t, r.Accumulate(xb, yb))
				}
				must(t, r.Solve())
			}
			if r.Samples() != 120-wash {
				t.Errorf("Samples = %d, want %d", r.Samples(), 120-wash)
			}
			if got := snapshot(&r); !floats.EqualApprox(got, want, 1e-10) {
				t.Errorf("fit %v, want the fit of rows %d.. %v", got, wash, want)
			}
		})
	}
	// NaN inside the washout is never looked at.
	nanX := mat.DenseCopyOf(X)
	nanX.Set(3, 1, math.NaN())
	r := Ridge{Alpha: 0.5, FitIntercept: true, Washout: wash}
	must(t, r.Fit(nanX, Y))
	if !floats.EqualApprox(snapshot(&r), want, 1e-10) {
		t.Error("NaN inside the washout changed the fit")
	}
	if err := (&Ridge{Washout: 120}).Fit(X, Y); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("washout of every row: %v, want ErrShape", err)
	}
}

// TestRidgeSVDFallback checks the minimum-norm solutions SVDFallback gives
// where Cholesky fails, against closed forms: a wide X (T < F) gives
// W = Xᵀ(XXᵀ)⁻¹Y; columns [a, 2a] fitting y = 5a give W = [1, 2]
// (the minimum-norm split of 5 along (1, 2)); and a positive definite
// system gives exactly the Cholesky solution.
func TestRidgeSVDFallback(t *testing.T) {
	wide, wideY, _, _ := seededData(12, 5, 10, 1, 0.1)
	var xxt, inv, xtinv, want mat.Dense
	xxt.Mul(wide, wide.T())
	must(t, inv.Inverse(&xxt))
	xtinv.Mul(wide.T(), &inv)
	want.Mul(&xtinv, wideY)
	r := Ridge{SVDFallback: true}
	must(t, r.Fit(wide, wideY))
	var w mat.Dense
	must(t, r.WeightsTo(&w))
	if !mat.EqualApprox(&w, &want, 1e-8) {
		t.Errorf("wide: W = %v, want Xᵀ(XXᵀ)⁻¹Y = %v", mat.Formatted(w.T()), mat.Formatted(want.T()))
	}

	rng := newRand(15)
	col := mat.NewDense(30, 2, nil)
	y := mat.NewDense(30, 1, nil)
	for i := range 30 {
		a := rng.NormFloat64()
		col.Set(i, 0, a)
		col.Set(i, 1, 2*a)
		y.Set(i, 0, 5*a)
	}
	r = Ridge{SVDFallback: true}
	if err := (&Ridge{}).Fit(col, y); !errors.Is(err, neurotab.ErrSingular) {
		t.Fatalf("collinear without fallback: %v, want ErrSingular", err)
	}
	must(t, r.Fit(col, y))
	var wc mat.Dense
	must(t, r.WeightsTo(&wc))
	if g := mat.Col(nil, 0, &wc); !floats.EqualApprox(g, []float64{1, 2}, 1e-9) {
		t.Errorf("collinear: W = %v, want [1 2]", g)
	}

	X, Y, _, _ := seededData(16, 50, 3, 2, 0.1)
	a, b := Ridge{Alpha: 1, FitIntercept: true}, Ridge{Alpha: 1, FitIntercept: true, SVDFallback: true}
	must(t, a.Fit(X, Y))
	must(t, b.Fit(X, Y))
	if !floats.Equal(snapshot(&a), snapshot(&b)) {
		t.Error("SVDFallback changed a fit Cholesky could do")
	}
	if err := (&Ridge{SVDFallback: true}).Fit(mat.NewDense(4, 2, nil), mat.NewDense(4, 1, []float64{1, 2, 3, 4})); !errors.Is(err, neurotab.ErrSingular) {
		t.Errorf("zero X with fallback: %v, want ErrSingular", err)
	}
}
