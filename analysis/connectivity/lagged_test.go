package connectivity

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// shifted returns a T × 2 matrix whose column 1 is column 0 delayed by d
// samples (d > 0: x1(t) = x0(t−d), so neuron 0 leads), both cut from one
// longer aperiodic series.
func shifted(t, d int) *mat.Dense {
	s := make([]float64, t+abs(d))
	for i := range s {
		f := float64(i)
		s[i] = math.Sin(0.37*f) + 0.5*math.Cos(1.91*f) + 0.01*f*f/float64(len(s))
	}
	x0 := make([]float64, t)
	x1 := make([]float64, t)
	for i := 0; i < t; i++ {
		if d >= 0 {
			x0[i], x1[i] = s[i+d], s[i]
		} else {
			x0[i], x1[i] = s[i], s[i-d]
		}
	}
	return cols(x0, x1)
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

func TestLaggedClosedForm(t *testing.T) {
	for _, c := range []struct {
		name     string
		x        *mat.Dense
		maxLag   int
		wantLag  float64 // PeakLag[0][1]: by construction of the traces
		wantPeak float64
	}{
		// x1(t) = x0(t−3): r_01(3) = corr(x0(t), x0(t)) = 1 on the overlap.
		{"neuron 0 leads by 3", shifted(120, 3), 5, 3, 1},
		{"neuron 1 leads by 2", shifted(120, -2), 5, -2, 1},
		{"delay at the edge", shifted(120, 4), 4, 4, 1},
		{"no delay", shifted(120, 0), 3, 0, 1},
		// An anticorrelated copy, delayed: the peak is by |r|, so r = −1.
		{"anticorrelated", func() *mat.Dense {
			x := shifted(80, 2)
			x.Apply(func(i, j int, v float64) float64 {
				if j == 1 {
					return -v
				}
				return v
			}, x)
			return x
		}(), 4, 2, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, err := LaggedCorrelation(c.x, c.maxLag)
			if err != nil {
				t.Fatal(err)
			}
			if g := l.PeakLag.At(0, 1); g != c.wantLag {
				t.Errorf("PeakLag[0][1] = %v, want %v", g, c.wantLag)
			}
			if g := l.PeakLag.At(1, 0); g != -c.wantLag {
				t.Errorf("PeakLag[1][0] = %v, want %v", g, -c.wantLag)
			}
			if g := l.Peak.At(0, 1); !same(g, c.wantPeak, 1e-12) {
				t.Errorf("Peak[0][1] = %.15g, want %v", g, c.wantPeak)
			}
			for i := 0; i < 2; i++ {
				if l.PeakLag.At(i, i) != 0 || l.Peak.At(i, i) != 1 {
					t.Errorf("diagonal %d: peak %v at lag %v, want 1 at 0", i, l.Peak.At(i, i), l.PeakLag.At(i, i))
				}
			}
			// At and the reversed pair: r_ij(L) = r_ji(−L).
			for lag := -c.maxLag; lag <= c.maxLag; lag++ {
				if a, b := l.At(0, 1, lag), l.At(1, 0, -lag); a != b {
					t.Fatalf("r_01(%d) = %v, r_10(%d) = %v", lag, a, -lag, b)
				}
			}
		})
	}
}

func TestLaggedZeroIsPearson(t *testing.T) {
	x := randomTraces(11, 150, 7)
	r, err := Pearson(x)
	if err != nil {
		t.Fatal(err)
	}
	for _, maxLag := range []int{0, 3} {
		l, err := LaggedCorrelation(x, maxLag)
		if err != nil {
			t.Fatal(err)
		}
		var r0 mat.Dense
		l.LagTo(&r0, 0)
		// Pearson sums in another order (one symmetric product of the
		// centred traces): equal up to rounding.
		if !mat.EqualApprox(&r0, r, 1e-14) {
			t.Fatalf("maxLag %d: lag-0 matrix differs from Pearson", maxLag)
		}
		if maxLag == 0 && (!mat.EqualApprox(l.Peak, r, 1e-14) || mat.Norm(l.PeakLag, 1) != 0) {
			t.Fatal("maxLag 0: peak is not Pearson at lag 0")
		}
	}
}

