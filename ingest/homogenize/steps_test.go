package homogenize

import (
	"errors"
	"math"
	"testing"

	"github.com/neurotab/neurotab"
)

var nan = math.NaN()

func TestFillLinearReference(t *testing.T) {
	r := loadReference(t)
	// expected: np.interp(t, t[finite], x[finite]) in make_reference.py.
	got, n := FillLinear(nil, r.Series.T, r.Series.XNaN)
	checkClose(t, "FillLinear vs np.interp", got, r.Fill.Expected)
	if n != r.Fill.Filled {
		t.Errorf("filled %d samples, want %d (NaNs in the input)", n, r.Fill.Filled)
	}
	// In place gives the same result.
	x := append([]float64(nil), r.Series.XNaN...)
	got2, _ := FillLinear(x, r.Series.T, x)
	checkClose(t, "FillLinear in place", got2, r.Fill.Expected)
}

func TestFillLinear(t *testing.T) {
	cases := []struct {
		name   string
		t, x   []float64
		want   []float64 // hand derivation
		filled int
	}{
		{"no gaps", []float64{0, 1, 2}, []float64{5, 6, 7}, []float64{5, 6, 7}, 0},
		// 1 + (4−1)·(1.5−0)/(3−0) = 2.5 at t=1.5; 1 + 3·2/3 = 3 at t=2
		{"uneven interior gap", []float64{0, 1.5, 2, 3}, []float64{1, nan, nan, 4}, []float64{1, 2.5, 3, 4}, 2},
		{"edges held", []float64{0, 1, 2, 3, 4}, []float64{nan, nan, 2, nan, nan}, []float64{2, 2, 2, 2, 2}, 4},
		{"all NaN", []float64{0, 1}, []float64{nan, nan}, []float64{nan, nan}, 0},
		{"empty", nil, nil, []float64{}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, n := FillLinear(nil, c.t, c.x)
			if d := maxDiff(t, got, c.want); d > 1e-15 {
				t.Errorf("got %v, want %v", got, c.want)
			}
			if n != c.filled {
				t.Errorf("filled %d, want %d", n, c.filled)
			}
		})
	}
}

func TestInterpReference(t *testing.T) {
	r := loadReference(t)
	// expected: np.interp(q, t, x); q has points outside [t0, tN], exactly
	// at both ends, 20 unsorted and 20 sorted.
	got := Interp(nil, r.Interp.Q, r.Series.T, r.Series.X)
	checkClose(t, "Interp vs np.interp", got, r.Interp.Expected)
}

func TestMovingAverageReference(t *testing.T) {
	r := loadReference(t)
	for _, c := range r.Moving {
		t.Run("window"+itoa(c.Window), func(t *testing.T) {
			// expected: pandas rolling(w//2+1, min_periods=1).mean() with w made odd
			checkClose(t, "MovingAverage vs pandas rolling", MovingAverage(nil, r.Series.X, c.Window), c.Expected)
		})
	}
}

func TestMovingAverage(t *testing.T) {
	cases := []struct {
		name string
		x    []float64
		w    int
		want []float64 // hand derivation
	}{
		// w=3 → 2 samples: [1, (1+2)/2, NaN, NaN (window holds the NaN), (4+5)/2, (5+6)/2]
		{"NaN propagates through its window", []float64{1, 2, nan, 4, 5, 6}, 3, []float64{1, 1.5, nan, nan, 4.5, 5.5}},
		// w=2 is made 3: same 2-sample window
		{"even window made odd", []float64{2, 4, 6}, 2, []float64{2, 3, 5}},
		{"window 0 is a copy", []float64{2, 4, 6}, 0, []float64{2, 4, 6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if d := maxDiff(t, MovingAverage(nil, c.x, c.w), c.want); d > 1e-15 {
				t.Errorf("got %v, want %v", MovingAverage(nil, c.x, c.w), c.want)
			}
		})
	}
	t.Run("long ramp", func(t *testing.T) {
		// x[i] = i: the mean of the last 8 samples is i − 3.5 (closed form),
		// checked over 100 000 samples to catch drift of the running sum.
		x := make([]float64, 100000)
		for i := range x {
			x[i] = float64(i)
		}
		y := MovingAverage(nil, x, 15)
		for i := 7; i < len(x); i++ {
			if d := math.Abs(y[i] - (float64(i) - 3.5)); d > 1e-9 {
				t.Fatalf("y[%d] = %g, want %g", i, y[i], float64(i)-3.5)
			}
		}
	})
}

