package ntf

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/estimatortest"
)

// planted returns an I × J × K tensor Σ_r λ_r a_r ∘ b_r ∘ c_r of rank R with
// sparse non-negative factors (each entry uniform in [0, 1), kept with
// probability 1/2), plus uniform noise in [0, noise), and the model.
func planted(I, J, K, R int, noise float64, seed uint64) (*Tensor, *Model) {
	rng := rand.New(rand.NewPCG(seed, 1))
	f := func(n int) *mat.Dense {
		F := mat.NewDense(n, R, nil)
		for i := range n {
			for r := range R {
				if rng.Float64() < 0.5 {
					F.Set(i, r, rng.Float64())
				}
			}
		}
		return F
	}
	A, B, C := f(I), f(J), f(K)
	x := NewTensor(I, J, K, nil)
	for i := range I {
		for j := range J {
			for k := range K {
				v := noise * rng.Float64()
				for r := range R {
					v += A.At(i, r) * B.At(j, r) * C.At(k, r)
				}
				x.Set(i, j, k, v)
			}
		}
	}
	return x, newModel(A, B, C)
}

// TestPlantedRecovery: the best of 5 restarts recovers the planted
// components of a rank-3 tensor with 1% noise (FMS ≥ 0.95 after the best
// permutation), restarts agree, core consistency is near 100, and the
// relative error is about the noise's.
func TestPlantedRecovery(t *testing.T) {
	for _, c := range []struct {
		name    string
		I, J, K int
		R       int
	}{{"30x8x40 rank 3", 30, 8, 40, 3}, {"20x10x25 rank 4", 20, 10, 25, 4}} {
		t.Run(c.name, func(t *testing.T) {
			x, want := planted(c.I, c.J, c.K, c.R, 0.01, 11)
			cp := CP{Rank: c.R, Restarts: 5, Seed: 3}
			if err := cp.Fit(x); err != nil {
				t.Fatal(err)
			}
			got, _ := cp.Model()
			fms, err := FMS(want, got)
			if err != nil {
				t.Fatal(err)
			}
			sim, _ := cp.Similarity()
			cc, err := cp.CoreConsistency()
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := cp.RelativeErrors()
			t.Logf("FMS vs planted %.4f, similarity %.4f, core consistency %.2f, relative error %.4g", fms, sim, cc, rel[0])
			if fms < 0.95 {
				t.Errorf("FMS vs planted = %.4f, want ≥ 0.95", fms)
			}
			if cc < 90 {
				t.Errorf("core consistency %.2f, want ≥ 90 at the true rank", cc)
			}
			if rel[0] > 0.05 {
				t.Errorf("relative error %.4g, want ≤ 0.05 at 1%% noise", rel[0])
			}
		})
	}
}

// TestMonotone: f = ½‖X − X̂‖² never increases from one sweep to the
// next, in every restart, and the last value equals ½‖X − X̂‖² of the
// returned model computed element by element.
func TestMonotone(t *testing.T) {
	x, _ := planted(15, 6, 20, 3, 0.2, 5)
	cp := CP{Rank: 4, Restarts: 3, MaxIter: 300, Seed: 9}
	if err := cp.Fit(x); err != nil {
		t.Fatal(err)
	}
	norm2 := 0.0
	for _, v := range x.Data {
		norm2 += v * v
	}
	models, _ := cp.Models()
	for s := range models {
		obj, err := cp.Objective(s)
		if err != nil {
			t.Fatal(err)
		}
		if len(obj) < 10 {
			t.Errorf("restart %d stopped after %d sweeps", s, len(obj))
		}
		for i := 1; i < len(obj); i++ {
			if obj[i] > obj[i-1]+1e-12*norm2 {
				t.Errorf("restart %d sweep %d: f rose from %.15g to %.15g", s, i, obj[i-1], obj[i])
			}
		}
		direct := 0.0
		m := models[s]
		for i := range x.Dims[0] {
			for j := range x.Dims[1] {
				for k := range x.Dims[2] {
					v := x.At(i, j, k)
					for r, l := range m.Weights {
						v -= l * m.Factors[0].At(i, r) * m.Factors[1].At(j, r) * m.Factors[2].At(k, r)
					}
					direct += 0.5 * v * v
				}
			}
		}
		if last := obj[len(obj)-1]; math.Abs(last-direct) > 1e-9*norm2 {
			t.Errorf("restart %d: last f %.12g, element by element %.12g", s, last, direct)
		}
	}
}

