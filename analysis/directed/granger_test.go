package directed

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestGrangerSharedFixtures compares with statsmodels' grangercausalitytests
// on make_fixtures.py's signals(60) (fixtures.json): x0 → x1 at lags 1 and
// 2 (every test and its degrees of freedom) and x0 → x2 at lag 1 (no
// causality), within tol.
func TestGrangerSharedFixtures(t *testing.T) {
	f := loadShared(t)
	x := signals(60)
	src, dst1, dst2 := mat.Col(nil, 0, x), mat.Col(nil, 1, x), mat.Col(nil, 2, x)
	var worst float64
	check := func(t *testing.T, what string, got, want float64) {
		t.Helper()
		worst = max(worst, math.Abs(got-want))
		if !near(got, want, tol) {
			t.Errorf("%s = %.17g, want %.17g (statsmodels)", what, got, want)
		}
	}
	for _, lag := range []int{1, 2} {
		t.Run("x0→x1 lag "+string(rune('0'+lag)), func(t *testing.T) {
			want := f.Granger01[string(rune('0'+lag))]
			got, err := GrangerPair(src, dst1, lag)
			if err != nil {
				t.Fatal(err)
			}
			check(t, "F", got.F, want.F[0])
			check(t, "F p", got.FPValue, want.F[1])
			check(t, "χ²", got.Chi2, want.Chi2[0])
			check(t, "χ² p", got.Chi2PValue, want.Chi2[1])
			check(t, "LR", got.LR, want.LR[0])
			check(t, "LR p", got.LRPValue, want.LR[1])
			if float64(got.DF) != want.F[2] || float64(got.Lag) != want.F[3] || got.Nobs != 60-lag {
				t.Errorf("dof (%d, %d), nobs %d; want (%v, %v), %d", got.Lag, got.DF, got.Nobs, want.F[3], want.F[2], 60-lag)
			}
		})
	}
	t.Run("x0→x2 lag 1", func(t *testing.T) {
		got, err := GrangerPair(src, dst2, 1)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "F", got.F, f.Granger02[0])
		check(t, "F p", got.FPValue, f.Granger02[1])
	})
	t.Logf("largest |difference| from statsmodels: %.3g", worst)
}

// TestGrangerReference compares every ordered pair of signals(60) at lags
// 1 … 3, bivariate and conditional, with testdata/reference.json
// (statsmodels), within tol.
func TestGrangerReference(t *testing.T) {
	r := ref(t)
	x := mat.NewDense(r.T, r.N, nil)
	for i, row := range r.X {
		x.SetRow(i, row)
	}
	if s := signals(60); !mat.EqualApprox(s, x, 1e-15) {
		t.Fatal("signals(60) differs from the reference's input: the LCG rebuild is wrong")
	}
	var worst float64
	for p := 1; p <= 3; p++ {
		for _, conditional := range []bool{false, true} {
			want := r.lag(p).Bivariate
			name := "bivariate"
			if conditional {
				want, name = r.lag(p).Conditional, "conditional"
			}
			t.Run(name+"/lag "+string(rune('0'+p)), func(t *testing.T) {
				for _, test := range []struct {
					test        Test
					stat, value matrix
				}{{TestF, want.F, want.FP}, {TestChi2, want.Chi2, want.Chi2P}, {TestLR, want.LR, want.LRP}} {
					g := Granger{Lag: p, Test: test.test, Conditional: conditional}
					if err := g.Fit(x); err != nil {
						t.Fatal(err)
					}
					var stat, pv mat.Dense
					if err := g.StatisticTo(&stat); err != nil {
						t.Fatal(err)
					}
					if err := g.PValueTo(&pv); err != nil {
						t.Fatal(err)
					}
					for i := range r.N {
						for j := range r.N {
							for _, c := range []struct {
								what      string
								got, want float64
							}{{"statistic", stat.At(i, j), test.stat.at(i, j)}, {"p-value", pv.At(i, j), test.value.at(i, j)}} {
								if !math.IsNaN(c.want) {
									worst = max(worst, math.Abs(c.got-c.want))
								}
								if !near(c.got, c.want, tol) {
									t.Errorf("%s %s %d→%d = %.17g, want %.17g", test.test, c.what, i, j, c.got, c.want)
								}
							}
						}
					}
				}
			})
		}
	}
	t.Logf("largest |difference| from statsmodels: %.3g", worst)
}

