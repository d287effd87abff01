package connectivity

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

func TestPartialTwoNeuronsIsPearson(t *testing.T) {
	// With nothing to condition on, ρ = r (hand derivation: the inverse of
	// [[1 r][r 1]] is [[1 −r][−r 1]]/(1−r²)).
	x := randomTraces(2, 50, 2)
	r, _ := Pearson(x)
	rho, err := PartialCorrelation(x, 0)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := rho.At(0, 1), r.At(0, 1); !same(g, w, 1e-14) {
		t.Fatalf("ρ = %v, r = %v", g, w)
	}
}

func TestPartialThreeNeuronsFormula(t *testing.T) {
	// Different algorithm: the first-order recursion
	// ρ_01·2 = (r01 − r02 r12) / sqrt((1 − r02²)(1 − r12²)).
	x := randomTraces(9, 80, 3)
	r, _ := Pearson(x)
	rho, err := PartialCorrelation(x, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := func(i, j, k int) float64 {
		rij, rik, rjk := r.At(i, j), r.At(i, k), r.At(j, k)
		return (rij - rik*rjk) / math.Sqrt((1-rik*rik)*(1-rjk*rjk))
	}
	for _, c := range [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 2, 0}} {
		if g, w := rho.At(c[0], c[1]), p(c[0], c[1], c[2]); !same(g, w, 1e-12) {
			t.Errorf("ρ_%d%d·%d = %.15g, recursion %.15g", c[0], c[1], c[2], g, w)
		}
	}
}

func TestPartialResiduals(t *testing.T) {
	// Different algorithm: regress x_i and x_j on the other traces (with an
	// intercept) by least squares (QR, gonum mat.Dense.Solve) and correlate
	// the residuals.
	const T, N = 120, 5
	x := randomTraces(4, T, N)
	rho, err := PartialCorrelation(x, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < N; i++ {
		for j := i + 1; j < N; j++ {
			design := mat.NewDense(T, N-1, nil) // intercept + N−2 others
			c := 1
			for k := 0; k < N; k++ {
				if k != i && k != j {
					design.SetCol(c, mat.Col(nil, k, x))
					c++
				}
			}
			for s := 0; s < T; s++ {
				design.Set(s, 0, 1)
			}
			resid := func(k int) []float64 {
				y := mat.NewDense(T, 1, mat.Col(nil, k, x))
				var beta, fit mat.Dense
				if err := beta.Solve(design, y); err != nil {
					t.Fatal(err)
				}
				fit.Mul(design, &beta)
				fit.Sub(y, &fit)
				return mat.Col(nil, 0, &fit)
			}
			want := naivePearson(resid(i), resid(j))
			if g := rho.At(i, j); !same(g, want, 1e-10) {
				t.Errorf("ρ_%d%d = %.15g, residual correlation %.15g", i, j, g, want)
			}
		}
	}
}

func TestPartialLargeRidge(t *testing.T) {
	// Hand derivation: (R + λI)⁻¹ = (I + E/(1+λ))⁻¹/(1+λ) with E = R − I,
	// ≈ (I − E/(1+λ))/(1+λ), so ρ_ij ≈ r_ij/(1+λ), error O(1/λ²).
	x := randomTraces(8, 60, 4)
	r, _ := Pearson(x)
	const lambda = 1e6
	rho, err := PartialCorrelation(x, lambda)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		for j := i + 1; j < 4; j++ {
			if g, w := rho.At(i, j)*(1+lambda), r.At(i, j); !same(g, w, 1e-5) {
				t.Errorf("ρ_%d%d(1+λ) = %v, want r = %v", i, j, g, w)
			}
		}
	}
}

func TestPartialConstant(t *testing.T) {
	// A constant column is NaN and the rest equal the partial correlations
	// of the matrix without it.
	x := randomTraces(3, 40, 4)
	with := mat.NewDense(40, 5, nil)
	for j, k := range []int{0, 1, -1, 2, 3} {
		if k < 0 {
			for s := 0; s < 40; s++ {
				with.Set(s, j, 7)
			}
			continue
		}
		with.SetCol(j, mat.Col(nil, k, x))
	}
	want, err := PartialCorrelation(x, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := PartialCorrelation(with, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	idx := []int{0, 1, 3, 4}
	for a, i := range idx {
		for b, j := range idx {
			if g, w := got.At(i, j), want.At(a, b); !same(g, w, 1e-14) {
				t.Fatalf("ρ[%d][%d] = %v, want %v", i, j, g, w)
			}
		}
	}
	for i := 0; i < 5; i++ {
		if !math.IsNaN(got.At(i, 2)) {
			t.Fatalf("ρ[%d][2] = %v, want NaN", i, got.At(i, 2))
		}
	}
	// Every trace constant: all NaN, no error.
	all, err := PartialCorrelation(cols([]float64{1, 1, 1}, []float64{2, 2, 2}), 0)
	if err != nil || !math.IsNaN(all.At(0, 1)) || !math.IsNaN(all.At(0, 0)) {
		t.Fatalf("all constant: %v, %v", all, err)
	}
}

func TestPartialErrors(t *testing.T) {
	x := []float64{0.3, -1.2, 2.5, 0.7, 4.1, -0.6, 1.9}
	lin := make([]float64, len(x))
	neg := make([]float64, len(x))
	for i, v := range x {
		lin[i] = 2*v + 1
		neg[i] = -v
	}
	other := []float64{1, 0, 2, 0, 1, 3, 0}
	for _, c := range []struct {
		name  string
		x     mat.Matrix
		ridge float64
		want  error
		pair  [2]int // for a *SingularError
		msg   string // in the message
	}{
		{"x and 2x+1", cols(x, other, lin), 0, neurotab.ErrSingular, [2]int{0, 2}, "columns 0 and 2 are perfectly correlated"},
		{"x and -x", cols(other, x, neg), 0, neurotab.ErrSingular, [2]int{1, 2}, "set a ridge > 0"},
		{"N ≥ T", randomTraces(1, 4, 6), 0, neurotab.ErrSingular, [2]int{-1, -1}, "rank is at most T−1 = 3"},
		{"ridge too small", cols(x, lin), 1e-14, neurotab.ErrSingular, [2]int{0, 1}, "ridge 1e-14 is too small"},
		{"negative ridge", cols(x, other), -0.1, neurotab.ErrParam, [2]int{}, "ridge -0.1"},
		{"NaN ridge", cols(x, other), math.NaN(), neurotab.ErrParam, [2]int{}, "ridge NaN"},
		{"Inf ridge", cols(x, other), math.Inf(1), neurotab.ErrParam, [2]int{}, "ridge +Inf"},
		{"one sample", mat.NewDense(1, 2, []float64{1, 2}), 1, neurotab.ErrShape, [2]int{}, "need at least 2"},
		{"NaN sample", cols(x, []float64{1, 2, 3, math.NaN(), 5, 6, 7}), 0, neurotab.ErrNotFinite, [2]int{}, "sample 3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rho, err := PartialCorrelation(c.x, c.ridge)
			if !errors.Is(err, c.want) || rho != nil {
				t.Fatalf("got %v, %v; want nil, %v", rho, err, c.want)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("message %q lacks %q", err, c.msg)
			}
			var se *SingularError
			if errors.As(err, &se) && se.Pair != c.pair {
				t.Errorf("pair %v, want %v", se.Pair, c.pair)
			}
		})
	}
	// The same collinear traces work with a ridge.
	if _, err := PartialCorrelation(cols(x, other, lin), 0.1); err != nil {
		t.Fatalf("with ridge 0.1: %v", err)
	}
}