// TestFMS: a model against itself with its components permuted scores 1;
// halving one weight costs (1/R)·½; orthogonal factors score 0.
func TestFMS(t *testing.T) {
	_, m := planted(6, 5, 7, 3, 0, 2)
	p := m.clone()
	perm := []int{2, 0, 1}
	for n, F := range m.Factors {
		rows, _ := F.Dims()
		for i := range rows {
			for r, s := range perm {
				p.Factors[n].Set(i, s, F.At(i, r))
			}
		}
	}
	for r, s := range perm {
		p.Weights[s] = m.Weights[r]
	}
	if s, err := FMS(m, p); err != nil || math.Abs(s-1) > 1e-12 {
		t.Errorf("FMS of a permutation = %v, %v, want 1", s, err)
	}
	p.Weights[0] /= 2
	if s, _ := FMS(m, p); math.Abs(s-(1-0.5/3)) > 1e-12 {
		t.Errorf("FMS with one weight halved = %v, want %v", s, 1-0.5/3)
	}
	e := func(n, i int) *mat.Dense { F := mat.NewDense(n, 1, nil); F.Set(i, 0, 1); return F }
	a := &Model{Weights: []float64{1}, Factors: [3]*mat.Dense{e(2, 0), e(2, 0), e(2, 0)}}
	b := &Model{Weights: []float64{1}, Factors: [3]*mat.Dense{e(2, 1), e(2, 0), e(2, 0)}}
	if s, _ := FMS(a, b); s != 0 {
		t.Errorf("FMS of orthogonal factors = %v, want 0", s)
	}
	if _, err := FMS(a, m); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("FMS of ranks 1 and 3: %v, want ErrShape", err)
	}
}

// TestAssign: the assignment equals brute force over all permutations of
// random 6 × 6 costs.
func TestAssign(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		n := 6
		cost := make([][]float64, n)
		for i := range cost {
			cost[i] = make([]float64, n)
			for j := range cost[i] {
				cost[i][j] = rng.Float64()
			}
		}
		got := 0.0
		for i, j := range assignCost(cost) {
			got += cost[i][j]
		}
		best := math.Inf(1)
		var rec func(i int, used []bool, sum float64)
		rec = func(i int, used []bool, sum float64) {
			if i == n {
				best = math.Min(best, sum)
				return
			}
			for j := range n {
				if !used[j] {
					used[j] = true
					rec(i+1, used, sum+cost[i][j])
					used[j] = false
				}
			}
		}
		rec(0, make([]bool, n), 0)
		if math.Abs(got-best) > 1e-12 {
			t.Errorf("trial %d: assignment cost %v, brute force %v", trial, got, best)
		}
	}
}

// TestCoreConsistency: the exact model of a noise-free tensor has
// CORCONDIA 100 (its least-squares core is the superdiagonal identity);
// a rank-deficient factor is ErrSingular.
func TestCoreConsistency(t *testing.T) {
	x, m := planted(8, 7, 9, 3, 0, 4)
	X := mat.NewDense(8*7, 9, x.Data)
	cc, err := coreConsistency(X, m)
	if err != nil || math.Abs(cc-100) > 1e-8 {
		t.Errorf("core consistency of the exact model = %v, %v, want 100", cc, err)
	}
	m.Factors[0].Copy(mat.NewDense(8, 3, nil))
	for i := range 8 {
		m.Factors[0].Set(i, 0, 1)
		m.Factors[0].Set(i, 1, 1)
	}
	if _, err := coreConsistency(X, m); !errors.Is(err, neurotab.ErrSingular) {
		t.Errorf("rank-deficient factor: %v, want ErrSingular", err)
	}
}

