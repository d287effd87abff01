package readout

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestRidgeReference compares weights, intercepts and predictions with
// numpy's np.linalg.solve of the normal equations and, separately, with
// sklearn.linear_model.Ridge(solver="cholesky") (testdata/gen_reference.py).
func TestRidgeReference(t *testing.T) {
	ref := loadReference(t)
	X, Y, Xtest := dense(ref.X), dense(ref.Y), dense(ref.Xtest)
	const tol = 1e-8
	for _, c := range ref.Ridge {
		t.Run(c.Name, func(t *testing.T) {
			r := Ridge{Alpha: c.Alpha, FitIntercept: c.FitIntercept}
			if err := r.Fit(X, Y); err != nil {
				t.Fatal(err)
			}
			var W mat.Dense
			r.WeightsTo(&W)
			b := r.InterceptTo(nil)
			for _, want := range []struct {
				src string
				W   [][]float64
				b   []float64
			}{
				{"numpy", c.W, c.B},
				{"sklearn", c.SklearnW, c.SklearnB},
			} {
				if want.W == nil {
					t.Logf("no %s values in reference.json", want.src)
					continue
				}
				e := relErr(&W, dense(want.W))
				t.Logf("W vs %s: relative error %.2g", want.src, e)
				if e > tol {
					t.Errorf("W vs %s: relative error %.3g > %g", want.src, e, tol)
				}
				if e := relErrVec(b, want.b); e > tol {
					t.Errorf("b vs %s: relative error %.3g > %g\n got %v\nwant %v", want.src, e, tol, b, want.b)
				}
			}
			pred, err := r.Predict(Xtest)
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(pred, dense(c.Predict)); e > tol {
				t.Errorf("Predict vs numpy Xtest W + b: relative error %.3g > %g", e, tol)
			}
			// PredictVec gives the rows of Predict, into a given or a new dst.
			if got, err := r.PredictVec(nil, ref.Xtest[0]); err != nil || relErrVec(got, pred.RawRowView(0)) > 1e-14 {
				t.Errorf("PredictVec(nil, x) = %v, %v; want %v", got, err, pred.RawRowView(0))
			}
			dst := make([]float64, 3)
			for i := range 5 {
				if _, err := r.PredictVec(dst, ref.Xtest[i]); err != nil {
					t.Fatal(err)
				}
				if e := relErrVec(dst, pred.RawRowView(i)); e > 1e-14 {
					t.Errorf("PredictVec row %d = %v, Predict %v", i, dst, pred.RawRowView(i))
				}
			}
		})
	}
}

// TestRidgeBatches checks the property "two batches give the same fit as
// one": any split of the rows into Accumulate calls gives the weights of a
// single Fit (up to rounding), with and without intercept.
func TestRidgeBatches(t *testing.T) {
	X, Y, _, _ := seededData(7, 400, 12, 4, 0.3)
	splits := []struct {
		name string
		cuts []int
	}{
		{"one", []int{400}},
		{"halves", []int{200, 400}},
		{"uneven", []int{1, 3, 250, 399, 400}},
		{"rows", func() []int {
			c := make([]int, 400)
			for i := range c {
				c[i] = i + 1
			}
			return c
		}()},
	}
	for _, intercept := range []bool{false, true} {
		whole := Ridge{Alpha: 0.5, FitIntercept: intercept}
		if err := whole.Fit(X, Y); err != nil {
			t.Fatal(err)
		}
		var want mat.Dense
		whole.WeightsTo(&want)
		wantB := whole.InterceptTo(nil)
		for _, s := range splits {
			name := s.name + map[bool]string{false: "/no-intercept", true: "/intercept"}[intercept]
			t.Run(name, func(t *testing.T) {
				r := Ridge{Alpha: 0.5, FitIntercept: intercept}
				lo := 0
				for _, hi := range s.cuts {
					if err := r.Accumulate(X.Slice(lo, hi, 0, 12), Y.Slice(lo, hi, 0, 4)); err != nil {
						t.Fatal(err)
					}
					lo = hi
				}
				if r.Samples() != 400 {
					t.Errorf("Samples = %d, want 400", r.Samples())
				}
				if err := r.Solve(); err != nil {
					t.Fatal(err)
				}
				var got mat.Dense
				r.WeightsTo(&got)
				if e := relErr(&got, &want); e > 1e-11 {
					t.Errorf("W: relative error %.3g from one-batch fit", e)
				}
				if e := relErrVec(r.InterceptTo(nil), wantB); e > 1e-11 {
					t.Errorf("b: relative error %.3g from one-batch fit", e)
				}
			})
		}
	}
}

