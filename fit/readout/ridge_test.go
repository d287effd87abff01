package readout

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
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
			must(t, r.WeightsTo(&W))
			b := intercept(t, &r)
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
			pred, err := predict(&r, Xtest)
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
	for _, withB := range []bool{false, true} {
		whole := Ridge{Alpha: 0.5, FitIntercept: withB}
		if err := whole.Fit(X, Y); err != nil {
			t.Fatal(err)
		}
		var want mat.Dense
		must(t, whole.WeightsTo(&want))
		wantB := intercept(t, &whole)
		for _, s := range splits {
			name := s.name + map[bool]string{false: "/no-intercept", true: "/intercept"}[withB]
			t.Run(name, func(t *testing.T) {
				r := Ridge{Alpha: 0.5, FitIntercept: withB}
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
				must(t, r.WeightsTo(&got))
				if e := relErr(&got, &want); e > 1e-11 {
					t.Errorf("W: relative error %.3g from one-batch fit", e)
				}
				if e := relErrVec(intercept(t, &r), wantB); e > 1e-11 {
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
		must(t, r.WeightsTo(&a))
		must(t, fresh.WeightsTo(&b))
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
	must(t, base.WeightsTo(&W0))
	b0 := intercept(t, &base)

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
		must(t, r.WeightsTo(&W))
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
		if e := relErrVec(intercept(t, &r), want); e > 1e-9 {
			t.Errorf("b = %v, want %v", intercept(t, &r), want)
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
		must(t, r.WeightsTo(&W))
		if e := relErr(&W, &W0); e > 1e-12 {
			t.Errorf("W changed by %.3g when Y was shifted", e)
		}
		want := []float64{b0[0] + 1, b0[1] + 2, b0[2] + 3}
		if e := relErrVec(intercept(t, &r), want); e > 1e-12 {
			t.Errorf("b = %v, want %v", intercept(t, &r), want)
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
		must(t, r.WeightsTo(&W))
		if e := relErr(&W, Wtrue); e > 1e-10 {
			t.Errorf("OLS on noise-free data: W off W* by %.3g", e)
		}
		if b := intercept(t, &r); b[0] != 0 || b[1] != 0 || b[2] != 0 {
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
	must(t, a.WeightsTo(&wa))
	must(t, b.WeightsTo(&wb))
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
		{"rows-mismatch", Ridge{Alpha: 1}, X, Y.Slice(0, 19, 0, 2), neurotab.ErrShape, "X has 20 rows, Y has 19"},
		{"negative-alpha", Ridge{Alpha: -0.1}, X, Y, neurotab.ErrParam, "Alpha = -0.1"},
		{"nan-alpha", Ridge{Alpha: math.NaN()}, X, Y, neurotab.ErrParam, "Alpha = NaN"},
		{"inf-alpha", Ridge{Alpha: math.Inf(1)}, X, Y, neurotab.ErrParam, "Alpha = +Inf"},
		{"nan-in-X", Ridge{Alpha: 1}, nanX, Y, neurotab.ErrNotFinite, "X[4,1] is NaN"},
		{"inf-in-Y", Ridge{Alpha: 1}, X, infY, neurotab.ErrNotFinite, "Y[7,0] is -Inf"},
		{"fewer-rows-than-features", Ridge{}, wide, wideY, neurotab.ErrSingular, "not positive definite"},
		{"collinear-ols", Ridge{}, collinear, Y, neurotab.ErrSingular, ""},
		{"ill-conditioned", Ridge{}, illX, Y, neurotab.ErrSingular, "condition number"},
		{"empty", Ridge{Alpha: 1}, emptyMatrix{0, 3}, emptyMatrix{0, 2}, neurotab.ErrShape, "empty input"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.r.Fit(c.X, c.Y)
			if !errors.Is(err, c.want) {
				t.Fatalf("Fit error = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.inMsg) {
				t.Errorf("error %q does not name %q", err, c.inMsg)
			}
			if _, err := predict(&c.r, X); !errors.Is(err, neurotab.ErrNotFitted) {
				t.Errorf("Predict after failed Fit: error %v, want neurotab.ErrNotFitted", err)
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
	if _, err := predict(&r, X); !errors.Is(err, neurotab.ErrNotFitted) {
		t.Errorf("Predict before Fit: %v, want neurotab.ErrNotFitted", err)
	}
	if _, err := r.PredictVec(nil, make([]float64, 3)); !errors.Is(err, neurotab.ErrNotFitted) {
		t.Errorf("PredictVec before Fit: %v, want neurotab.ErrNotFitted", err)
	}
	if err := r.Solve(); !errors.Is(err, neurotab.ErrNotFitted) {
		t.Errorf("Solve before data: %v, want neurotab.ErrNotFitted", err)
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
		{"Predict-wrong-features", func() error { _, err := predict(&r, mat.NewDense(4, 5, nil)); return err }()},
		{"Accumulate-empty", r.Accumulate(emptyMatrix{0, 3}, emptyMatrix{0, 2})},
		{"PredictVec-wrong-x", func() error { _, err := r.PredictVec(nil, make([]float64, 2)); return err }()},
		{"PredictVec-wrong-dst", func() error { _, err := r.PredictVec(make([]float64, 3), make([]float64, 3)); return err }()},
		{"Accumulate-wrong-features", r.Accumulate(mat.NewDense(4, 5, nil), mat.NewDense(4, 2, nil))},
		{"Accumulate-wrong-targets", r.Accumulate(mat.NewDense(4, 3, nil), mat.NewDense(4, 1, nil))},
	} {
		if !errors.Is(c.err, neurotab.ErrShape) {
			t.Errorf("%s: error %v, want neurotab.ErrShape", c.name, c.err)
		}
	}
	if r.Samples() != 30 {
		t.Errorf("failed Accumulate changed Samples to %d", r.Samples())
	}
	// Failed Accumulate left the statistics alone: re-solving gives the fit.
	var before, after mat.Dense
	must(t, r.WeightsTo(&before))
	if err := r.Solve(); err != nil {
		t.Fatal(err)
	}
	must(t, r.WeightsTo(&after))
	if !mat.Equal(&before, &after) {
		t.Error("Solve after failed Accumulate changed the weights")
	}
	// Negative Alpha set after accumulation is caught by Solve.
	r.Alpha = -1
	if err := r.Solve(); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("Solve with Alpha = -1: %v, want neurotab.ErrParam", err)
	}
	r.Alpha = 1
	r.Reset()
	if r.Samples() != 0 || r.Alpha != 1 {
		t.Errorf("Reset: Samples %d Alpha %g, want 0 and 1", r.Samples(), r.Alpha)
	}
}

// TestResultMethods checks the result methods both readouts share
// (PredictTo, WeightsTo, InterceptTo): an error wrapping ErrNotFitted before
// a fit, a panic naming the method on a dst of the wrong size, and the same
// values into a right-sized dst as into an empty one.
func TestResultMethods(t *testing.T) {
	X, Y, _, _ := seededData(14, 30, 3, 2, 0.1)
	ridge := &Ridge{Alpha: 1, FitIntercept: true}
	must(t, ridge.Fit(X, Y))
	rls := &RLS{Delta: 1e-3}
	must(t, rls.Fit(X, Y))
	for _, c := range []struct {
		name     string
		fitted   fitted
		unfitted fitted
	}{
		{"Ridge", ridge, &Ridge{}},
		{"RLS", rls, &RLS{}},
	} {
		t.Run(c.name+"/unfitted", func(t *testing.T) {
			for what, err := range map[string]error{
				"PredictTo":   c.unfitted.PredictTo(&mat.Dense{}, X),
				"WeightsTo":   c.unfitted.WeightsTo(&mat.Dense{}),
				"InterceptTo": c.unfitted.InterceptTo(&mat.VecDense{}),
			} {
				if !errors.Is(err, neurotab.ErrNotFitted) || !strings.HasPrefix(err.Error(), "readout: "+what) {
					t.Errorf("%s before Fit: %v, want a readout: %s error wrapping ErrNotFitted", what, err, what)
				}
			}
		})
		t.Run(c.name+"/wrong-dst", func(t *testing.T) {
			for what, fn := range map[string]func(){
				"PredictTo":   func() { c.fitted.PredictTo(mat.NewDense(29, 2, nil), X) },
				"WeightsTo":   func() { c.fitted.WeightsTo(mat.NewDense(2, 2, nil)) },
				"InterceptTo": func() { c.fitted.InterceptTo(mat.NewVecDense(5, nil)) },
			} {
				func() {
					defer func() {
						if r := recover(); r == nil {
							t.Errorf("%s into a wrong-sized dst did not panic", what)
						} else if s, ok := r.(string); !ok || !strings.HasPrefix(s, "readout: "+what+": dst") {
							t.Errorf("%s panic %q lacks the readout: %s: prefix", what, r, what)
						}
					}()
					fn()
				}()
			}
		})
		t.Run(c.name+"/sized-dst", func(t *testing.T) {
			var w, p mat.Dense
			var b mat.VecDense
			must(t, c.fitted.WeightsTo(&w))
			must(t, c.fitted.PredictTo(&p, X))
			must(t, c.fitted.InterceptTo(&b))
			w2, p2, b2 := mat.NewDense(3, 2, nil), mat.NewDense(30, 2, nil), mat.NewVecDense(2, nil)
			must(t, c.fitted.WeightsTo(w2))
			must(t, c.fitted.PredictTo(p2, X))
			must(t, c.fitted.InterceptTo(b2))
			if !mat.Equal(&w, w2) || !mat.Equal(&p, p2) || !mat.Equal(&b, b2) {
				t.Error("a right-sized dst got other values than an empty one")
			}
			// Ŷ = X W + 1 bᵀ, computed here by hand from the extracted W, b.
			for i := range 30 {
				for j := range 2 {
					want := b.AtVec(j)
					for f := range 3 {
						want += X.At(i, f) * w.At(f, j)
					}
					if math.Abs(p.At(i, j)-want) > 1e-12*math.Max(1, math.Abs(want)) {
						t.Fatalf("Ŷ[%d,%d] = %v, X W + b = %v", i, j, p.At(i, j), want)
					}
				}
			}
		})
	}
	if b := intercept(t, rls); b[0] != 0 || b[1] != 0 {
		t.Errorf("RLS intercept %v, want zeros", b)
	}
}

// emptyMatrix is a mat.Matrix with a zero dimension, which mat.NewDense
// cannot make.
type emptyMatrix struct{ r, c int }

func (m emptyMatrix) Dims() (int, int)    { return m.r, m.c }
func (m emptyMatrix) At(i, j int) float64 { panic("emptyMatrix.At") }
func (m emptyMatrix) T() mat.Matrix       { return emptyMatrix{m.c, m.r} }
