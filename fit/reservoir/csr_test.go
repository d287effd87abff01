package reservoir_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
)

// TestCSR: NewCSR and Dense round-trip a matrix; MulVec agrees with the
// dense product (gonum mat.VecDense.MulVec) to 1e-13, on both of its
// paths (x with a small capacity, and with the 65536 capacity a Runner
// gives), which agree bit for bit.
func TestCSR(t *testing.T) {
	const n = 70
	rng := neurotab.Seed(3).Rand(0)
	d := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			if rng.Float64() < 0.2 {
				d.Set(i, j, rng.NormFloat64())
			}
		}
	}
	s := reservoir.NewCSR(d)
	if !mat.Equal(s.Dense(), d) {
		t.Fatal("Dense(NewCSR(d)) ≠ d")
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.Float64() - 0.5
	}
	var want mat.VecDense
	want.MulVec(d, mat.NewVecDense(n, x))
	small := make([]float64, n)
	s.MulVec(small, x)
	big := make([]float64, n, 1<<16)
	copy(big, x)
	fast := make([]float64, n)
	s.MulVec(fast, big)
	for i := range n {
		if math.Abs(small[i]-want.AtVec(i)) > 1e-13 {
			t.Errorf("(W x)[%d] = %.17g, dense %.17g", i, small[i], want.AtVec(i))
		}
		if math.Float64bits(small[i]) != math.Float64bits(fast[i]) {
			t.Errorf("(W x)[%d]: fast path %.17g, generic %.17g", i, fast[i], small[i])
		}
	}
	nnz := 0
	for _, v := range d.RawMatrix().Data {
		if v != 0 {
			nnz++
		}
	}
	if s.NNZ() != nnz {
		t.Errorf("NNZ = %d, want %d", s.NNZ(), nnz)
	}
}
