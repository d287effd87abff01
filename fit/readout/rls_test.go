package readout

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestRLSEqualsRidge: with λ = 1 and P₀ = I/δ, RLS after all samples
// minimizes Σ‖e‖² + δ‖W‖² exactly, so its weights equal the ridge solution
// with α = δ and no intercept. Expected values: numpy's np.linalg.solve of
// the normal equations (testdata/gen_reference.py, "ridge" cases with
// intercept False).
func TestRLSEqualsRidge(t *testing.T) {
	ref := loadReference(t)
	X, Y := dense(ref.X), dense(ref.Y)
	const tol = 1e-6
	for _, c := range ref.Ridge {
		if c.FitIntercept {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			r := RLS{Delta: c.Alpha}
			if err := r.Fit(X, Y); err != nil {
				t.Fatal(err)
			}
			var W mat.Dense
			must(t, r.WeightsTo(&W))
			e := relErr(&W, dense(c.W))
			t.Logf("RLS(δ=%g) vs numpy ridge(α=%g): relative error %.2g", c.Alpha, c.Alpha, e)
			if e > tol {
				t.Errorf("relative error %.3g > %g", e, tol)
			}
			if r.Samples() != len(ref.X) {
				t.Errorf("Samples = %d, want %d", r.Samples(), len(ref.X))
			}
		})
	}
}

// TestRLSForgetting: with λ < 1 RLS reaches the exponentially weighted ridge
// solution (λⁿδI + Σ λⁿ⁻ⁱ xᵢxᵢᵀ)⁻¹ Σ λⁿ⁻ⁱ xᵢyᵢᵀ, computed by numpy
// (testdata/gen_reference.py, "forget" cases).
func TestRLSForgetting(t *testing.T) {
	ref := loadReference(t)
	X, Y := dense(ref.X), dense(ref.Y)
	for _, c := range ref.Forget {
		t.Run(c.Name, func(t *testing.T) {
			r := RLS{Delta: c.Delta, Lambda: c.Lambda}
			if err := r.Fit(X, Y); err != nil {
				t.Fatal(err)
			}
			var W mat.Dense
			must(t, r.WeightsTo(&W))
			e := relErr(&W, dense(c.W))
			t.Logf("relative error %.2g", e)
			if e > 1e-6 {
				t.Errorf("relative error %.3g > 1e-6", e)
			}
		})
	}
}

// TestRLSRecoversExact: on a noise-free target Y0 = X W* (numpy, in
// reference.json) RLS with small δ recovers W*. What remains is the ridge
// bias −δ(XᵀX + δI)⁻¹W*, about 1.2e-3·δ relative for this X (numpy:
// max|(XᵀX)⁻¹W*| / max|W*| = 1.24e-3; eigenvalues of XᵀX 257 to 4580), so
// the tolerance scales with δ: the recursion itself adds no visible error,
// even from P₀ = 1e9·I.
func TestRLSRecoversExact(t *testing.T) {
	ref := loadReference(t)
	X, Y0, Wtrue := dense(ref.X), dense(ref.Y0), dense(ref.Wtrue)
	for _, c := range []struct {
		name  string
		delta float64
		tol   float64
	}{
		{"delta=1e-3", 1e-3, 2e-6},
		{"delta=1e-6", 1e-6, 2e-9},
		{"delta=1e-9", 1e-9, 1e-11},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := RLS{Delta: c.delta}
			if err := r.Fit(X, Y0); err != nil {
				t.Fatal(err)
			}
			var W mat.Dense
			must(t, r.WeightsTo(&W))
			e := relErr(&W, Wtrue)
			t.Logf("relative error from W*: %.2g", e)
			if e > c.tol {
				t.Errorf("relative error from W* %.3g > %g", e, c.tol)
			}
			// The a-priori prediction of a fresh sample is exact too.
			pred, err := predict(&r, X.Slice(0, 10, 0, 8))
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(pred, Y0.Slice(0, 10, 0, 3)); e > c.tol {
				t.Errorf("prediction relative error %.3g", e)
			}
		})
	}
}

