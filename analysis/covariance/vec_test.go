package covariance

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestSymToVec checks nilearn's sym_matrix_to_vec layout by hand on
// m = [[1 2 4] [2 3 5] [4 5 6]]: lower triangle row by row, diagonal over
// √2, or the strictly-lower part unscaled.
func TestSymToVec(t *testing.T) {
	m := mat.NewSymDense(3, []float64{1, 2, 4, 2, 3, 5, 4, 5, 6})
	r2 := math.Sqrt2
	for _, c := range []struct {
		name    string
		discard bool
		want    []float64
	}{
		{"with diagonal", false, []float64{1 / r2, 2, 3 / r2, 4, 5, 6 / r2}},
		{"discard diagonal", true, []float64{2, 4, 5}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := SymToVec([]float64{-1}, m, c.discard)
			if got[0] != -1 || len(got) != len(c.want)+1 {
				t.Fatalf("SymToVec did not append: %v", got)
			}
			for i, w := range c.want {
				if math.Abs(got[i+1]-w) > 1e-15 {
					t.Errorf("v[%d] = %v, want %v", i, got[i+1], w)
				}
			}
		})
	}
	// ‖v‖² = ‖m‖²_F / 2.
	v := SymToVec(nil, m, false)
	var nv float64
	for _, x := range v {
		nv += x * x
	}
	if fm := frobenius2(m); math.Abs(nv-fm/2) > 1e-12 {
		t.Errorf("‖v‖² = %v, want ‖m‖²_F/2 = %v", nv, fm/2)
	}
}

// TestVecRoundTrip: VecToSym(SymToVec(m)) = m, with the diagonal inside the
// vector or given apart.
func TestVecRoundTrip(t *testing.T) {
	for _, n := range []int{1, 2, 5} {
		m := mat.NewSymDense(n, nil)
		diag := make([]float64, n)
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				m.SetSym(i, j, float64(10*i+j)+0.25)
			}
			diag[i] = m.At(i, i)
		}
		var a, b mat.SymDense
		if err := VecToSym(&a, SymToVec(nil, m, false), nil); err != nil {
			t.Fatal(err)
		}
		requireClose(t, "round trip", &a, rows(m), 1e-14)
		if err := VecToSym(&b, SymToVec(nil, m, true), diag); err != nil {
			t.Fatal(err)
		}
		requireClose(t, "round trip with diagonal apart", &b, rows(m), 0)
	}
}

// TestVecToSymErrors: lengths that are no triangle number or disagree with
// the diagonal wrap neurotab.ErrShape.
func TestVecToSymErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		vec  []float64
		diag []float64
	}{
		{"empty", nil, nil},
		{"4 values", make([]float64, 4), nil},
		{"3 values with a diagonal of 2", make([]float64, 3), make([]float64, 2)},
		{"empty diagonal", nil, []float64{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := VecToSym(&mat.SymDense{}, c.vec, c.diag)
			if !errors.Is(err, neurotab.ErrShape) || !strings.HasPrefix(err.Error(), "covariance: ") {
				t.Errorf("VecToSym = %v, want a covariance: error wrapping ErrShape", err)
			}
		})
	}
}