// TestRidgeResolve checks that Solve with another Alpha or FitIntercept on
// the same statistics equals a fresh Fit with those settings.
func TestRidgeResolve(t *testing.T) {
	X, Y, _, _ := seededData(8, 150, 6, 2, 0.2)
	var r Ridge
	if err := r.Accumulate(X, Y); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		alpha     float64
		intercept bool
	}{{0, false}, {3, true}, {0.01, false}, {100, true}} {
		r.Alpha, r.FitIntercept = c.alpha, c.intercept
		if err := r.Solve(); err != nil {
			t.Fatal(err)
		}
		fresh := Ridge{Alpha: c.alpha, FitIntercept: c.intercept}
		if err := fresh.Fit(X, Y); err != nil {
			t.Fatal(err)
		}
		var a, b mat.Dense
		r.WeightsTo(&a)
		fresh.WeightsTo(&b)
		if e := relErr(&a, &b); e > 1e-12 {
			t.Errorf("alpha=%g intercept=%t: re-solve differs from fresh fit by %.3g", c.alpha, c.intercept, e)
		}
	}
}

// TestRidgeInvariances: with an intercept, adding a constant to a feature
// column changes only b (centring removes it), and adding c to Y adds c to b.
// Without intercept and α = 0 (OLS), a noise-free Y = X W* gives W* back.
func TestRidgeInvariances(t *testing.T) {
	X, Y, Wtrue, _ := seededData(9, 200, 5, 3, 0.5)
	base := Ridge{Alpha: 2, FitIntercept: true}
	if err := base.Fit(X, Y); err != nil {
		t.Fatal(err)
	}
	var W0 mat.Dense
	base.WeightsTo(&W0)
	b0 := base.InterceptTo(nil)

	t.Run("shift-X", func(t *testing.T) {
		Xs := mat.DenseCopyOf(X)
		for i := range 200 {
			Xs.Set(i, 2, Xs.At(i, 2)+1000)
		}
		r := base
		if err := r.Fit(Xs, Y); err != nil {
			t.Fatal(err)
		}
		var W mat.Dense
		r.WeightsTo(&W)
		// A shift of 1000 is 1000 times the column's spread: the centred
		// statistics keep ~9 digits.
		if e := relErr(&W, &W0); e > 1e-9 {
			t.Errorf("W changed by %.3g when a feature was shifted", e)
		}
		// b shifts by −1000·W[2,:].
		want := make([]float64, 3)
		for j := range want {
			want[j] = b0[j] - 1000*W0.At(2, j)
		}
		if e := relErrVec(r.InterceptTo(nil), want); e > 1e-9 {
			t.Errorf("b = %v, want %v", r.InterceptTo(nil), want)
		}
	})
	t.Run("shift-Y", func(t *testing.T) {
		Ys := mat.DenseCopyOf(Y)
		for i := range 200 {
			for j := range 3 {
				Ys.Set(i, j, Ys.At(i, j)+float64(j+1))
			}
		}
		r := base
		if err := r.Fit(X, Ys); err != nil {
			t.Fatal(err)
		}
		var W mat.Dense
		r.WeightsTo(&W)
		if e := relErr(&W, &W0); e > 1e-12 {
			t.Errorf("W changed by %.3g when Y was shifted", e)
		}
		want := []float64{b0[0] + 1, b0[1] + 2, b0[2] + 3}
		if e := relErrVec(r.InterceptTo(nil), want); e > 1e-12 {
			t.Errorf("b = %v, want %v", r.InterceptTo(nil), want)
		}
	})
	t.Run("ols-exact", func(t *testing.T) {
		Y0 := mat.NewDense(200, 3, nil)
		Y0.Mul(X, Wtrue)
		var r Ridge // zero value: OLS without intercept
		if err := r.Fit(X, Y0); err != nil {
			t.Fatal(err)
		}
		var W mat.Dense
		r.WeightsTo(&W)
		if e := relErr(&W, Wtrue); e > 1e-10 {
			t.Errorf("OLS on noise-free data: W off W* by %.3g", e)
		}
		if b := r.InterceptTo(nil); b[0] != 0 || b[1] != 0 || b[2] != 0 {
			t.Errorf("intercept without FitIntercept = %v, want zeros", b)
		}
	})
}

