package pipeline

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// Search kinds (Search.Kind).
const (
	SearchRandom = "random"
	SearchGrid   = "grid"
)

// Search is a hyperparameter search over the reservoir's spectral radius
// ρ*, leak rate α, input scaling and the readout's ridge penalty. Each
// trial fits the task on the training span of a recording only: the first
// c = round(f·T) samples, split again with its last ValidationFraction for
// scoring, so the test span stays unseen; the score is the reservoir's
// mean R² over neurons on that validation span.
//
// For SearchGrid each field lists the values tried (the trials are their
// Cartesian product, ρ* slowest, ridge fastest); for SearchRandom each
// field is a range [lo, hi] from which Trials values are drawn, uniform for
// ρ* and α, log-uniform for the input scaling and the ridge, from Seed
// (stream 1), so the same Search plans the same trials. Empty fields take
// the defaults of DefaultSearch.
type Search struct {
	Kind string
	// Trials is the number of random trials (0 means 20).
	Trials int
	// SpectralRadius, Leak, InputScaling and Ridge are grid values or
	// random ranges.
	SpectralRadius, Leak, InputScaling, Ridge []float64
	// ValidationFraction is the share of the training span that scores a
	// trial (0 means 0.2).
	ValidationFraction float64
	// Seed seeds the random draws.
	Seed neurotab.Seed
}

// DefaultSearch returns the default grid values or random ranges of a
// search kind.
func DefaultSearch(kind string) Search {
	if kind == SearchGrid {
		return Search{Kind: kind, SpectralRadius: []float64{0.5, 0.9, 1.2}, Leak: []float64{0.3, 1}, InputScaling: []float64{0.05, 0.2}, Ridge: []float64{100, 1000}}
	}
	return Search{Kind: kind, Trials: 20, SpectralRadius: []float64{0.3, 1.3}, Leak: []float64{0.1, 1}, InputScaling: []float64{0.01, 1}, Ridge: []float64{1, 1e4}}
}

// Trial is one point of a search; Index is its position in the plan.
type Trial struct {
	Index                                     int
	SpectralRadius, Leak, InputScaling, Ridge float64
}

func (s Search) resolved() Search {
	d := DefaultSearch(s.Kind)
	for _, f := range []struct{ v, d *[]float64 }{{&s.SpectralRadius, &d.SpectralRadius}, {&s.Leak, &d.Leak}, {&s.InputScaling, &d.InputScaling}, {&s.Ridge, &d.Ridge}} {
		if len(*f.v) == 0 {
			*f.v = *f.d
		}
	}
	if s.Trials == 0 {
		s.Trials = d.Trials
	}
	if s.ValidationFraction == 0 {
		s.ValidationFraction = 0.2
	}
	return s
}

// Plan returns the trials in order. The error wraps neurotab.ErrParam: an
// unknown kind, a random range that is not two increasing values (or not
// positive for the log-uniform ones), or a leak outside (0, 1].
func (s Search) Plan() ([]Trial, error) {
	r := s.resolved()
	bad := func(format string, a ...any) error {
		return fmt.Errorf("pipeline: search: "+format+": %w", append(a, neurotab.ErrParam)...)
	}
	if !(r.ValidationFraction > 0 && r.ValidationFraction < 1) {
		return nil, bad("validation fraction %v: want a value in (0, 1)", s.ValidationFraction)
	}
	for _, a := range r.Leak {
		if !(a > 0 && a <= 1) {
			return nil, bad("leak %v: want values in (0, 1]", a)
		}
	}
	var out []Trial
	switch r.Kind {
	case SearchGrid:
		for _, rho := range r.SpectralRadius {
			for _, a := range r.Leak {
				for _, in := range r.InputScaling {
					for _, l := range r.Ridge {
						out = append(out, Trial{Index: len(out), SpectralRadius: rho, Leak: a, InputScaling: in, Ridge: l})
					}
				}
			}
		}
	case SearchRandom:
		for _, f := range []struct {
			name string
			v    []float64
			log  bool
		}{{"spectral radius", r.SpectralRadius, false}, {"leak", r.Leak, false}, {"input scaling", r.InputScaling, true}, {"ridge", r.Ridge, true}} {
			if len(f.v) != 2 || !(f.v[0] <= f.v[1]) || (f.log && !(f.v[0] > 0)) {
				return nil, bad("random %s range %v: want lo,hi with lo ≤ hi (lo > 0 for a log-uniform range)", f.name, f.v)
			}
		}
		if r.Trials < 1 {
			return nil, bad("trials %d: want at least 1", r.Trials)
		}
		rng := r.Seed.Rand(1)
		uni := func(v []float64) float64 { return v[0] + (v[1]-v[0])*rng.Float64() }
		logu := func(v []float64) float64 { return math.Exp(uni([]float64{math.Log(v[0]), math.Log(v[1])})) }
		for i := range r.Trials {
			out = append(out, Trial{Index: i, SpectralRadius: uni(r.SpectralRadius), Leak: uni(r.Leak), InputScaling: logu(r.InputScaling), Ridge: logu(r.Ridge)})
		}
	default:
		return nil, bad("kind %q: want random or grid", s.Kind)
	}
	return out, nil
}