// TestRLSUpdateMatchesFit: Update row by row from the zero value equals
// Fit, and Fit on non-Dense matrices equals Fit on Dense ones.
func TestRLSUpdateMatchesFit(t *testing.T) {
	X, Y, _, _ := seededData(21, 120, 6, 2, 0.2)
	a := RLS{Delta: 0.5, Lambda: 0.99}
	if err := a.Fit(X, Y); err != nil {
		t.Fatal(err)
	}
	b := RLS{Delta: 0.5, Lambda: 0.99}
	for i := range 120 {
		if err := b.Update(X.RawRowView(i), Y.RawRowView(i)); err != nil {
			t.Fatal(err)
		}
	}
	c := RLS{Delta: 0.5, Lambda: 0.99}
	if err := c.Fit(mat.DenseCopyOf(X.T()).T(), mat.DenseCopyOf(Y.T()).T()); err != nil {
		t.Fatal(err)
	}
	var wa, wb, wc mat.Dense
	must(t, a.WeightsTo(&wa))
	must(t, b.WeightsTo(&wb))
	must(t, c.WeightsTo(&wc))
	if !mat.Equal(&wa, &wb) || !mat.Equal(&wa, &wc) {
		t.Errorf("Fit, Update loop and Fit on views differ")
	}
	// Fit starts afresh: a second Fit gives the same weights.
	if err := a.Fit(X, Y); err != nil {
		t.Fatal(err)
	}
	var again mat.Dense
	must(t, a.WeightsTo(&again))
	if !mat.Equal(&wa, &again) {
		t.Error("second Fit did not start from P₀, W₀")
	}
}

// TestRLSTracksChange: with λ < 1 the readout follows a target whose weights
// switch half way; with λ = 1 it averages the two regimes.
func TestRLSTracksChange(t *testing.T) {
	rng := newRand(22)
	const T, F = 2000, 4
	w1 := []float64{1, -2, 0.5, 3}
	w2 := []float64{-1, 0, 2, 1}
	forget := RLS{Lambda: 0.97}
	keep := RLS{}
	x := make([]float64, F)
	y := make([]float64, 1)
	for i := range T {
		w := w1
		if i >= T/2 {
			w = w2
		}
		y[0] = 0
		for j := range x {
			x[j] = rng.NormFloat64()
			y[0] += w[j] * x[j]
		}
		if err := forget.Update(x, y); err != nil {
			t.Fatal(err)
		}
		if err := keep.Update(x, y); err != nil {
			t.Fatal(err)
		}
	}
	var wf, wk mat.Dense
	must(t, forget.WeightsTo(&wf))
	must(t, keep.WeightsTo(&wk))
	want := mat.NewDense(F, 1, w2)
	if e := relErr(&wf, want); e > 1e-6 {
		t.Errorf("λ=0.97: weights %v, want the second regime %v", mat.Col(nil, 0, &wf), w2)
	}
	if e := relErr(&wk, want); e < 0.1 {
		t.Errorf("λ=1 tracked the change (error %.3g); it should average both regimes", e)
	}
}

// TestRLSPositiveDefinite: after many updates with λ < 1, P (stored as an
// upper triangle, symmetric by construction) is still positive definite.
func TestRLSPositiveDefinite(t *testing.T) {
	X, Y, _, _ := seededData(23, 5000, 10, 1, 0.1)
	r := RLS{Delta: 1e-2, Lambda: 0.999}
	if err := r.Fit(X, Y); err != nil {
		t.Fatal(err)
	}
	var chol mat.Cholesky
	if !chol.Factorize(r.q) {
		t.Error("P is not positive definite after 5000 updates")
	}
}

