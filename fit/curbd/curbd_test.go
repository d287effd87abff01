package curbd_test

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/curbd"
	"github.com/neurotab/neurotab/internal/estimatortest"
)

// teacher simulates the ground-truth rate network of the tests: N units,
// J = g·N(0, 1)/√N from stream 1 of seed, x ← x + (1/τ)(−x + J tanh x) with
// τ = 10 samples, x(0) ~ N(0, 1) from stream 2, a transient of 200
// samples discarded; it returns the T×N rates tanh(x) and J.
func teacher(seed neurotab.Seed, n, T int, g float64) (R, J *mat.Dense) {
	rng := seed.Rand(1)
	J = mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			J.Set(i, j, g*rng.NormFloat64()/math.Sqrt(float64(n)))
		}
	}
	x0 := seed.Rand(2)
	x := mat.NewVecDense(n, nil)
	for i := range n {
		x.SetVec(i, x0.NormFloat64())
	}
	r := mat.NewVecDense(n, nil)
	jr := mat.NewVecDense(n, nil)
	R = mat.NewDense(T, n, nil)
	const tau, transient = 10.0, 200
	for s := range transient + T {
		for i := range n {
			r.SetVec(i, math.Tanh(x.AtVec(i)))
		}
		if s >= transient {
			R.SetRow(s-transient, r.RawVector().Data)
		}
		jr.MulVec(J, r)
		for i := range n {
			x.SetVec(i, x.AtVec(i)+(-x.AtVec(i)+jr.AtVec(i))/tau)
		}
	}
	return R, J
}

// TestRecoversTeacher: traces of a chaotic random rate network with known J
// (N = 100, g = 1.5) are reproduced with pVar ≥ 0.9 (issue 11); the
// correlation of the learned J with the true J is reported.
func TestRecoversTeacher(t *testing.T) {
	if testing.Short() {
		t.Skip("100 epochs of 500 samples")
	}
	R, Jtrue := teacher(7, 100, 500, 1.5)
	c := curbd.CURBD{Seed: 1}
	if err := c.Fit(R); err != nil {
		t.Fatal(err)
	}
	pvar, err := c.PVar()
	if err != nil {
		t.Fatal(err)
	}
	var J mat.Dense
	if err := c.JTo(&J); err != nil {
		t.Fatal(err)
	}
	corr := stat.Correlation(J.RawMatrix().Data, Jtrue.RawMatrix().Data, nil)
	var free mat.Dense
	if err := c.SimulateTo(&free); err != nil {
		t.Fatal(err)
	}
	// J seen through the rates: J·Q with Q the projector on the principal
	// components of R that hold 99% of its variance.
	var pc stat.PC
	if !pc.PrincipalComponents(R, nil) {
		t.Fatal("PCA failed")
	}
	vars := pc.VarsTo(nil)
	total, kept, k := floats.Sum(vars), 0.0, 0
	for kept < 0.99*total {
		kept += vars[k]
		k++
	}
	var V, Q, jq, jtq mat.Dense
	pc.VectorsTo(&V)
	vk := V.Slice(0, 100, 0, k)
	Q.Mul(vk, vk.T())
	jq.Mul(&J, &Q)
	jtq.Mul(Jtrue, &Q)
	corrQ := stat.Correlation(jq.RawMatrix().Data, jtq.RawMatrix().Data, nil)
	t0 := curbd.CURBD{Seed: 1, Epochs: 1}
	if err := t0.Fit(R); err != nil {
		t.Fatal(err)
	}
	p1, _ := t0.PVar()
	pfree := curbd.PVar(R, &free)
	t.Logf("pVar after 1 epoch %.4f, after 100 %.4f, free run %.4f; corr(J, J_true) = %.3f; on the %d PCs with 99%% of the variance corr(JQ, J_true Q) = %.3f",
		p1, pvar, pfree, corr, k, corrQ)
	if pvar < 0.9 || pfree < 0.9 {
		t.Errorf("pVar = %.4f (free run %.4f), want ≥ 0.9", pvar, pfree)
	}
}