// Parameters returns the search's resolved configuration.
func (s Search) Parameters() map[string]any {
	r := s.resolved()
	return map[string]any{"kind": r.Kind, "trials": r.Trials, "spectral_radius": r.SpectralRadius, "leak": r.Leak,
		"input_scaling": r.InputScaling, "ridge": r.Ridge, "validation_fraction": r.ValidationFraction, "seed": r.Seed.String()}
}

// Shard selects the items of index i with i mod n = k − 1 (k in 1..n):
// the shards 1/n … n/n partition any list.
type Shard struct{ K, N int }

// ParseShard reads "k/n"; "" is the whole list (1/1).
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{1, 1}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return Shard{}, fmt.Errorf("pipeline: shard %q: want k/n with 1 ≤ k ≤ n: %w", s, neurotab.ErrParam)
	}
	return Shard{k, n}, nil
}

// Has reports whether item i belongs to the shard.
func (s Shard) Has(i int) bool { return s.N <= 1 || i%s.N == s.K-1 }

// TrialScore is a trial's validation score on one recording.
type TrialScore struct {
	Trial
	Dataset, Worm string
	// R2 is the reservoir's and Persistence persistence's mean R² over
	// neurons on the validation span.
	R2, Persistence float64
}

// RunSearch scores the trials on one recording with base's task and
// readouts, jobs trials at a time (jobs < 1 means 1); the scores come back
// in trial order and do not depend on jobs. The errors are those of Fit
// on the training span, naming the trial.
func RunSearch(rec *table.Recording, base Forecast, s Search, trials []Trial, jobs int) ([]TrialScore, error) {
	r := s.resolved()
	T, _ := rec.Data.Dims()
	c := int(math.Round(base.fraction() * float64(T)))
	train := *rec
	train.Data = mat64Rows(rec, c)
	train.Time = rec.Time[:c]
	out := make([]TrialScore, len(trials))
	errs := make([]error, len(trials))
	sem := make(chan struct{}, max(jobs, 1))
	var wg sync.WaitGroup
	for i, tr := range trials {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			f := base
			f.TrainFraction = 1 - r.ValidationFraction
			f.Reservoir.SpectralRadius, f.Reservoir.Leak, f.Reservoir.InputScaling, f.Ridge = tr.SpectralRadius, tr.Leak, tr.InputScaling, tr.Ridge
			res, err := f.Fit(&train)
			if err != nil {
				errs[i] = fmt.Errorf("trial %d (ρ* %g, α %g, input scaling %g, ridge %g): %w", tr.Index, tr.SpectralRadius, tr.Leak, tr.InputScaling, tr.Ridge, err)
				return
			}
			out[i] = TrialScore{Trial: tr, Dataset: rec.Dataset, Worm: rec.Worm,
				R2: res.Method(Reservoir).Score(Test, MetricR2), Persistence: res.Method(Persistence).Score(Test, MetricR2)}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Best returns the score with the highest R² (the first on ties).
func Best(scores []TrialScore) TrialScore {
	return slices.MaxFunc(scores, func(a, b TrialScore) int {
		switch {
		case a.R2 > b.R2 || (math.IsNaN(b.R2) && !math.IsNaN(a.R2)):
			return 1
		case a.R2 < b.R2 || (math.IsNaN(a.R2) && !math.IsNaN(b.R2)):
			return -1
		}
		return b.Index - a.Index
	})
}

// SearchRows returns the scores as rows of the metrics table, one trial
// per model "trial-NNNN", split "validation": the metrics r2 and
// persistence_r2 and the trial's hyperparameters spectral_radius, leak,
// input_scaling and ridge.
func SearchRows(scores []TrialScore) []table.MetricRow {
	var rows []table.MetricRow
	for _, s := range scores {
		model := fmt.Sprintf("trial-%04d", s.Index)
		for _, kv := range []struct {
			k string
			v float64
		}{{MetricR2, s.R2}, {"persistence_r2", s.Persistence}, {"spectral_radius", s.SpectralRadius}, {"leak", s.Leak}, {"input_scaling", s.InputScaling}, {"ridge", s.Ridge}} {
			if !math.IsNaN(kv.v) {
				rows = append(rows, table.MetricRow{Model: model, SourceDataset: s.Dataset, Worm: s.Worm, Split: "validation", Metric: kv.k, Value: kv.v})
			}
		}
	}
	return rows
}

// mat64Rows returns the first c rows of the recording's data.
func mat64Rows(rec *table.Recording, c int) *mat.Dense {
	_, n := rec.Data.Dims()
	return rec.Data.Slice(0, c, 0, n).(*mat.Dense)
}
