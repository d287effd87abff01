package reservoir_test

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
)

// input returns a T×D input of sines.
func input(T, D int) *mat.Dense {
	U := mat.NewDense(T, D, nil)
	for i := range T {
		for j := range D {
			U.Set(i, j, math.Sin(0.3*float64(i)+float64(j)))
		}
	}
	return U
}

// TestRunMatchesSteps: Run equals a loop of Step from the zero state, for
// both leak forms; and running in two batches equals one run.
func TestRunMatchesSteps(t *testing.T) {
	for _, external := range []bool{false, true} {
		t.Run(map[bool]string{false: "leak on x", true: "external leak"}[external], func(t *testing.T) {
			e, err := reservoir.Config{Units: 20, Inputs: 2, Leak: 0.3, BiasScaling: 0.1, ExternalLeak: external, Seed: 1}.New()
			if err != nil {
				t.Fatal(err)
			}
			U := input(40, 2)
			var X mat.Dense
			if err := reservoir.NewRunner(e).Run(&X, U); err != nil {
				t.Fatal(err)
			}
			// By hand: z ← F(z, u), x = G(z).
			z, next, x := make([]float64, e.StateLen()), make([]float64, e.StateLen()), make([]float64, 20)
			for i := range 40 {
				e.Step(next, z, U.RawRowView(i), nil)
				z, next = next, z
				e.Observe(x, z)
				for j := range 20 {
					if X.At(i, j) != x[j] {
						t.Fatalf("X[%d][%d] = %g, step loop %g", i, j, X.At(i, j), x[j])
					}
				}
			}
			// Two batches.
			r := reservoir.NewRunner(e)
			var A, B mat.Dense
			if err := r.Run(&A, U.Slice(0, 15, 0, 2)); err != nil {
				t.Fatal(err)
			}
			if err := r.Run(&B, U.Slice(15, 40, 0, 2)); err != nil {
				t.Fatal(err)
			}
			var AB mat.Dense
			AB.Stack(&A, &B)
			if !mat.Equal(&AB, &X) {
				t.Error("two batches differ from one run")
			}
			// Runner.Step and Reset.
			r.Reset()
			for i := range 40 {
				got := r.Step(nil, U.RawRowView(i), nil)
				if !equalF(got, X.RawRowView(i)) {
					t.Fatalf("Runner.Step row %d differs from Run", i)
				}
			}
		})
	}
}

// TestRunForced: the step of row t is fed Y[t−1] (zero at t = 0), checked
// against ESN.Step by hand; the next Run continues with Y[T−1] fed back.
func TestRunForced(t *testing.T) {
	e, err := reservoir.Config{Units: 15, Feedback: 2, FeedbackDensity: 1, Seed: 2}.New()
	if err != nil {
		t.Fatal(err)
	}
	U, Y := input(30, 1), input(30, 2)
	r := reservoir.NewRunner(e)
	var X mat.Dense
	if err := r.RunForced(&X, U, Y); err != nil {
		t.Fatal(err)
	}
	z, next := make([]float64, 15), make([]float64, 15)
	y := make([]float64, 2)
	for i := range 30 {
		if i > 0 {
			copy(y, Y.RawRowView(i-1))
		}
		e.Step(next, z, U.RawRowView(i), y)
		z, next = next, z
		if !equalF(z, X.RawRowView(i)) {
			t.Fatalf("row %d differs from the hand loop", i)
		}
	}
	var X2 mat.Dense
	if err := r.Run(&X2, U.Slice(0, 1, 0, 1)); err != nil {
		t.Fatal(err)
	}
	e.Step(next, z, U.RawRowView(0), Y.RawRowView(29))
	if !equalF(next, X2.RawRowView(0)) {
		t.Error("Run after RunForced does not feed back Y[T−1]")
	}
}

// TestRunErrors: bad inputs give the documented sentinels.
func TestRunErrors(t *testing.T) {
	e, err := reservoir.Config{Units: 5, Inputs: 2, Density: 1}.New()
	if err != nil {
		t.Fatal(err)
	}
	nan := input(4, 2)
	nan.Set(2, 1, math.NaN())
	fb, _ := reservoir.Config{Units: 5, Feedback: 1, Density: 1}.New()
	yNaN := input(4, 1)
	yNaN.Set(3, 0, math.Inf(1))
	cases := map[string]struct {
		run  func() error
		want error
	}{
		"columns":        {func() error { var X mat.Dense; return reservoir.NewRunner(e).Run(&X, input(4, 3)) }, neurotab.ErrShape},
		"NaN":            {func() error { var X mat.Dense; return reservoir.NewRunner(e).Run(&X, nan) }, neurotab.ErrNotFinite},
		"forced, no fb":  {func() error { var X mat.Dense; return reservoir.NewRunner(e).RunForced(&X, input(4, 2), input(4, 1)) }, neurotab.ErrShape},
		"forced, Y rows": {func() error { var X mat.Dense; return reservoir.NewRunner(fb).RunForced(&X, input(4, 1), input(3, 1)) }, neurotab.ErrShape},
		"forced, Y last": {func() error { var X mat.Dense; return reservoir.NewRunner(fb).RunForced(&X, input(4, 1), yNaN) }, neurotab.ErrNotFinite},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if err := tc.run(); !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("dst size panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("no panic on a 3×5 dst for 4 rows")
			}
		}()
		reservoir.NewRunner(e).Run(mat.NewDense(3, 5, nil), input(4, 2))
	})
}

// TestParameters: the zero Config's parameters are the documented
// defaults.
func TestParameters(t *testing.T) {
	p := reservoir.Config{}.Parameters()
	want := map[string]any{
		"units": 100, "inputs": 1, "feedback": 0, "activation": "tanh", "external_leak": false, "leak": 1.0,
		"density": 0.1, "in_degree": 0, "weights": "normal", "spectral_radius": 0.9, "orthogonal": false,
		"input_scaling": 1.0, "input_density": 0.1, "input_weights": "bernoulli", "bias_scaling": 0.0,
		"feedback_scaling": 1.0, "feedback_density": 0.1, "excitatory": 0.0, "balanced": false, "inhibition_scale": 1.0, "seed": "0",
	}
	if len(p) != len(want) {
		t.Errorf("%d parameters, want %d: %v", len(p), len(want), p)
	}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("%s = %v, want %v", k, p[k], v)
		}
	}
}

// TestSharedESN: Runners on one ESN in parallel goroutines give the run of
// a lone Runner (the ESN is only read; run with -race).
func TestSharedESN(t *testing.T) {
	e, err := reservoir.Config{Units: 30, Seed: 5}.New()
	if err != nil {
		t.Fatal(err)
	}
	U := input(100, 1)
	var want mat.Dense
	if err := reservoir.NewRunner(e).Run(&want, U); err != nil {
		t.Fatal(err)
	}
	got := make([]mat.Dense, 4)
	done := make(chan error, len(got))
	for i := range got {
		go func() { done <- reservoir.NewRunner(e).Run(&got[i], U) }()
	}
	for range got {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	for i := range got {
		if !mat.Equal(&got[i], &want) {
			t.Errorf("runner %d differs", i)
		}
	}
}