// TestPVar checks pVar on closed forms: 1 for A = R, 0 for A = mean(R),
// and 1 − ‖A−R‖²/(NT σ²) on a 2×2 case by hand.
func TestPVar(t *testing.T) {
	R := mat.NewDense(2, 2, []float64{1, 2, 3, 4}) // mean 2.5, σ² = 1.25
	mean := mat.NewDense(2, 2, []float64{2.5, 2.5, 2.5, 2.5})
	off := mat.NewDense(2, 2, []float64{1, 2, 3, 5}) // ‖A−R‖² = 1
	for _, tc := range []struct {
		name string
		A    mat.Matrix
		want float64
	}{{"A = R", R, 1}, {"A = mean", mean, 0}, {"one entry off by 1", off, 1 - 1/(4*1.25)}} {
		t.Run(tc.name, func(t *testing.T) {
			if got := curbd.PVar(R, tc.A); math.Abs(got-tc.want) > 1e-15 {
				t.Errorf("PVar = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFitErrors(t *testing.T) {
	big := mat.NewDense(3, 2, []float64{0.1, 0.2, 1.5, 0.1, 0, 0})
	nan := mat.NewDense(3, 2, []float64{0.1, 0.2, math.NaN(), 0.1, 0, 0})
	neg := mat.NewDense(3, 2, []float64{-0.1, -0.2, -1.5, -0.1, -1, -2})
	for _, tc := range []struct {
		name string
		c    curbd.CURBD
		R    mat.Matrix
		want error
	}{
		{"one sample", curbd.CURBD{}, mat.NewDense(1, 3, nil), neurotab.ErrShape},
		{"trace above 1", curbd.CURBD{}, big, neurotab.ErrOutOfRange},
		{"NaN", curbd.CURBD{}, nan, neurotab.ErrNotFinite},
		{"scale with no positive value", curbd.CURBD{Scale: true}, neg, neurotab.ErrOutOfRange},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Fit(tc.R)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Fit = %v, want %v", err, tc.want)
			}
			if _, err := tc.c.PVar(); !errors.Is(err, neurotab.ErrNotFitted) {
				t.Errorf("PVar after a failed Fit = %v, want ErrNotFitted", err)
			}
		})
	}
	t.Run("scale", func(t *testing.T) {
		c := curbd.CURBD{Scale: true, Epochs: 2}
		if err := c.Fit(big); err != nil {
			t.Fatal(err)
		}
		if f, _ := c.ScaleFactor(); f != 1/1.5 {
			t.Errorf("scale factor %v, want 1/1.5", f)
		}
	})
}

func TestConformance(t *testing.T) {
	R, _ := teacher(3, 8, 40, 1.5)
	estimatortest.Run(t, estimatortest.Case[*curbd.CURBD]{
		Package: "curbd",
		New:     func() *curbd.CURBD { return &curbd.CURBD{} },
		Defaults: map[string]any{"g": 1.5, "tau": 10.0, "substeps": 1, "alpha": 1.0, "epochs": 100,
			"noise": 0.0, "noise_tau": 10.0, "scale": false, "seed": "0"},
		Bad: map[string]func(*curbd.CURBD){
			"negative G":         func(c *curbd.CURBD) { c.G = -1 },
			"NaN Tau":            func(c *curbd.CURBD) { c.Tau = math.NaN() },
			"Tau below the step": func(c *curbd.CURBD) { c.Tau = 0.5 },
			"negative Substeps":  func(c *curbd.CURBD) { c.Substeps = -1 },
			"negative Alpha":     func(c *curbd.CURBD) { c.Alpha = -1 },
			"negative Epochs":    func(c *curbd.CURBD) { c.Epochs = -2 },
			"negative Noise":     func(c *curbd.CURBD) { c.Noise = -0.1 },
			"Inf NoiseTau":       func(c *curbd.CURBD) { c.NoiseTau = math.Inf(1) },
		},
		Fit: func(c *curbd.CURBD) error { return c.Fit(R) },
		Results: map[string]func(*curbd.CURBD) error{
			"JTo":         func(c *curbd.CURBD) error { var m mat.Dense; return c.JTo(&m) },
			"ActivityTo":  func(c *curbd.CURBD) error { var m mat.Dense; return c.ActivityTo(&m) },
			"PVar":        func(c *curbd.CURBD) error { _, err := c.PVar(); return err },
			"SimulateTo":  func(c *curbd.CURBD) error { var m mat.Dense; return c.SimulateTo(&m) },
			"ScaleFactor": func(c *curbd.CURBD) error { _, err := c.ScaleFactor(); return err },
		},
		Snapshot: func(c *curbd.CURBD) []float64 {
			var m mat.Dense
			if err := c.JTo(&m); err != nil {
				return nil
			}
			return m.RawMatrix().Data
		},
	})
}