// TestRidgeGeneralMatrix fits from mat.Matrix values that are not *Dense
// (a transpose view) and gets the same weights.
func TestRidgeGeneralMatrix(t *testing.T) {
	X, Y, _, _ := seededData(10, 60, 4, 2, 0.1)
	XT := mat.DenseCopyOf(X.T())
	YT := mat.DenseCopyOf(Y.T())
	a := Ridge{Alpha: 1, FitIntercept: true}
	b := a
	if err := a.Fit(X, Y); err != nil {
		t.Fatal(err)
	}
	if err := b.Fit(XT.T(), YT.T()); err != nil {
		t.Fatal(err)
	}
	var wa, wb mat.Dense
	a.WeightsTo(&wa)
	b.WeightsTo(&wb)
	if !mat.Equal(&wa, &wb) {
		t.Errorf("weights from transposed views differ:\n%v\n%v", mat.Formatted(&wa), mat.Formatted(&wb))
	}
}

func TestRidgeErrors(t *testing.T) {
	X, Y, _, _ := seededData(11, 20, 3, 2, 0.1)
	nanX := mat.DenseCopyOf(X)
	nanX.Set(4, 1, math.NaN())
	infY := mat.DenseCopyOf(Y)
	infY.Set(7, 0, math.Inf(-1))
	wide, wideY, _, _ := seededData(12, 5, 10, 1, 0.1) // T < F
	collinear := mat.NewDense(20, 3, nil)
	for i := range 20 {
		collinear.Set(i, 0, X.At(i, 0))
		collinear.Set(i, 1, 2*X.At(i, 0)) // exactly twice column 0
		collinear.Set(i, 2, X.At(i, 2))
	}
	// Orthogonal columns of scale 1 and 1e-9: XᵀX = diag(10, 1e-17) is
	// positive definite but its condition number 1e18 is past gonum's 1e16.
	illX := mat.NewDense(20, 2, nil)
	for i := range 10 {
		illX.Set(i, 0, 1)
		illX.Set(10+i, 1, 1e-9)
	}
	for _, c := range []struct {
		name  string
		r     Ridge
		X, Y  mat.Matrix
		want  error
		inMsg string
	}{
		{"rows-mismatch", Ridge{Alpha: 1}, X, Y.Slice(0, 19, 0, 2), ErrShape, "X has 20 rows, Y has 19"},
		{"negative-alpha", Ridge{Alpha: -0.1}, X, Y, ErrParam, "Alpha = -0.1"},
		{"nan-alpha", Ridge{Alpha: math.NaN()}, X, Y, ErrParam, "Alpha = NaN"},
		{"inf-alpha", Ridge{Alpha: math.Inf(1)}, X, Y, ErrParam, "Alpha = +Inf"},
		{"nan-in-X", Ridge{Alpha: 1}, nanX, Y, ErrNotFinite, "X[4,1] is NaN"},
		{"inf-in-Y", Ridge{Alpha: 1}, X, infY, ErrNotFinite, "Y[7,0] is -Inf"},
		{"fewer-rows-than-features", Ridge{}, wide, wideY, ErrSingular, "not positive definite"},
		{"collinear-ols", Ridge{}, collinear, Y, ErrSingular, ""},
		{"ill-conditioned", Ridge{}, illX, Y, ErrSingular, "condition number"},
		{"empty", Ridge{Alpha: 1}, emptyMatrix{0, 3}, emptyMatrix{0, 2}, ErrShape, "empty input"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.r.Fit(c.X, c.Y)
			if !errors.Is(err, c.want) {
				t.Fatalf("Fit error = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.inMsg) {
				t.Errorf("error %q does not name %q", err, c.inMsg)
			}
			if _, err := c.r.Predict(X); !errors.Is(err, ErrNotFitted) {
				t.Errorf("Predict after failed Fit: error %v, want ErrNotFitted", err)
			}
		})
	}
	// With α > 0 the collinear and wide systems are fine.
	for _, c := range []struct {
		name string
		X, Y mat.Matrix
	}{{"collinear", collinear, Y}, {"wide", wide, wideY}} {
		r := Ridge{Alpha: 1e-3}
		if err := r.Fit(c.X, c.Y); err != nil {
			t.Errorf("%s with Alpha > 0: %v", c.name, err)
		}
	}
}

