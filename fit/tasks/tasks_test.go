package tasks_test

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/fit/tasks"
)

// delayLine returns an N-unit linear shift register: unit 0 receives u,
// unit i copies unit i−1 (W[i][i−1] = 1), so x[t] = (u[t], u[t−1], …,
// u[t−N+1]) exactly.
func delayLine(n int) *reservoir.ESN {
	w := mat.NewDense(n, n, nil)
	for i := 1; i < n; i++ {
		w.Set(i, i-1, 1)
	}
	in := mat.NewDense(n, 1, nil)
	in.Set(0, 0, 1)
	leak := make([]float64, n)
	for i := range leak {
		leak[i] = 1
	}
	return &reservoir.ESN{W: reservoir.NewCSR(w), In: in, Leak: leak, Activation: reservoir.Identity}
}

// TestMemoryDelayLine: a 10-unit delay line holds u[t−1] … u[t−9] exactly
// and nothing older, so r²_k = 1 for k = 1…9 and r²_k ≈ 0 for k ≥ 10 (a
// chance correlation of 2000 i.i.d. held-out samples, E r² = 1/2000 per
// term): MC = 9 + ε with ε < 11 · 5/2000.
func TestMemoryDelayLine(t *testing.T) {
	const n = 10
	m := tasks.Memory{Seed: 3}
	U := m.Input(n)
	var X mat.Dense
	if err := reservoir.NewRunner(delayLine(n)).Run(&X, U); err != nil {
		t.Fatal(err)
	}
	mc, terms, err := m.Capacity(&X, U)
	if err != nil {
		t.Fatal(err)
	}
	if len(terms) != 2*n {
		t.Fatalf("%d terms, want 2N = %d", len(terms), 2*n)
	}
	for k := 1; k <= 2*n; k++ {
		r2 := terms[k-1]
		if k < n && math.Abs(r2-1) > 1e-9 {
			t.Errorf("r²_%d = %.12f, want 1", k, r2)
		}
		if k >= n && r2 > 5.0/2000 {
			t.Errorf("r²_%d = %.6f, want ≈ 0", k, r2)
		}
	}
	if mc < 9-1e-8 || mc > 9+11*5.0/2000 {
		t.Errorf("MC = %.6f, want 9 + small", mc)
	}
}

// TestMemoryInput: u is uniform on [−0.8, 0.8] (mean 0, variance
// 0.8²/3 = 0.21333 within 4σ of 7200 samples), and the same seed gives the
// same bits.
func TestMemoryInput(t *testing.T) {
	m := tasks.Memory{Seed: 11}
	U := m.Input(100)
	if r, c := U.Dims(); r != 200+5000+2000 || c != 1 {
		t.Fatalf("input %d×%d, want 7200×1", r, c)
	}
	var mean, v float64
	raw := U.RawMatrix().Data
	for _, u := range raw {
		if u < -0.8 || u > 0.8 {
			t.Fatalf("u = %g outside [−0.8, 0.8]", u)
		}
		mean += u
	}
	mean /= float64(len(raw))
	for _, u := range raw {
		v += (u - mean) * (u - mean)
	}
	v /= float64(len(raw))
	// σ(mean) = sqrt(0.2133/7200) = 0.0054; σ(var) ≈ sqrt(0.8⁴·4/45/7200) = 0.0022.
	if math.Abs(mean) > 4*0.0054 || math.Abs(v-0.64/3) > 4*0.0022 {
		t.Errorf("mean %g, variance %g; want 0 and 0.2133", mean, v)
	}
	if !mat.Equal(U, m.Input(100)) {
		t.Error("same seed, different input")
	}
}

// TestMemoryErrors covers the settings and shapes Capacity refuses.
func TestMemoryErrors(t *testing.T) {
	m := tasks.Memory{Train: 50, Test: 20, Washout: 10, KMax: 5}
	U := m.Input(4)
	good := mat.NewDense(m.Len(4), 4, nil)
	nan := mat.NewDense(m.Len(4), 4, nil)
	nan.Set(3, 2, math.NaN())
	cases := map[string]struct {
		m    tasks.Memory
		X, U mat.Matrix
		want error
	}{
		"negative": {tasks.Memory{Train: -1}, good, U, neurotab.ErrParam},
		"rows":     {m, mat.NewDense(10, 4, nil), U, neurotab.ErrShape},
		"U cols":   {m, good, mat.NewDense(m.Len(4), 2, nil), neurotab.ErrShape},
		"NaN":      {m, nan, U, neurotab.ErrNotFinite},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if _, _, err := tc.m.Capacity(tc.X, tc.U); !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
}

// TestNARMA10 checks the recurrence step by step against the formula, with
// its own loop: y[t+1] = 0.3 y[t] + 0.05 y[t] Σ_{i=0}^{9} y[t−i]
// + 1.5 u[t−9] u[t] + 0.1, and the first values by hand: y[t] = 0 for
// t ≤ 9, y[10] = 1.5 u[0] u[9] + 0.1.
func TestNARMA10(t *testing.T) {
	U, Y, err := tasks.NARMA10(1, 500)
	if err != nil {
		t.Fatal(err)
	}
	u := func(t int) float64 { return U.At(t, 0) }
	y := func(t int) float64 { // y[t] is row t−1 of Y
		if t == 0 {
			return 0
		}
		return Y.At(t-1, 0)
	}
	for i := range 9 {
		if y(i+1) != 0 {
			t.Fatalf("y[%d] = %g, want 0", i+1, y(i+1))
		}
	}
	if got, want := y(10), 1.5*u(0)*u(9)+0.1; got != want {
		t.Errorf("y[10] = %.17g, want %.17g", got, want)
	}
	for s := 10; s < 499; s++ {
		var sum float64
		for i := range 10 {
			sum += y(s - i)
		}
		want := 0.3*y(s) + 0.05*y(s)*sum + 1.5*u(s-9)*u(s) + 0.1
		if math.Abs(y(s+1)-want) > 1e-15 {
			t.Fatalf("y[%d] = %.17g, want %.17g", s+1, y(s+1), want)
		}
	}
	for i := range 500 {
		if v := u(i); v < 0 || v > 0.5 {
			t.Fatalf("u[%d] = %g outside [0, 0.5]", i, v)
		}
	}
}

// TestNARMA10Diverges: with seed 500 the series leaves every bound at step
// 1623 (found by running it); the error names the step.
func TestNARMA10Diverges(t *testing.T) {
	_, _, err := tasks.NARMA10(500, 3000)
	if !errors.Is(err, neurotab.ErrNotFinite) {
		t.Fatalf("error %v, want ErrNotFinite", err)
	}
	if _, _, err := tasks.NARMA10(500, 1600); err != nil {
		t.Errorf("the first 1600 steps: %v", err)
	}
	if _, _, err := tasks.NARMA10(1, 0); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("T = 0: %v, want ErrParam", err)
	}
}

