package hmm

import (
	"errors"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

func TestObservationConstructors(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
	}{
		{"Poisson K=0", func() error { _, err := NewPoisson(0, 3); return err }()},
		{"Poisson N=0", func() error { _, err := NewPoisson(2, 0); return err }()},
		{"Gaussian K=0", func() error { _, err := NewGaussian(0, 3); return err }()},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !errors.Is(c.err, neurotab.ErrParam) {
				t.Errorf("err = %v, want ErrParam", c.err)
			}
		})
	}
	p := &Poisson{Rates: mat.NewDense(1, 1, []float64{0})}
	var ll mat.Dense
	if err := p.LogLikelihoodsTo(&ll, mat.NewDense(1, 1, []float64{1})); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("zero rate: %v", err)
	}
}

// TestGaussianVarianceFloor: a state whose weighted points are all equal
// gets the floor as variance, not zero (hand derivation: the weighted
// variance of {2, 2} is 0).
func TestGaussianVarianceFloor(t *testing.T) {
	for _, c := range []struct {
		name  string
		floor float64
		want  float64
	}{{"default", 0, DefaultVarianceFloor}, {"set", 0.5, 0.5}} {
		t.Run(c.name, func(t *testing.T) {
			g, _ := NewGaussian(2, 1)
			g.VarianceFloor = c.floor
			x := mat.NewDense(3, 1, []float64{2, 2, 7})
			w := mat.NewDense(3, 2, []float64{1, 0, 1, 0, 0, 1})
			if err := g.MStep([]mat.Matrix{x}, []*mat.Dense{w}); err != nil {
				t.Fatal(err)
			}
			if g.Means.At(0, 0) != 2 || g.Vars.At(0, 0) != c.want || g.Means.At(1, 0) != 7 || g.Vars.At(1, 0) != c.want {
				t.Errorf("means %v, vars %v; want 2, 7 and variance %v", mat.Col(nil, 0, g.Means), mat.Col(nil, 0, g.Vars), c.want)
			}
		})
	}
	g, _ := NewGaussian(1, 1)
	g.VarianceFloor = -1
	if err := g.MStep([]mat.Matrix{mat.NewDense(1, 1, []float64{0})}, []*mat.Dense{mat.NewDense(1, 1, []float64{1})}); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("negative floor: %v", err)
	}
}
