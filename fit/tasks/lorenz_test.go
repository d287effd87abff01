package tasks_test

import (
	"encoding/csv"
	"errors"
	"math"
	"os"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/tasks"
)

// lorenzReference reads testdata/lorenz_reference.csv (t, x, y, z every
// 0.01 from (1, 1, 1), scipy DOP853 at 1e-13; see lorenz_reference.py).
func lorenzReference(t *testing.T) [][4]float64 {
	t.Helper()
	f, err := os.Open("testdata/lorenz_reference.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out [][4]float64
	for _, row := range rows[1:] {
		var v [4]float64
		for j := range v {
			if v[j], err = strconv.ParseFloat(row[j], 64); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, v)
	}
	return out
}

// TestLorenz compares the RK4 series with scipy's DOP853 reference (error
// 1e-13): within 2e-3 up to t = 5 (measured 7.6e-4, 4e-5 of the
// attractor's extent), and halving Dt divides the error up to t = 1 by
// about 2⁴ = 16 (fourth order).
func TestLorenz(t *testing.T) {
	ref := lorenzReference(t)
	maxErr := func(dt float64, upto float64) float64 {
		per := int(math.Round(0.01 / dt))
		n := int(math.Round(upto/0.01)) + 1
		X, err := tasks.Lorenz{Dt: dt, Transient: -1}.Series((n-1)*per + 1)
		if err != nil {
			t.Fatal(err)
		}
		var m float64
		for i := range n {
			for j := range 3 {
				m = math.Max(m, math.Abs(X.At(i*per, j)-ref[i][j+1]))
			}
		}
		return m
	}
	e1, e5 := maxErr(0.01, 1), maxErr(0.01, 5)
	half := maxErr(0.005, 1)
	t.Logf("max |RK4 − DOP853|: %.3g up to t = 1, %.3g up to t = 5; Dt = 0.005: %.3g (ratio %.1f)", e1, e5, half, e1/half)
	if e5 > 2e-3 {
		t.Errorf("RK4 error %.3g up to t = 5, want ≤ 2e-3", e5)
	}
	if r := e1 / half; r < 12 || r > 20 {
		t.Errorf("halving Dt divides the error by %.1f, want about 16", r)
	}
}

// TestLorenzAttractor: after the default transient, 20000 samples stay on
// the attractor (|x| < 20, |y| < 30, 0 < z < 50, the known extent for the
// standard parameters), and bad settings are refused.
func TestLorenzAttractor(t *testing.T) {
	X, err := tasks.Lorenz{}.Series(20000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		col    int
		lo, hi float64
	}{{0, -20, 20}, {1, -30, 30}, {2, 0, 50}} {
		col := mat.Col(nil, c.col, X)
		lo, hi := col[0], col[0]
		for _, v := range col {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if lo < c.lo || hi > c.hi || hi-lo < (c.hi-c.lo)/3 {
			t.Errorf("column %d spans [%.2f, %.2f], want inside [%g, %g] and wide", c.col, lo, hi, c.lo, c.hi)
		}
	}
	for name, tc := range map[string]struct {
		l    tasks.Lorenz
		T    int
		want error
	}{
		"zero length":   {tasks.Lorenz{}, 0, neurotab.ErrParam},
		"negative Dt":   {tasks.Lorenz{Dt: -0.01}, 10, neurotab.ErrParam},
		"NaN rho":       {tasks.Lorenz{Rho: math.NaN()}, 10, neurotab.ErrParam},
		"step too long": {tasks.Lorenz{Dt: 0.5}, 100, neurotab.ErrNotFinite},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := tc.l.Series(tc.T); !errors.Is(err, tc.want) {
				t.Errorf("Series = %v, want %v", err, tc.want)
			}
		})
	}
}