func TestRidgeUseErrors(t *testing.T) {
	X, Y, _, _ := seededData(13, 30, 3, 2, 0.1)
	var r Ridge
	if _, err := r.Predict(X); !errors.Is(err, ErrNotFitted) {
		t.Errorf("Predict before Fit: %v, want ErrNotFitted", err)
	}
	if _, err := r.PredictVec(nil, make([]float64, 3)); !errors.Is(err, ErrNotFitted) {
		t.Errorf("PredictVec before Fit: %v, want ErrNotFitted", err)
	}
	if err := r.Solve(); !errors.Is(err, ErrNotFitted) {
		t.Errorf("Solve before data: %v, want ErrNotFitted", err)
	}
	r.Alpha = 1
	if err := r.Fit(X, Y); err != nil {
		t.Fatal(err)
	}
	if f, k := r.Dims(); f != 3 || k != 2 {
		t.Errorf("Dims = %d, %d, want 3, 2", f, k)
	}
	for _, c := range []struct {
		name string
		err  error
	}{
		{"Predict-wrong-features", func() error { _, err := r.Predict(mat.NewDense(4, 5, nil)); return err }()},
		{"Accumulate-empty", r.Accumulate(emptyMatrix{0, 3}, emptyMatrix{0, 2})},
		{"PredictVec-wrong-x", func() error { _, err := r.PredictVec(nil, make([]float64, 2)); return err }()},
		{"PredictVec-wrong-dst", func() error { _, err := r.PredictVec(make([]float64, 3), make([]float64, 3)); return err }()},
		{"Accumulate-wrong-features", r.Accumulate(mat.NewDense(4, 5, nil), mat.NewDense(4, 2, nil))},
		{"Accumulate-wrong-targets", r.Accumulate(mat.NewDense(4, 3, nil), mat.NewDense(4, 1, nil))},
	} {
		if !errors.Is(c.err, ErrShape) {
			t.Errorf("%s: error %v, want ErrShape", c.name, c.err)
		}
	}
	if r.Samples() != 30 {
		t.Errorf("failed Accumulate changed Samples to %d", r.Samples())
	}
	// Failed Accumulate left the statistics alone: re-solving gives the fit.
	var before, after mat.Dense
	r.WeightsTo(&before)
	if err := r.Solve(); err != nil {
		t.Fatal(err)
	}
	r.WeightsTo(&after)
	if !mat.Equal(&before, &after) {
		t.Error("Solve after failed Accumulate changed the weights")
	}
	// Negative Alpha set after accumulation is caught by Solve.
	r.Alpha = -1
	if err := r.Solve(); !errors.Is(err, ErrParam) {
		t.Errorf("Solve with Alpha = -1: %v, want ErrParam", err)
	}
	r.Alpha = 1
	r.Reset()
	if r.Samples() != 0 || r.Alpha != 1 {
		t.Errorf("Reset: Samples %d Alpha %g, want 0 and 1", r.Samples(), r.Alpha)
	}
}

func TestRidgeAccessorPanics(t *testing.T) {
	X, Y, _, _ := seededData(14, 30, 3, 2, 0.1)
	fitted := Ridge{Alpha: 1, FitIntercept: true}
	if err := fitted.Fit(X, Y); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		fn   func()
	}{
		{"WeightsTo-unfitted", func() { var r Ridge; r.WeightsTo(&mat.Dense{}) }},
		{"InterceptTo-unfitted", func() { var r Ridge; r.InterceptTo(nil) }},
		{"WeightsTo-wrong-dst", func() { fitted.WeightsTo(mat.NewDense(2, 2, nil)) }},
		{"InterceptTo-wrong-dst", func() { fitted.InterceptTo(make([]float64, 5)) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil {
					t.Error("no panic")
				} else if s, ok := r.(string); !ok || !strings.Contains(s, "readout: Ridge.") {
					t.Errorf("panic %v lacks the readout: Ridge. prefix", r)
				}
			}()
			c.fn()
		})
	}
	// A right-sized dst is filled in place.
	dst := mat.NewDense(3, 2, nil)
	fitted.WeightsTo(dst)
	if dst.At(0, 0) == 0 {
		t.Error("WeightsTo into a 3×2 dst left it zero")
	}
}

// emptyMatrix is a mat.Matrix with a zero dimension, which mat.NewDense
// cannot make.
type emptyMatrix struct{ r, c int }

func (m emptyMatrix) Dims() (int, int)    { return m.r, m.c }
func (m emptyMatrix) At(i, j int) float64 { panic("emptyMatrix.At") }
func (m emptyMatrix) T() mat.Matrix       { return emptyMatrix{m.c, m.r} }