// TestGaussianTEIsHalfLogRatio checks TE = ½ ln(ssr_r/ssr_u) against the
// statsmodels values: for the conditional model the reference has the TE
// itself (from the OLS ssr); for both, TE = LR/(2 nobs) with LR the
// statsmodels likelihood-ratio statistic (Barnett et al. 2009).
func TestGaussianTEIsHalfLogRatio(t *testing.T) {
	r := ref(t)
	x := signals(60)
	for p := 1; p <= 3; p++ {
		for _, conditional := range []bool{false, true} {
			want := r.lag(p).Bivariate
			if conditional {
				want = r.lag(p).Conditional
			}
			e := GaussianTE{Lag: p, Conditional: conditional}
			if err := e.Fit(x); err != nil {
				t.Fatal(err)
			}
			var te mat.Dense
			if err := e.MatrixTo(&te); err != nil {
				t.Fatal(err)
			}
			for i := range r.N {
				for j := range r.N {
					fromLR := want.LR.at(i, j) / (2 * float64(60-p))
					if !near(te.At(i, j), fromLR, tol) {
						t.Errorf("lag %d conditional %v: TE %d→%d = %.17g, want LR/(2 nobs) = %.17g", p, conditional, i, j, te.At(i, j), fromLR)
					}
					if conditional && !near(te.At(i, j), want.GaussianTE.at(i, j), tol) {
						t.Errorf("lag %d: conditional TE %d→%d = %.17g, want %.17g", p, i, j, te.At(i, j), want.GaussianTE.at(i, j))
					}
				}
			}
		}
	}
}

// TestGrangerPermutation: permuting the neurons permutes the result matrix
// (C[π(i)][π(j)] of the permuted fit equals C[i][j]).
func TestGrangerPermutation(t *testing.T) {
	x := signals(80)
	perm := []int{2, 0, 3, 1} // column k of y is column perm[k] of x
	y := mat.NewDense(80, 4, nil)
	for k, c := range perm {
		y.SetCol(k, mat.Col(nil, c, x))
	}
	for _, conditional := range []bool{false, true} {
		var a, b mat.Dense
		for _, fit := range []struct {
			x   *mat.Dense
			dst *mat.Dense
		}{{x, &a}, {y, &b}} {
			g := Granger{Lag: 2, Conditional: conditional}
			if err := g.Fit(fit.x); err != nil {
				t.Fatal(err)
			}
			if err := g.FTo(fit.dst); err != nil {
				t.Fatal(err)
			}
		}
		for k, ck := range perm {
			for l, cl := range perm {
				if !near(b.At(k, l), a.At(ck, cl), 1e-9*max(1, math.Abs(a.At(ck, cl)))) {
					t.Errorf("conditional %v: permuted F[%d][%d] = %g, want F[%d][%d] = %g", conditional, k, l, b.At(k, l), ck, cl, a.At(ck, cl))
				}
			}
		}
	}
}

// TestGrangerScaleInvariant: F does not change (to 1e-10 relative) when a trace is scaled and
// shifted (the regressions have a constant; the test compares ssr ratios).
func TestGrangerScaleInvariant(t *testing.T) {
	x := signals(60)
	y := mat.DenseCopyOf(x)
	for i := range 60 {
		y.Set(i, 1, 1e4*x.At(i, 1)+300)
		y.Set(i, 0, 1e-3*x.At(i, 0)-7)
	}
	var a, b mat.Dense
	for _, fit := range []struct {
		x   *mat.Dense
		dst *mat.Dense
	}{{x, &a}, {y, &b}} {
		g := Granger{Lag: 2}
		if err := g.Fit(fit.x); err != nil {
			t.Fatal(err)
		}
		if err := g.FTo(fit.dst); err != nil {
			t.Fatal(err)
		}
	}
	// Relative 1e-10: the shift of 300 on a scale of 1e4 costs digits.
	for i := range 4 {
		for j := range 4 {
			if !near(b.At(i, j), a.At(i, j), 1e-10*max(1, a.At(i, j))) {
				t.Errorf("F[%d][%d] = %.17g after rescaling, %.17g before", i, j, b.At(i, j), a.At(i, j))
			}
		}
	}
}