func TestRLSZeroAllocs(t *testing.T) {
	X, Y, _, _ := seededData(24, 50, 20, 2, 0.1)
	for _, lambda := range []float64{1, 0.99} {
		r := RLS{Lambda: lambda}
		if err := r.Update(X.RawRowView(0), Y.RawRowView(0)); err != nil {
			t.Fatal(err)
		}
		i := 1
		allocs := testing.AllocsPerRun(40, func() {
			if err := r.Update(X.RawRowView(i), Y.RawRowView(i)); err != nil {
				t.Fatal(err)
			}
			i++
		})
		if allocs != 0 {
			t.Errorf("λ=%g: Update allocates %.1f times per sample", lambda, allocs)
		}
		dst := make([]float64, 2)
		allocs = testing.AllocsPerRun(10, func() {
			if _, err := r.PredictVec(dst, X.RawRowView(0)); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("PredictVec allocates %.1f times", allocs)
		}
	}
}

func TestRLSErrors(t *testing.T) {
	x := []float64{1, 2, 3}
	y := []float64{1}
	for _, c := range []struct {
		name  string
		r     RLS
		x, y  []float64
		want  error
		inMsg string
	}{
		{"negative-delta", RLS{Delta: -1}, x, y, neurotab.ErrParam, "Delta = -1"},
		{"nan-delta", RLS{Delta: math.NaN()}, x, y, neurotab.ErrParam, "Delta = NaN"},
		{"negative-lambda", RLS{Lambda: -0.5}, x, y, neurotab.ErrParam, "Lambda = -0.5"},
		{"lambda-above-one", RLS{Lambda: 1.01}, x, y, neurotab.ErrParam, "Lambda = 1.01"},
		{"empty-x", RLS{}, nil, y, neurotab.ErrShape, "at least one feature"},
		{"empty-y", RLS{}, x, nil, neurotab.ErrShape, "at least one feature"},
		{"nan-x", RLS{}, []float64{1, math.NaN(), 3}, y, neurotab.ErrNotFinite, "x[1] is NaN"},
		{"inf-y", RLS{}, x, []float64{math.Inf(1)}, neurotab.ErrNotFinite, "y[0] is +Inf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.r.Update(c.x, c.y)
			if !errors.Is(err, c.want) {
				t.Fatalf("Update error = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.inMsg) {
				t.Errorf("error %q does not name %q", err, c.inMsg)
			}
			if _, err := predict(&c.r, mat.NewDense(1, 3, nil)); !errors.Is(err, neurotab.ErrNotFitted) {
				t.Errorf("failed first Update created a state (Predict error %v)", err)
			}
		})
	}

	// Errors after the first sample leave the state unchanged.
	var r RLS
	if err := r.Update(x, y); err != nil {
		t.Fatal(err)
	}
	var before mat.Dense
	must(t, r.WeightsTo(&before))
	for _, c := range []struct {
		name string
		x, y []float64
		want error
	}{
		{"short-x", []float64{1, 2}, y, neurotab.ErrShape},
		{"long-y", x, []float64{1, 2}, neurotab.ErrShape},
		{"nan-y", x, []float64{math.NaN()}, neurotab.ErrNotFinite},
	} {
		if err := r.Update(c.x, c.y); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	var after mat.Dense
	must(t, r.WeightsTo(&after))
	if !mat.Equal(&before, &after) || r.Samples() != 1 {
		t.Error("a failed Update changed the state")
	}

	// Fit errors.
	X := mat.NewDense(4, 3, nil)
	if err := r.Fit(X, mat.NewDense(3, 1, nil)); !errors.Is(err, neurotab.ErrShape) ||
		!strings.Contains(err.Error(), "X has 4 rows, Y has 3") {
		t.Errorf("Fit with mismatched rows: %v", err)
	}
	Xn := mat.NewDense(4, 3, nil)
	Xn.Set(2, 0, math.NaN())
	if err := r.Fit(Xn, mat.NewDense(4, 1, nil)); !errors.Is(err, neurotab.ErrNotFinite) ||
		err.Error() != "readout: X[2,0] is NaN: not finite" {
		t.Errorf("Fit with NaN in row 2: %v", err)
	}
	if r.Samples() != 0 {
		t.Errorf("Fit with NaN left %d samples learned, want an unfitted readout", r.Samples())
	}
	var other RLS
	if err := other.Fit(emptyMatrix{0, 3}, emptyMatrix{0, 1}); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("Fit on empty input: %v", err)
	}
	if err := other.Fit(emptyMatrix{2, 0}, mat.NewDense(2, 1, nil)); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("Fit with no features: %v", err)
	}
	if err := (&RLS{Delta: -1}).Fit(X, mat.NewDense(4, 1, nil)); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("Fit with Delta = -1: %v", err)
	}
	// Lost positive definiteness: a P made indefinite by hand.
	var bad RLS
	if err := bad.Update(x, y); err != nil {
		t.Fatal(err)
	}
	bad.q.SetSym(0, 0, -1e6)
	if err := bad.Update(x, y); !errors.Is(err, neurotab.ErrSingular) {
		t.Errorf("indefinite P: %v, want neurotab.ErrSingular", err)
	}

	// Use errors, after two samples: from P₀ = I the first update gives
	// W = x y/(1 + xᵀx) = x/15 for x = (1, 2, 3), y = 1; the second, with
	// the same x, P x = x/15 and a-priori error 1 − 14/15, adds
	// (x/15)(1/15)/(1 + 14/15) = x/435, so ŷ = Wᵀx = 14/15 + 14/435 = 28/29.
	r.Reset()
	must(t, r.Update(x, y))
	must(t, r.Update(x, y))
	if got, err := r.PredictVec(nil, x); err != nil || math.Abs(got[0]-28.0/29) > 1e-15 {
		t.Errorf("PredictVec(nil, x) = %v, %v; want [28/29]", got, err)
	}
	var fresh RLS
	if _, err := fresh.PredictVec(nil, x); !errors.Is(err, neurotab.ErrNotFitted) {
		t.Errorf("PredictVec before Update: %v", err)
	}
	if _, err := r.PredictVec(nil, []float64{1}); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("PredictVec with short x: %v", err)
	}
	if _, err := r.PredictVec(make([]float64, 2), x); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("PredictVec with long dst: %v", err)
	}
	if _, err := predict(&r, mat.NewDense(2, 4, nil)); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("Predict with 4 features: %v", err)
	}
	r.Reset()
	if r.Samples() != 0 {
		t.Error("Reset kept samples")
	}
	if f, k := r.Dims(); f != 0 || k != 0 {
		t.Errorf("Reset kept dims %d, %d", f, k)
	}
}
