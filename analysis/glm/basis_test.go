package glm

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestExpBasisFixture compares with onehot-hmmglm's exp_basis(1, 5, 5)
// (span 5 over window 5: dt = 1) in fixtures.json.
func TestExpBasisFixture(t *testing.T) {
	raw, err := os.ReadFile(fixtures.Path(t, "analysis-reference", "fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		B []float64 `json:"exp_basis_decay1_w5_span5"`
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	got, err := ExpBasis(1, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	d := closeTo(t, "φ", got, fx.B, 1e-15)
	t.Logf("max |Δφ| = %.2g", d)
}

func TestExpBasis(t *testing.T) {
	t.Run("integrates to 1", func(t *testing.T) {
		phi, _ := ExpBasis(20, 10, 0.01)
		s := 0.0
		for _, v := range phi {
			s += v * 0.01
		}
		if math.Abs(s-1) > 1e-14 {
			t.Errorf("Σφ dt = %v", s)
		}
		// ratio of neighbours is exp(−decay·dt)
		if r := phi[3] / phi[2]; math.Abs(r-math.Exp(-0.2)) > 1e-14 {
			t.Errorf("φ₄/φ₃ = %v, want %v", r, math.Exp(-0.2))
		}
	})
	for name, c := range map[string]struct {
		decay float64
		win   int
		dt    float64
	}{"negative decay": {-1, 5, 1}, "zero window": {1, 0, 1}, "zero dt": {1, 5, 0}, "NaN dt": {1, 5, math.NaN()}} {
		t.Run(name, func(t *testing.T) {
			if _, err := ExpBasis(c.decay, c.win, c.dt); !errors.Is(err, neurotab.ErrParam) {
				t.Errorf("err = %v, want ErrParam", err)
			}
		})
	}
}

func TestHistory(t *testing.T) {
	Y := mat.NewDense(5, 2, []float64{
		1, 0,
		0, 2,
		3, 0,
		0, 0,
		1, 1,
	})
	basis := []float64{0.5, 0.25}
	var got mat.Dense
	if err := History(&got, Y, basis); err != nil {
		t.Fatal(err)
	}
	// by hand: c_t = 0.5 y_{t−1} + 0.25 y_{t−2}
	want := []float64{
		0, 0,
		0.5, 0,
		0.25, 1,
		1.5, 0.5,
		0.75, 0,
	}
	closeTo(t, "history", got.RawMatrix().Data, want, 0)
	t.Run("NaN", func(t *testing.T) {
		Y.Set(3, 1, math.NaN())
		if err := History(&mat.Dense{}, Y, basis); !errors.Is(err, neurotab.ErrNotFinite) {
			t.Errorf("err = %v, want ErrNotFinite", err)
		}
	})
	t.Run("empty basis", func(t *testing.T) {
		if err := History(&mat.Dense{}, Y, nil); !errors.Is(err, neurotab.ErrParam) {
			t.Errorf("err = %v, want ErrParam", err)
		}
	})
}