// TestGrangerUndefined: a constant trace has NaN in its row and column (and
// the conditional fit leaves it out of the conditioning set: the other
// pairs equal those of the recording without it); a copy of another
// trace's past makes the pair collinear, hence NaN.
func TestGrangerUndefined(t *testing.T) {
	x := signals(60)
	withConst := mat.NewDense(60, 5, nil)
	withConst.Slice(0, 60, 0, 4).(*mat.Dense).Copy(x)
	for i := range 60 {
		withConst.Set(i, 4, 2.5)
	}
	for _, conditional := range []bool{false, true} {
		var got, want mat.Dense
		g := Granger{Lag: 2, Conditional: conditional}
		if err := g.Fit(withConst); err != nil {
			t.Fatal(err)
		}
		if err := g.FTo(&got); err != nil {
			t.Fatal(err)
		}
		if err := g.Fit(x); err != nil {
			t.Fatal(err)
		}
		if err := g.FTo(&want); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			for j := range 5 {
				w := math.NaN()
				if i < 4 && j < 4 {
					w = want.At(i, j)
				}
				if !near(got.At(i, j), w, 1e-9*max(1, math.Abs(w))) {
					t.Errorf("conditional %v: F[%d][%d] = %g, want %g", conditional, i, j, got.At(i, j), w)
				}
			}
		}
	}

	// x1 is x0 delayed by one sample: at lag 2 the source x0's lags
	// include x1's first lag, so 0 → 1 is collinear, NaN.
	d := mat.NewDense(60, 2, nil)
	for i := range 60 {
		d.Set(i, 0, x.At(i, 0))
		if i > 0 {
			d.Set(i, 1, x.At(i-1, 0))
		}
	}
	res, err := GrangerPair(mat.Col(nil, 1, d), mat.Col(nil, 0, d), 2)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(res.F) || !math.IsNaN(res.FPValue) {
		t.Errorf("collinear pair: F = %v, p = %v, want NaN", res.F, res.FPValue)
	}
}

// TestGrangerErrors checks the error of each bad input.
func TestGrangerErrors(t *testing.T) {
	x := signals(60)
	withNaN := mat.DenseCopyOf(x)
	withNaN.Set(17, 2, math.NaN())
	withInf := mat.DenseCopyOf(x)
	withInf.Set(3, 0, math.Inf(-1))
	dup := mat.NewDense(60, 3, nil)
	for i := range 60 {
		dup.SetRow(i, []float64{x.At(i, 0), x.At(i, 1), x.At(i, 0) + 2*x.At(i, 1)})
	}
	for _, c := range []struct {
		name string
		err  func() error
		want error
		msg  string
	}{
		{"T shorter than the lags", func() error { return (&Granger{Lag: 5}).Fit(x.Slice(0, 15, 0, 4)) }, neurotab.ErrShape, "want at least 17"},
		{"T one short", func() error { return (&Granger{Lag: 1}).Fit(x.Slice(0, 4, 0, 2)) }, neurotab.ErrShape, "4 samples"},
		{"conditional T short", func() error { return (&Granger{Lag: 3, Conditional: true}).Fit(x.Slice(0, 16, 0, 4)) }, neurotab.ErrShape, "want at least 17"},
		{"NaN", func() error { return (&Granger{}).Fit(withNaN) }, neurotab.ErrNotFinite, "column 2, sample 17 is NaN"},
		{"-Inf", func() error { return (&GaussianTE{}).Fit(withInf) }, neurotab.ErrNotFinite, "column 0, sample 3 is -Inf"},
		{"negative Lag", func() error { return (&Granger{Lag: -1}).Fit(x) }, neurotab.ErrParam, "Lag -1"},
		{"unknown test", func() error { return (&Granger{Test: "wald"}).Fit(x) }, neurotab.ErrParam, `"wald"`},
		{"pair lag 0", func() error { _, err := GrangerPair([]float64{1, 2}, []float64{1, 2}, 0); return err }, neurotab.ErrParam, "lag 0"},
		{"pair lengths", func() error { _, err := GrangerPair([]float64{1, 2}, []float64{1}, 1); return err }, neurotab.ErrShape, "2 samples, target 1"},
		{"pair empty", func() error { _, err := GrangerPair(nil, nil, 1); return err }, neurotab.ErrShape, "empty"},
		{"conditional singular", func() error { return (&Granger{Conditional: true}).Fit(dup) }, neurotab.ErrSingular, "singular"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want one wrapping %v", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "directed: ") || !strings.Contains(err.Error(), c.msg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line starting with \"directed: \" and containing %q", err, c.msg)
			}
		})
	}
}

// TestGrangerResultPanics: a destination of the wrong size and At out of
// range are programmer errors.
func TestGrangerResultPanics(t *testing.T) {
	g := Granger{}
	if err := g.Fit(signals(60)); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(){
		"FTo 3×3":  func() { _ = g.FTo(mat.NewDense(3, 3, nil)) },
		"At(4, 0)": func() { g.At(4, 0) },
		"At before Fit": func() {
			var u Granger
			u.At(0, 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(r.(string), "directed: ") {
					t.Errorf("recovered %v, want a panic starting with \"directed: \"", r)
				}
			}()
			f()
		})
	}
}