func TestGaussianSmoothReference(t *testing.T) {
	r := loadReference(t)
	for _, c := range r.Gaussian {
		t.Run("sigma"+ftoa(c.Sigma), func(t *testing.T) {
			// expected: the causal half-Gaussian over the whole past, numpy loop
			checkClose(t, "GaussianSmooth vs numpy", GaussianSmooth(nil, r.Series.X, c.Sigma), c.Expected)
		})
	}
	t.Run("constant", func(t *testing.T) {
		// normalized weights: a constant stays constant
		y := GaussianSmooth(nil, []float64{3, 3, 3, 3}, 2)
		if d := maxDiff(t, y, []float64{3, 3, 3, 3}); d > 1e-15 {
			t.Errorf("got %v", y)
		}
	})
}

func TestExponentialSmoothReference(t *testing.T) {
	r := loadReference(t)
	for _, c := range r.Exponential {
		t.Run("alpha"+ftoa(c.Alpha), func(t *testing.T) {
			// expected: pandas ewm(alpha, adjust=False).mean()
			checkClose(t, "ExponentialSmooth vs pandas ewm", ExponentialSmooth(nil, r.Series.X, c.Alpha), c.Expected)
		})
	}
	// hand: y0 = 2, y1 = 0.5·4 + 0.5·2 = 3, y2 = 0.5·0 + 0.5·3 = 1.5
	if d := maxDiff(t, ExponentialSmooth(nil, []float64{2, 4, 0}, 0.5), []float64{2, 3, 1.5}); d > 0 {
		t.Errorf("hand case off by %g", d)
	}
}

func TestZScoreReference(t *testing.T) {
	r := loadReference(t)
	// expected: scipy.stats.zscore(ddof=0), nan_policy="omit" for the NaN case
	checkClose(t, "ZScore vs scipy", ZScore(nil, r.Series.X), r.ZScore.Expected)
	checkClose(t, "ZScore with NaN vs scipy omit", ZScore(nil, r.Series.XNaN), r.ZScore.ExpectedNaN)
	cases := []struct {
		name string
		x    []float64
		want []float64
	}{
		// mean 2, population SD 1: (1−2)/1, (3−2)/1
		{"two points", []float64{1, 3}, []float64{-1, 1}},
		// StandardScaler: zero variance → scale 1 → zeros
		{"constant", []float64{4, 4, 4}, []float64{0, 0, 0}},
		{"all NaN", []float64{nan, nan}, []float64{nan, nan}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if d := maxDiff(t, ZScore(nil, c.x), c.want); d > 1e-15 {
				t.Errorf("got %v, want %v", ZScore(nil, c.x), c.want)
			}
		})
	}
}

func TestCausalNormalizeReference(t *testing.T) {
	r := loadReference(t)
	// expected: pandas expanding mean and std(ddof=0), variance floored at 1e-8
	checkClose(t, "CausalNormalize vs pandas expanding", CausalNormalize(nil, r.Series.X), r.Causal.Expected)
	checkClose(t, "CausalNormalize (mean 1e4) vs pandas expanding", CausalNormalize(nil, r.Causal.XBig), r.Causal.ExpectedBig)
	// hand: z0 = 0 (x0 − m0 = 0); m1 = 2, v1 = 1 → z1 = (3 − 2)/1 = 1
	if d := maxDiff(t, CausalNormalize(nil, []float64{1, 3}), []float64{0, 1}); d > 1e-15 {
		t.Errorf("hand case off by %g", d)
	}
}

