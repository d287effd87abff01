package pipeline

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

// Run fits the recordings of rr one at a time and hands each result to fn
// before reading the next. worms, when not empty, keeps only the
// recordings of those worms; a worm named there that the table lacks is an
// error wrapping neurotab.ErrNotFound, listing what the table holds. shard
// keeps the kept recordings whose position (0, 1, … in table order) it
// has (the zero Shard keeps all), so the shards 1/n … n/n of a run
// together give the run.
func Run(rr *table.RecordingReader, f Forecast, worms []string, shard Shard, fn func(*Result) error) error {
	if err := f.Check(); err != nil {
		return err
	}
	return Each(rr, worms, shard, func(rec *table.Recording) error {
		res, err := f.Fit(rec)
		if err != nil {
			return err
		}
		return fn(res)
	})
}

// RunModel applies a trained model (Model.Apply) to the recordings of rr
// one at a time, as Run does.
func RunModel(rr *table.RecordingReader, m *Model, worms []string, shard Shard, fn func(*Result) error) error {
	return Each(rr, worms, shard, func(rec *table.Recording) error {
		res, err := m.Apply(rec)
		if err != nil {
			return err
		}
		return fn(res)
	})
}

// Each streams the recordings of rr that Run would fit (those of worms
// when not empty, in shard) to fn.
func Each(rr *table.RecordingReader, worms []string, shard Shard, fn func(*table.Recording) error) error {
	seen := map[string]bool{}
	var all []string
	kept := 0
	for {
		rec, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		all = append(all, rec.Worm)
		if len(worms) > 0 && !slices.Contains(worms, rec.Worm) {
			continue
		}
		seen[rec.Worm] = true
		kept++
		if !shard.Has(kept - 1) {
			continue
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	for _, w := range worms {
		if !seen[w] {
			return fmt.Errorf("pipeline: no recording of worm %q (the table holds %v): %w", w, all, neurotab.ErrNotFound)
		}
	}
	if len(all) == 0 {
		return fmt.Errorf("pipeline: the traces table holds no recording: %w", neurotab.ErrShape)
	}
	return nil
}

// Rows returns the result as rows of the predictions table (every method,
// split, sample and neuron; T is the target's time) and of the metrics
// table (every method, split, metric, per neuron and for the recording).
// An undefined metric (NaN: R² of a target constant over the test span,
// Pearson's r of a constant prediction) has no row.
func (r *Result) Rows() ([]table.PredictionRow, []table.MetricRow) {
	var pred []table.PredictionRow
	var met []table.MetricRow
	splits := [2]string{Train, Test}
	ts := [2][]int{r.TrainT, r.TestT}
	for _, m := range r.Methods {
		for s, split := range splits {
			if len(ts[s]) == 0 {
				continue
			}
			for i, t := range ts[s] {
				obs, hat := m.Observed[s].RawRowView(i), m.Predicted[s].RawRowView(i)
				for j, n := range r.Neurons {
					pred = append(pred, table.PredictionRow{Model: m.Model, SourceDataset: r.Dataset, Worm: r.Worm, Neuron: n,
						Split: split, T: r.Time[t+r.Horizon], Observed: obs[j], Predicted: hat[j]})
				}
			}
			add := func(neuron, metric string, v float64) {
				if !math.IsNaN(v) {
					met = append(met, table.MetricRow{Model: m.Model, SourceDataset: r.Dataset, Worm: r.Worm, Neuron: neuron, Split: split, Metric: metric, Value: v})
				}
			}
			for _, metric := range perNeuronMetrics {
				v := m.Scores[s][metric]
				add("", metric, finiteMean(v))
				for j, n := range r.Neurons {
					add(n, metric, v[j])
				}
			}
			for _, metric := range []string{MetricPVar, MetricValidSteps} {
				if v, ok := m.Overall[s][metric]; ok {
					add("", metric, v)
				}
			}
		}
	}
	return pred, met
}