// TestGrangerPerfectFit: a noiseless sinusoid obeys
// x(t) = 2 cos ω x(t−1) − x(t−2) exactly, so at lag 2 its own past predicts
// it perfectly and every pair with it as target is NaN (statsmodels raises
// InfeasibleTestError); as a source it stays defined. A trace that is
// constant except for its last sample has a constant lag-1 window: the
// pairs that use that window are NaN (the conditional fit leaves the
// trace out), and nothing panics.
func TestGrangerPerfectFit(t *testing.T) {
	x := signals(60)
	y := mat.NewDense(60, 3, nil)
	for i := range 60 {
		y.SetRow(i, []float64{x.At(i, 0), math.Sin(0.3*float64(i) + 0.2), 0})
	}
	y.Set(59, 2, 1)
	for _, conditional := range []bool{false, true} {
		g := Granger{Lag: 2, Conditional: conditional}
		if err := g.Fit(y); err != nil {
			t.Fatal(err)
		}
		var f mat.Dense
		if err := g.FTo(&f); err != nil {
			t.Fatal(err)
		}
		for _, c := range [][2]int{{0, 1}, {2, 1}, {2, 0}, {0, 2}, {1, 2}} {
			if v := f.At(c[0], c[1]); !math.IsNaN(v) {
				t.Errorf("conditional %v: F[%d][%d] = %g, want NaN", conditional, c[0], c[1], v)
			}
		}
		if v := f.At(1, 0); math.IsNaN(v) || v < 0 {
			t.Errorf("conditional %v: F[1][0] = %g, want a number ≥ 0", conditional, v)
		}
	}
}

// ssrQR returns the residual sum of squares of the least-squares fit of
// x_j(t), t = p … T−1, on a constant and the p lags of the neurons in
// regressors, solved by QR on the explicit design (an algorithm
// independent of the Gram-matrix path of Fit).
func ssrQR(t *testing.T, x *mat.Dense, j, p int, regressors []int) float64 {
	t.Helper()
	T, _ := x.Dims()
	nobs := T - p
	a := mat.NewDense(nobs, 1+p*len(regressors), nil)
	y := mat.NewVecDense(nobs, nil)
	for r := range nobs {
		a.Set(r, 0, 1)
		for c, i := range regressors {
			for l := 1; l <= p; l++ {
				a.Set(r, 1+c*p+l-1, x.At(p+r-l, i))
			}
		}
		y.SetVec(r, x.At(p+r, j))
	}
	var qr mat.QR
	qr.Factorize(a)
	var beta, fit mat.VecDense
	if err := qr.SolveVecTo(&beta, false, y); err != nil {
		t.Fatal(err)
	}
	fit.MulVec(a, &beta)
	fit.SubVec(y, &fit)
	return mat.Dot(&fit, &fit)
}

// TestGrangerAgainstQR compares F of every pair of 6 random traces at lag
// 5 (so every edge case of the shifted cross-products occurs) with explicit
// QR least squares, bivariate and conditional, to 1e-9 relative.
func TestGrangerAgainstQR(t *testing.T) {
	const T, N, p = 200, 6, 5
	x := randomTraces(3, T, N)
	for i := range T { // an offset and scales far from 1
		x.Set(i, 2, 50+1e3*x.At(i, 2))
		x.Set(i, 4, 1e-3*x.At(i, 4)-2)
	}
	for _, conditional := range []bool{false, true} {
		g := Granger{Lag: p, Conditional: conditional}
		if err := g.Fit(x); err != nil {
			t.Fatal(err)
		}
		for i := range N {
			for j := range N {
				if i == j {
					continue
				}
				restricted := []int{j}
				if conditional {
					restricted = nil
					for k := range N {
						if k != i {
							restricted = append(restricted, k)
						}
					}
				}
				ssrR := ssrQR(t, x, j, p, restricted)
				ssrU := ssrQR(t, x, j, p, append(restricted, i))
				df := T - p - (len(restricted)+1)*p - 1
				want := (ssrR - ssrU) / ssrU * float64(df) / p
				got := g.At(i, j)
				if !near(got.F, want, 1e-9*max(1, want)) || got.DF != df {
					t.Errorf("conditional %v: F %d→%d = %.15g (df %d), QR gives %.15g (df %d)", conditional, i, j, got.F, got.DF, want, df)
				}
			}
		}
	}
}