// TestLaggedNaive checks every lag against the definition computed pair by
// pair on the shifted slices (a different algorithm: no BLAS, no reuse).
func TestLaggedNaive(t *testing.T) {
	const T, N, M = 90, 5, 6
	x := randomTraces(5, T, N)
	l, err := LaggedCorrelation(x, M)
	if err != nil {
		t.Fatal(err)
	}
	for lag := -M; lag <= M; lag++ {
		for i := 0; i < N; i++ {
			for j := 0; j < N; j++ {
				a, b := mat.Col(nil, i, x), mat.Col(nil, j, x)
				if lag >= 0 {
					a, b = a[:T-lag], b[lag:]
				} else {
					a, b = a[-lag:], b[:T+lag]
				}
				want := naivePearson(a, b)
				if g := l.At(i, j, lag); !same(g, want, 1e-12) {
					t.Fatalf("r_%d%d(%d) = %.15g, naive %.15g", i, j, lag, g, want)
				}
			}
		}
	}
}

func TestLaggedConstant(t *testing.T) {
	// Column 1 is constant over its first 4 samples only: at lag −3 its
	// overlap x1(0…3) is constant, so r_01(−3) (x0(3…6) with x1(0…3)) is
	// NaN; at lag 0 it is defined. Column 2 is constant throughout.
	x := cols(
		[]float64{1, 4, 2, 8, 5, 7, 3},
		[]float64{2, 2, 2, 2, 9, 1, 6},
		[]float64{3, 3, 3, 3, 3, 3, 3},
	)
	l, err := LaggedCorrelation(x, 3)
	if err != nil {
		t.Fatal(err)
	}
	if g := l.At(0, 1, -3); !math.IsNaN(g) {
		t.Errorf("r_01(−3) = %v, want NaN (constant overlap)", g)
	}
	if g := l.At(0, 1, 0); math.IsNaN(g) {
		t.Error("r_01(0) is NaN")
	}
	if g := l.Peak.At(0, 1); math.IsNaN(g) {
		t.Error("Peak[0][1] is NaN though some lags are defined")
	}
	for i := 0; i < 3; i++ {
		if g := l.Peak.At(i, 2); !math.IsNaN(g) || !math.IsNaN(l.PeakLag.At(i, 2)) || !math.IsNaN(l.PeakLag.At(2, i)) {
			t.Errorf("constant column: Peak[%d][2] = %v at lag %v, want NaN", i, g, l.PeakLag.At(i, 2))
		}
	}
}

func TestLaggedErrors(t *testing.T) {
	x := randomTraces(1, 10, 3)
	for _, c := range []struct {
		name   string
		x      mat.Matrix
		maxLag int
		want   error
	}{
		{"negative lag", x, -1, neurotab.ErrParam},
		{"lag leaves one sample", x, 9, neurotab.ErrShape},
		{"lag beyond T", x, 20, neurotab.ErrShape},
		{"one sample", mat.NewDense(1, 2, []float64{1, 2}), 0, neurotab.ErrShape},
		{"NaN", cols([]float64{1, math.NaN(), 3, 4}), 1, neurotab.ErrNotFinite},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, err := LaggedCorrelation(c.x, c.maxLag)
			if !errors.Is(err, c.want) || l != nil {
				t.Fatalf("got %v, %v; want nil, %v", l, err, c.want)
			}
		})
	}
	// The largest lag that leaves two samples works.
	if _, err := LaggedCorrelation(x, 8); err != nil {
		t.Fatalf("lag 8 of 10 samples: %v", err)
	}
}

func TestLaggedPanics(t *testing.T) {
	l, err := LaggedCorrelation(randomTraces(1, 20, 3), 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"At beyond MaxLag", func() { l.At(0, 1, 3) }},
		{"At below -MaxLag", func() { l.At(0, 1, -3) }},
		{"LagTo beyond MaxLag", func() { l.LagTo(&mat.Dense{}, 3) }},
		{"LagTo wrong shape", func() { l.LagTo(mat.NewDense(2, 2, nil), 0) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			c.f()
		})
	}
	// LagTo reuses a matrix of the right shape.
	dst := mat.NewDense(3, 3, nil)
	l.LagTo(dst, -2)
	if dst.At(1, 0) != l.At(1, 0, -2) || l.Neurons() != 3 {
		t.Fatal("LagTo into a 3×3 matrix")
	}
}
