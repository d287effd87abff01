package hmm

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// nanAfter is a Poisson model whose log-likelihoods turn NaN from its
// calls-th evaluation on.
type nanAfter struct {
	*Poisson
	calls *int
	after int
}

func (o nanAfter) LogLikelihoodsTo(dst *mat.Dense, x mat.Matrix) error {
	*o.calls++
	if err := o.Poisson.LogLikelihoodsTo(dst, x); err != nil {
		return err
	}
	if *o.calls >= o.after {
		dst.Set(0, 0, math.NaN())
	}
	return nil
}

func (o nanAfter) Clone() Observations {
	return nanAfter{Poisson: o.Poisson.Clone().(*Poisson), calls: o.calls, after: o.after}
}

// TestEMStopsOnNaN: a likelihood that becomes NaN at the third iteration
// stops EM with an error naming it, and no model is returned.
func TestEMStopsOnNaN(t *testing.T) {
	_, _, x := poissonScenario(3, 300)
	m := newPoissonModel(t, 3, 10, 0)
	calls := 0
	m.Observations = nanAfter{Poisson: m.Observations.(*Poisson), calls: &calls, after: 3}
	res, err := EM{MaxIter: 10}.Fit(m, []mat.Matrix{x})
	if res != nil || !errors.Is(err, neurotab.ErrNotFinite) || !strings.Contains(err.Error(), "iteration 3") {
		t.Fatalf("result %v, err %v; want no result and an ErrNotFinite naming iteration 3", res, err)
	}
}

// TestSelectK: cross-validated held-out likelihood picks the 3 states of
// the simulation among 1 … 4.
func TestSelectK(t *testing.T) {
	_, _, x := poissonScenario(5, 4000)
	var xs []mat.Matrix
	for i := range 4 {
		xs = append(xs, x.Slice(i*1000, (i+1)*1000, 0, 10))
	}
	build := func(K int) (*Model, error) { return newPoissonModel(t, K, 10, 0), nil }
	scores, best, err := SelectK([]int{1, 2, 3, 4}, build, EM{Restarts: 3, Seed: 2}, xs, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scores {
		t.Logf("K = %d: held-out %.2f nats/step, train %.1f", s.K, s.PerStep, s.Train)
	}
	if best != 3 {
		t.Errorf("chose K = %d, want 3", best)
	}
	if _, _, err := SelectK([]int{2}, build, EM{}, xs[:1], 2); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("one sequence for two folds: %v", err)
	}
}