// mgEuler integrates Mackey–Glass independently: forward Euler with step
// 0.001 (delay 17000 steps) from the same constant history.
func mgEuler(x0, units float64) float64 {
	const h = 0.001
	lag := 17000
	steps := int(units / h)
	x := make([]float64, lag+steps+1)
	for i := 0; i <= lag; i++ {
		x[i] = x0
	}
	for i := lag; i < lag+steps; i++ {
		d := x[i-lag]
		x[i+1] = x[i] + h*(0.2*d/(1+math.Pow(d, 10))-0.1*x[i])
	}
	return x[lag+steps]
}

// TestMackeyGlass checks the RK4 series (h = 0.1) from a constant history
// X0 = 1.2 against an independent forward-Euler integration with a step
// 100 times finer, over the first 40 time units (before chaos amplifies
// differences); Euler's global error is O(h): measured 4.7e-5, asserted
// ≤ 2e-4. It also checks that the default series spans the τ = 17
// attractor (roughly 0.4 to 1.35; here within (0.3, 1.4) and at least 0.8
// wide) and that a seed changes it.
func TestMackeyGlass(t *testing.T) {
	t.Run("against Euler", func(t *testing.T) {
		x, err := tasks.MackeyGlass{Transient: -1, Jitter: -1}.Series(41)
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for i := 1; i <= 40; i += 3 {
			worst = math.Max(worst, math.Abs(x.At(i, 0)-mgEuler(1.2, float64(i))))
		}
		t.Logf("max |RK4 − Euler| over t ≤ 40: %.3g", worst)
		if worst > 2e-4 {
			t.Errorf("RK4 and Euler differ by %.3g, want ≤ 2e-4", worst)
		}
	})
	t.Run("attractor", func(t *testing.T) {
		a, err := tasks.MackeyGlass{Seed: 1}.Series(3000)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := tasks.MackeyGlass{Seed: 2}.Series(3000)
		lo, hi := mat.Min(a), mat.Max(a)
		t.Logf("range [%.4f, %.4f]", lo, hi)
		if lo < 0.3 || hi > 1.4 || hi-lo < 0.8 {
			t.Errorf("range [%g, %g], want within (0.3, 1.4) and at least 0.8 wide", lo, hi)
		}
		if mat.Equal(a, b) {
			t.Error("seeds 1 and 2 give the same series")
		}
	})
	t.Run("errors", func(t *testing.T) {
		for name, m := range map[string]tasks.MackeyGlass{"tau": {Tau: -1}, "beta": {Beta: math.Inf(1)}, "short tau": {Tau: 0.01}} {
			if _, err := m.Series(10); !errors.Is(err, neurotab.ErrParam) {
				t.Errorf("%s: %v, want ErrParam", name, err)
			}
		}
		if _, err := (tasks.MackeyGlass{}).Series(0); !errors.Is(err, neurotab.ErrParam) {
			t.Errorf("T = 0: %v, want ErrParam", err)
		}
	})
}

// TestNRMSERange: by hand, Y = (0, 1, 2, 4) (range 4), Ŷ = Y + (1, −1, 1,
// −1): RMSE 1, NRMSE 0.25; a constant column gives NaN.
func TestNRMSERange(t *testing.T) {
	Y := mat.NewDense(4, 2, []float64{0, 3, 1, 3, 2, 3, 4, 3})
	Yh := mat.NewDense(4, 2, []float64{1, 3, 0, 3, 3, 3, 3, 3})
	got, err := tasks.NRMSERange(Y, Yh)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != 0.25 || !math.IsNaN(got[1]) {
		t.Errorf("NRMSERange = %v, want [0.25 NaN]", got)
	}
	if _, err := tasks.NRMSERange(Y, mat.NewDense(3, 2, nil)); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("shape mismatch: %v, want ErrShape", err)
	}
}
