package reservoir_test

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
)

// cycleAdjacency is A[pre][post] of the cycle 0→1→2→0 with weight 2 on each
// edge and an edge 3→0 of weight 5 into it. Unit 3 has no input, so ρ(A)
// is that of the cycle: its eigenvalues are 2·(cube roots of unity), ρ = 2.
func cycleAdjacency() *mat.Dense {
	a := mat.NewDense(4, 4, nil)
	a.Set(0, 1, 2)
	a.Set(1, 2, 2)
	a.Set(2, 0, 2)
	a.Set(3, 0, 5)
	return a
}

// TestAdjacency: W = Aᵀ·ρ*/ρ(A) with A's weights (W[post][pre] =
// A[pre][post]·0.9/2), and the support of Aᵀ with drawn weights otherwise.
func TestAdjacency(t *testing.T) {
	a := cycleAdjacency()
	e, err := reservoir.Config{Adjacency: a, AdjacencyWeights: true, SpectralRadius: 0.9}.New()
	if err != nil {
		t.Fatal(err)
	}
	if _, n, _ := e.Dims(); n != 4 {
		t.Fatalf("N = %d, want 4 from the adjacency", n)
	}
	w := e.W.Dense()
	for post := range 4 {
		for pre := range 4 {
			if want := a.At(pre, post) * 0.45; math.Abs(w.At(post, pre)-want) > 1e-12 {
				t.Errorf("W[%d][%d] = %.15g, want A[%d][%d]·0.9/2 = %g", post, pre, w.At(post, pre), pre, post, want)
			}
		}
	}
	e, err = reservoir.Config{Adjacency: a, SpectralRadius: 0.9, Seed: 2}.New()
	if err != nil {
		t.Fatal(err)
	}
	w = e.W.Dense()
	for post := range 4 {
		for pre := range 4 {
			if (w.At(post, pre) != 0) != (a.At(pre, post) != 0) {
				t.Errorf("W[%d][%d] = %g, A[%d][%d] = %g: supports differ", post, pre, w.At(post, pre), pre, post, a.At(pre, post))
			}
		}
	}
	if rho, _ := reservoir.SpectralRadius(e.W); math.Abs(rho-0.9) > 1e-12 {
		t.Errorf("ρ(W) = %.15g, want 0.9", rho)
	}
	p := reservoir.Config{Adjacency: a}.Parameters()
	if p["adjacency_edges"] != 4 || p["units"] != 4 {
		t.Errorf("parameters %v, want 4 edges and 4 units", p)
	}
}

// TestAdjacencyErrors: a wrong size, a NaN, Orthogonal with an adjacency
// and an acyclic adjacency (ρ = 0) are refused with ErrParam.
func TestAdjacencyErrors(t *testing.T) {
	nan := cycleAdjacency()
	nan.Set(1, 2, math.NaN())
	dag := mat.NewDense(3, 3, []float64{0, 1, 1, 0, 0, 1, 0, 0, 0})
	for name, c := range map[string]reservoir.Config{
		"not square": {Adjacency: mat.NewDense(3, 4, nil)},
		"units":      {Units: 5, Adjacency: cycleAdjacency()},
		"NaN":        {Adjacency: nan},
		"orthogonal": {Adjacency: cycleAdjacency(), Orthogonal: true},
		"acyclic":    {Adjacency: dag},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := c.New(); !errors.Is(err, neurotab.ErrParam) {
				t.Errorf("New = %v, want ErrParam", err)
			}
		})
	}
}

// TestDale: with Excitatory, every non-zero of column pre has the sign of
// unit pre, round(0.8·N) units are excitatory, each weight keeps the
// magnitude of its unsigned draw (same seed), balanced rows sum to zero,
// and ρ(W) is still ρ*.
func TestDale(t *testing.T) {
	const n = 150
	base := reservoir.Config{Units: n, Density: 0.1, Seed: 8}
	plain, err := base.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, balanced := range []bool{false, true} {
		t.Run(map[bool]string{false: "signed", true: "balanced"}[balanced], func(t *testing.T) {
			c := base
			c.Excitatory, c.Balanced = 0.8, balanced
			e, err := c.New()
			if err != nil {
				t.Fatal(err)
			}
			if rho, _ := reservoir.SpectralRadius(e.W); math.Abs(rho-0.9) > 1e-9 {
				t.Errorf("ρ(W) = %.15g, want 0.9", rho)
			}
			w, w0 := e.W.Dense(), plain.W.Dense()
			exc := 0
			for pre := range n {
				pos, neg := 0, 0
				for post := range n {
					switch v := w.At(post, pre); {
					case v > 0:
						pos++
					case v < 0:
						neg++
					}
					if (w.At(post, pre) == 0) != (w0.At(post, pre) == 0) {
						t.Fatalf("W[%d][%d]: support changed", post, pre)
					}
				}
				if pos > 0 && neg > 0 {
					t.Fatalf("column %d has both signs", pre)
				}
				if pos > 0 {
					exc++
				}
			}
			// Columns with no non-zero count as neither; at density 0.1 and
			// N = 150 every column has some (P(empty) = 0.9¹⁵⁰ ≈ 1e-7).
			if exc != 120 {
				t.Errorf("%d excitatory units, want round(0.8·150) = 120", exc)
			}
			for post := range n {
				var sum, e, i float64
				for pre := range n {
					v := w.At(post, pre)
					sum += v
					if v > 0 {
						e += v
					} else {
						i -= v
					}
				}
				if balanced && e > 0 && i > 0 && math.Abs(sum) > 1e-12*e {
					t.Errorf("row %d sums to %g, want 0", post, sum)
				}
			}
			if !balanced {
				// |W| = |W₀| up to the common rescaling factor.
				f := 0.0
				for p, v := range e.W.Data {
					r := math.Abs(v) / math.Abs(plain.W.Data[p])
					if f == 0 {
						f = r
					}
					if math.Abs(r-f) > 1e-12*f {
						t.Fatalf("weight %d: |W|/|W₀| = %g, others %g", p, r, f)
					}
				}
			}
		})
	}
	for name, c := range map[string]reservoir.Config{
		"fraction":   {Excitatory: 1.5},
		"orthogonal": {Excitatory: 0.8, Orthogonal: true},
		"balanced":   {Balanced: true},
	} {
		t.Run(name, func(t *testing.T) {
			if err := c.Check(); !errors.Is(err, neurotab.ErrParam) {
				t.Errorf("Check = %v, want ErrParam", err)
			}
		})
	}
}