func TestResampleReference(t *testing.T) {
	r := loadReference(t)
	for _, c := range []struct {
		name string
		ref  resampleRef
		down bool
	}{
		{"up", r.ResampleUp, false},    // median dt 0.6 s > 0.333 s
		{"down", r.ResampleDown, true}, // median dt 0.1 s ≤ 0.333 s
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := NewGrid(c.ref.T, r.Dt)
			if err != nil {
				t.Fatal(err)
			}
			if g.Down != c.down {
				t.Errorf("Down = %v, want %v", g.Down, c.down)
			}
			// expected: np.interp onto np.arange(0, t_max, dt) (up), or onto
			// np.arange(0, t_max, dt/6) then reshape(-1, 6).mean(1) (down)
			checkClose(t, "times vs np.arange", g.Time, c.ref.TNew)
			checkClose(t, "values vs numpy", g.Resample(nil, c.ref.X), c.ref.Expected)
			tn, xn, err := Resample(c.ref.T, c.ref.X, r.Dt)
			if err != nil {
				t.Fatal(err)
			}
			checkClose(t, "Resample times", tn, c.ref.TNew)
			checkClose(t, "Resample values", xn, c.ref.Expected)
		})
	}
	// expected: x[:18].reshape(3, 6).mean(1)
	checkClose(t, "BlockMean vs numpy", BlockMean(nil, r.BlockMean.X, r.BlockMean.K), r.BlockMean.Expected)
}

func TestGrid(t *testing.T) {
	t.Run("hand upsample", func(t *testing.T) {
		// a line is reproduced exactly: x = 10 t at t = 0, 0.5, 1, 1.5 (2 excluded)
		g, err := NewGrid([]float64{0, 1, 2}, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(t, g.Resample(nil, []float64{0, 10, 20}), []float64{0, 5, 10, 15}); d > 1e-14 {
			t.Errorf("off by %g", d)
		}
		if g.Method() != "linear" {
			t.Errorf("Method %q", g.Method())
		}
	})
	t.Run("equal spacing downsamples", func(t *testing.T) {
		// published: upsample only when dt < median spacing
		tm := []float64{0, 1, 2, 3, 4, 5, 6, 7}
		g, err := NewGrid(tm, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !g.Down || g.Method() != "linear+block_mean(6)" {
			t.Errorf("Down = %v, Method %q", g.Down, g.Method())
		}
		// fine grid 0, 1/6, …, 41/6 (42 points < 7); a line x = t averages
		// to the block centre: k + 2.5/6
		y := g.Resample(nil, tm)
		want := make([]float64, 7)
		for k := range want {
			want[k] = float64(k) + 2.5/6
		}
		if d := maxDiff(t, y, want); d > 1e-12 {
			t.Errorf("got %v, want %v", y, want)
		}
	})
	for _, c := range []struct {
		name string
		t    []float64
		dt   float64
		is   error
		msg  string
	}{
		{"one sample", []float64{0}, 0.3, neurotab.ErrShape, "homogenize: resampling needs at least 2 samples, have 1: shape mismatch"},
		{"zero dt", []float64{0, 1}, 0, neurotab.ErrParam, "homogenize: resampling step 0 s is not a positive number: invalid parameter"},
		{"NaN dt", []float64{0, 1}, nan, neurotab.ErrParam, "homogenize: resampling step NaN s is not a positive number: invalid parameter"},
		{"not increasing", []float64{0, 1, 1}, 0.3, neurotab.ErrTimeOrder, "homogenize: time does not increase at sample 2 (1 after 1): time runs backwards"},
		{"NaN time", []float64{0, nan, 2}, 0.3, neurotab.ErrNotFinite, "homogenize: time NaN at sample 1: not finite"},
		// 0.333 ≥ median 0.1: fine step 0.0555 s, ⌈0.1/0.0555⌉ = 2 fine samples, 0 blocks of 6
		{"shorter than a step", []float64{0, 0.1}, 0.333, neurotab.ErrShape, "homogenize: recording of 0.1 s is shorter than one resampling step (0.333 s): shape mismatch"},
	} {
		t.Run("error/"+c.name, func(t *testing.T) {
			g, err := NewGrid(c.t, c.dt)
			if g != nil || !errors.Is(err, c.is) || err.Error() != c.msg {
				t.Errorf("grid %v, error %v, want %q wrapping %v", g, err, c.msg, c.is)
			}
		})
	}
	if _, _, err := Resample([]float64{0, 1}, []float64{1}, 0.3); !errors.Is(err, neurotab.ErrShape) || err.Error() != "homogenize: 2 times for 1 samples: shape mismatch" {
		t.Errorf("Resample with mismatched lengths: error %v", err)
	}
}
