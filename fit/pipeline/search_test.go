package pipeline

import (
	"errors"
	"reflect"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
)

// A grid plans the Cartesian product in order (ρ* slowest, ridge
// fastest); a random search draws its trials inside the ranges, the same
// ones for the same seed, other ones for another seed.
func TestSearchPlan(t *testing.T) {
	g, err := Search{Kind: SearchGrid, SpectralRadius: []float64{0.5, 1}, Leak: []float64{1}, InputScaling: []float64{0.1}, Ridge: []float64{1, 10, 100}}.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != 6 || g[0].Ridge != 1 || g[2].Ridge != 100 || g[3].SpectralRadius != 1 || g[5].Index != 5 {
		t.Fatalf("grid %+v", g)
	}
	if d, _ := (Search{Kind: SearchGrid}).Plan(); len(d) != 3*2*2*2 {
		t.Errorf("default grid: %d trials, want 24", len(d))
	}
	s := Search{Kind: SearchRandom, Trials: 50, Seed: 4}
	a, err := s.Plan()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Plan()
	s.Seed = 5
	c, _ := s.Plan()
	if !reflect.DeepEqual(a, b) || reflect.DeepEqual(a, c) || len(a) != 50 {
		t.Fatal("random plans are not seeded")
	}
	for _, tr := range a {
		if tr.SpectralRadius < 0.3 || tr.SpectralRadius > 1.3 || tr.Leak < 0.1 || tr.Leak > 1 || tr.InputScaling < 0.01 || tr.InputScaling > 1 || tr.Ridge < 1 || tr.Ridge > 1e4 {
			t.Errorf("trial out of range: %+v", tr)
		}
	}
	for _, bad := range []Search{{Kind: "bayes"}, {Kind: SearchRandom, Ridge: []float64{0, 1}}, {Kind: SearchRandom, Leak: []float64{1, 0.5}}, {Kind: SearchGrid, Leak: []float64{2}}} {
		if _, err := bad.Plan(); !errors.Is(err, neurotab.ErrParam) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

// The shards 1/n … n/n partition the indices; bad specs are errors.
func TestShard(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		count := make([]int, 20)
		for k := 1; k <= n; k++ {
			s, err := ParseShard(string(rune('0'+k)) + "/" + string(rune('0'+n)))
			if err != nil {
				t.Fatal(err)
			}
			for i := range count {
				if s.Has(i) {
					count[i]++
				}
			}
		}
		for i, c := range count {
			if c != 1 {
				t.Errorf("n=%d: item %d in %d shards", n, i, c)
			}
		}
	}
	for _, bad := range []string{"0/2", "3/2", "1", "a/b", "1/0"} {
		if _, err := ParseShard(bad); !errors.Is(err, neurotab.ErrParam) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// RunSearch scores on the training span only (a trial's test samples are
// the last fifth of the first 70%), gives the same scores whatever the
// number of jobs, and the trial with the right settings scores as a
// direct Fit of the truncated recording does.
func TestRunSearch(t *testing.T) {
	rec := mixed(300, 17)
	base := Forecast{Horizon: 2, Washout: 10, Reservoir: reservoir.Config{Units: 20, Seed: 2}}
	s := Search{Kind: SearchGrid, SpectralRadius: []float64{0.5, 0.9}, Leak: []float64{0.5, 1}, InputScaling: []float64{0.1}, Ridge: []float64{1e-3, 1}}
	plan, err := s.Plan()
	if err != nil {
		t.Fatal(err)
	}
	one, err := RunSearch(rec, base, s, plan, 1)
	if err != nil {
		t.Fatal(err)
	}
	four, err := RunSearch(rec, base, s, plan, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, four) {
		t.Error("scores depend on the number of jobs")
	}
	// Trial 3: ρ* 0.5, α 1, ridge 1.
	tr := plan[3]
	f := base
	f.TrainFraction, f.Reservoir.SpectralRadius, f.Reservoir.Leak, f.Reservoir.InputScaling, f.Ridge = 0.8, tr.SpectralRadius, tr.Leak, tr.InputScaling, tr.Ridge
	trunc := *rec
	trunc.Data, trunc.Time = mat64Rows(rec, 210), rec.Time[:210]
	res, err := f.Fit(&trunc)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := one[3].R2, res.Method(Reservoir).Score(Test, MetricR2); got != want {
		t.Errorf("trial 3 R² %v, direct fit %v", got, want)
	}
	if b := Best(one); b.R2 < one[0].R2 || b.R2 < one[7].R2 {
		t.Errorf("best %+v", b)
	}
	if rows := SearchRows(one); len(rows) != 8*6 {
		t.Errorf("%d search rows, want 48", len(rows))
	}
}
