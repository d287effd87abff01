package pipeline

import (
	"errors"
	"math"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// wormMixed is mixed() with phase φ, its columns in another order, an
// extra neuron and another worm name.
func wormMixed(worm string, phase float64, extra bool) *table.Recording {
	const T, P = 200, 17
	r := mixed(T, P)
	names := []string{"s", "m", "c"}
	if extra {
		names = append(names, "x")
	}
	X := mat.NewDense(T, len(names), nil)
	for t := range T {
		c, s := math.Cos(2*math.Pi*float64(t)/P+phase), math.Sin(2*math.Pi*float64(t)/P+phase)
		row := []float64{s, 2*c - s, c}
		if extra {
			row = append(row, math.Sin(float64(t)/3))
		}
		X.SetRow(t, row)
	}
	r.Worm, r.Neurons, r.Data = worm, names, X
	return r
}

// Split by worm: the readouts are fitted on two worms and scored on a
// third; neurons are matched by label (the extra neuron x of one worm is
// left out). Held-out m = 2c − s is exact on the unseen worm for the
// regression (R² = 1, 1e-9); each result has one split; the shared
// model, saved and applied again, gives the same predictions on the
// train and the test worm.
func TestFitWorms(t *testing.T) {
	train := []*table.Recording{wormMixed("a", 0, false), wormMixed("b", 1, true)}
	test := []*table.Recording{wormMixed("c", 2, false)}
	f := Forecast{Task: TaskHeldout, Heldout: []string{"m"}, Washout: 10, Ridge: 1e-6, Reservoir: reservoir.Config{Units: 20, Seed: 3}}
	res, err := f.FitWorms(train, test)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || res[0].Model != res[2].Model || len(res[2].TrainT) != 0 || len(res[0].TestT) != 0 || len(res[2].TestT) != 190 {
		t.Fatalf("results %d, splits %d/%d", len(res), len(res[2].TrainT), len(res[2].TestT))
	}
	if got := res[2].Inputs; len(got) != 2 || got[0] != "s" || got[1] != "c" {
		t.Errorf("inputs %v, want [s c]", got)
	}
	if g := res[2].Method(Autoregressive).Score(Test, MetricR2); math.Abs(g-1) > 1e-9 {
		t.Errorf("test worm R² %v, want 1", g)
	}
	pred, met := res[2].Rows()
	if len(pred) != 3*190 || len(met) == 0 {
		t.Errorf("%d prediction rows, %d metric rows", len(pred), len(met))
	}
	dir := t.TempDir()
	if err := res[0].Model.Save(dir); err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{1, 2} {
		again, err := m.Apply(append(train, test...)[i])
		if err != nil {
			t.Fatal(err)
		}
		for k := range res[i].Methods {
			for s := range 2 {
				a, b := res[i].Methods[k].Predicted[s], again.Methods[k].Predicted[s]
				if (a == nil) != (b == nil) || (a != nil && !mat.Equal(a, b)) {
					t.Errorf("worm %s %s split %d differs after a round trip", res[i].Worm, res[i].Methods[k].Model, s)
				}
			}
		}
	}
	cases := []struct {
		name        string
		f           Forecast
		train, test []*table.Recording
		want        error
	}{
		{"no test", f, train, nil, neurotab.ErrParam},
		{"generate", Forecast{Task: TaskGenerate}, train, test, neurotab.ErrParam},
		{"no common label", f, train, []*table.Recording{func() *table.Recording { r := wormMixed("d", 0, false); r.Neurons = []string{"p", "q", "r"}; return r }()}, neurotab.ErrNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := c.f.FitWorms(c.train, c.test); !errors.Is(err, c.want) {
				t.Errorf("err %v, want %v", err, c.want)
			}
		})
	}
}
