package significance

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestPhaseRandomizeSpectrum checks that every column of a phase-randomized
// surrogate has the modulus of the original's DFT at every frequency,
// within 1e-9 (|coefficients| are up to ≈ T·σ ≈ 600 here; rounding of the
// forward and backward transforms is ≈ 1e-13), for even and odd T, with
// shared and independent phases; and that the phases did change.
func TestPhaseRandomizeSpectrum(t *testing.T) {
	for _, size := range []int{256, 255} {
		for _, shared := range []bool{false, true} {
			name := map[bool]string{false: "independent", true: "shared"}[shared]
			t.Run(fmt.Sprintf("%s/T=%d", name, size), func(t *testing.T) {
				x := ar1(3, size, 4, 0.5)
				var s mat.Dense
				if err := PhaseRandomize(&s, x, neurotab.Seed(5).Rand(0), shared); err != nil {
					t.Fatal(err)
				}
				fft := fourier.NewFFT(size)
				worst, moved := 0.0, 0.0
				for j := range 4 {
					a := fft.Coefficients(nil, mat.Col(nil, j, x))
					b := fft.Coefficients(nil, mat.Col(nil, j, &s))
					for f := range a {
						worst = math.Max(worst, math.Abs(cmplx.Abs(a[f])-cmplx.Abs(b[f])))
						moved = math.Max(moved, cmplx.Abs(a[f]-b[f]))
					}
					if math.Abs(real(a[0])-real(b[0])) > 1e-9 {
						t.Errorf("column %d: mean coefficient %v, want %v", j, b[0], a[0])
					}
				}
				if worst > 1e-9 {
					t.Errorf("max ||F x̃| − |F x|| = %g, want ≤ 1e-9", worst)
				}
				if moved < 1 {
					t.Errorf("the coefficients moved by at most %g: phases not randomized", moved)
				}
			})
		}
	}
}

// TestPhaseRandomizeCrossSpectrum checks Prichard & Theiler's property:
// shared phases keep the cross-spectra, so the Pearson matrix is unchanged
// (Parseval: Σ_t x_i x_j = (1/T) Σ_f F x_i conj(F x_j), and a common phase
// cancels in the product); independent phases change it.
func TestPhaseRandomizeCrossSpectrum(t *testing.T) {
	x := ar1(4, 300, 5, 0.5)
	// Couple the traces so there is a correlation to keep.
	for i := range 300 {
		for j := 1; j < 5; j++ {
			x.Set(i, j, x.At(i, j)+x.At(i, 0))
		}
	}
	r0, err := pearson(x)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		shared bool
		same   bool
	}{{true, true}, {false, false}} {
		var s mat.Dense
		if err := PhaseRandomize(&s, x, neurotab.Seed(6).Rand(0), c.shared); err != nil {
			t.Fatal(err)
		}
		r, err := pearson(&s)
		if err != nil {
			t.Fatal(err)
		}
		var d mat.Dense
		d.Sub(r, r0)
		diff := mat.Norm(&d, math.Inf(1))
		if c.same && diff > 1e-9 {
			t.Errorf("shared phases changed the Pearson matrix by %g", diff)
		}
		if !c.same && diff < 0.1 {
			t.Errorf("independent phases kept the Pearson matrix (max row sum change %g)", diff)
		}
	}
}

// TestCircularShift checks that each surrogate column is a rotation of the
// original one, value for value, and that the offsets differ between
// columns and cover {0 … T−1}: over 400 draws of 2 columns of T = 5, every
// offset appears (missing one has probability ≈ 5·0.8⁸⁰⁰).
func TestCircularShift(t *testing.T) {
	const size = 5
	x := mat.NewDense(size, 2, []float64{0, 10, 1, 11, 2, 12, 3, 13, 4, 14})
	rng := neurotab.Seed(8).Rand(0)
	seen := map[int]int{}
	differ := 0
	for range 400 {
		var s mat.Dense
		if err := CircularShift(&s, x, rng); err != nil {
			t.Fatal(err)
		}
		var tau [2]int
		for j := range 2 {
			tau[j] = int(s.At(0, j)) % 10
			for i := range size {
				if want := x.At((i+tau[j])%size, j); s.At(i, j) != want {
					t.Fatalf("column %d is not a rotation: %v", j, mat.Col(nil, j, &s))
				}
			}
			seen[tau[j]]++
		}
		if tau[0] != tau[1] {
			differ++
		}
	}
	if len(seen) != size {
		t.Errorf("offsets seen %v, want all of 0…%d", seen, size-1)
	}
	// Independent uniform offsets differ with probability 4/5.
	if differ < 280 || differ > 360 {
		t.Errorf("offsets differed in %d of 400 draws, want ≈ 320", differ)
	}
}

// TestSurrogateErrors checks bad input and destinations.
func TestSurrogateErrors(t *testing.T) {
	bad := mat.NewDense(3, 2, []float64{1, 2, 3, math.Inf(1), 5, 6})
	draws := map[string]func(dst *mat.Dense, x mat.Matrix) error{
		"shift": func(dst *mat.Dense, x mat.Matrix) error { return CircularShift(dst, x, neurotab.Seed(1).Rand(0)) },
		"phase": func(dst *mat.Dense, x mat.Matrix) error {
			return PhaseRandomize(dst, x, neurotab.Seed(1).Rand(0), false)
		},
	}
	for name, draw := range draws {
		t.Run(name, func(t *testing.T) {
			var s mat.Dense
			err := draw(&s, bad)
			if !errors.Is(err, neurotab.ErrNotFinite) || err.Error() != "significance: column 1, sample 1 is +Inf: not finite" {
				t.Errorf("err = %v, want column 1, sample 1 wrapping ErrNotFinite", err)
			}
			defer func() {
				if recover() == nil {
					t.Error("a 2×2 destination for 3×2 traces did not panic")
				}
			}()
			_ = draw(mat.NewDense(2, 2, nil), ar1(1, 3, 2, 0))
		})
	}
}
