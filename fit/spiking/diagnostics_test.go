package spiking

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestKernelRank: a product of random S×r and r×N factors has rank r.
func TestKernelRank(t *testing.T) {
	rng := neurotab.Seed(1).Rand(1)
	for _, r := range []int{1, 5, 17, 30} {
		a, b := mat.NewDense(30, r, nil), mat.NewDense(r, 50, nil)
		for _, m := range []*mat.Dense{a, b} {
			d := m.RawMatrix().Data
			for i := range d {
				d[i] = rng.NormFloat64()
			}
		}
		var x mat.Dense
		x.Mul(a, b)
		if got, err := KernelRank(&x); err != nil || got != r {
			t.Errorf("rank %d: KernelRank %d, %v", r, got, err)
		}
	}
}

// TestSeparation on a hand example: two classes of two points each,
// centroids (0,0) and (3,4) (distance 5), every point at distance 1 from
// its centroid: Sep = 5 / 1.
func TestSeparation(t *testing.T) {
	X := mat.NewDense(4, 2, []float64{1, 0, -1, 0, 3, 5, 3, 3})
	got, err := Separation(X, []int{0, 0, 1, 1})
	if err != nil || math.Abs(got-5) > 1e-15 {
		t.Errorf("separation %v, %v; want 5", got, err)
	}
	if _, err := Separation(X, []int{0, 0, 0, 0}); err == nil {
		t.Error("one class accepted")
	}
}