// TestErrors: bad tensors and a rank above MaxRank are one-line errors
// with the shared sentinels.
func TestErrors(t *testing.T) {
	good, _ := planted(3, 2, 4, 1, 0.1, 1)
	neg := NewTensor(2, 2, 2, []float64{1, 2, 3, -4, 5, 6, 7, 8})
	nan := NewTensor(2, 2, 2, []float64{1, 2, 3, 4, math.NaN(), 6, 7, 8})
	cases := []struct {
		name string
		cp   CP
		x    *Tensor
		want error
		text string
	}{
		{"rank too large", CP{Rank: 7}, good, neurotab.ErrParam, "rank 7 is larger than a 3 × 2 × 4 tensor allows (min(IJ, IK, JK) = 6)"},
		{"negative", CP{}, neg, neurotab.ErrOutOfRange, "element (0, 1, 1) is -4"},
		{"nan", CP{}, nan, neurotab.ErrNotFinite, "element (1, 0, 0) is NaN"},
		{"zeros", CP{}, NewTensor(2, 2, 2, nil), neurotab.ErrSingular, "all zeros"},
		{"nil", CP{}, nil, neurotab.ErrShape, "nil tensor"},
		{"short data", CP{}, &Tensor{Dims: [3]int{2, 2, 2}, Data: []float64{1}}, neurotab.ErrShape, "1 values for a 2 × 2 × 2 tensor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.cp.Fit(c.x)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) || !strings.HasPrefix(err.Error(), "ntf: ") || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line with %q wrapping %v", err, c.text, c.want)
			}
			if _, err := c.cp.Model(); !errors.Is(err, neurotab.ErrNotFitted) {
				t.Errorf("Model after a failed Fit: %v", err)
			}
		})
	}
	if MaxRank(3, 2, 4) != 6 || MaxRank(10, 10, 10) != 100 {
		t.Error("MaxRank")
	}
}

// TestConformance runs the estimator-shape suite.
func TestConformance(t *testing.T) {
	x, _ := planted(6, 4, 5, 2, 0.1, 8)
	estimatortest.Run(t, estimatortest.Case[*CP]{
		Package:  "ntf",
		New:      func() *CP { return &CP{} },
		Defaults: map[string]any{"rank": 1, "restarts": 1, "max_iter": 500, "tol": 1e-10, "seed": "0"},
		Bad: map[string]func(*CP){
			"negative rank":     func(c *CP) { c.Rank = -1 },
			"negative restarts": func(c *CP) { c.Restarts = -2 },
			"negative max iter": func(c *CP) { c.MaxIter = -1 },
			"NaN tol":           func(c *CP) { c.Tol = math.NaN() },
		},
		Fit: func(c *CP) error { return c.Fit(x) },
		Results: map[string]func(*CP) error{
			"Model":           func(c *CP) error { _, err := c.Model(); return err },
			"Models":          func(c *CP) error { _, err := c.Models(); return err },
			"Objective":       func(c *CP) error { _, err := c.Objective(0); return err },
			"RelativeErrors":  func(c *CP) error { _, err := c.RelativeErrors(); return err },
			"Similarity":      func(c *CP) error { _, err := c.Similarity(); return err },
			"CoreConsistency": func(c *CP) error { _, err := c.CoreConsistency(); return err },
		},
		Snapshot: func(c *CP) []float64 {
			m, _ := c.Model()
			out := append([]float64(nil), m.Weights...)
			for _, F := range m.Factors {
				out = append(out, F.RawMatrix().Data...)
			}
			return out
		},
	})
}
