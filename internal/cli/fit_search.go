package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/neurotab/neurotab/fit/pipeline"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/progress"
)

// runFitSearch runs the hyperparameter search of 'fit reservoir --search'
// on every recording (the trials of --shard) and writes DIR/search.parquet.
func runFitSearch(o *fitReservoirOptions, f pipeline.Forecast) error {
	s := pipeline.Search{Kind: o.Search, Trials: o.Trials, SpectralRadius: o.SearchRho, Leak: o.SearchLeak, InputScaling: o.SearchInput,
		Ridge: o.SearchRidge, Seed: f.Reservoir.Seed}
	plan, err := s.Plan()
	if err != nil {
		return &UsageError{err}
	}
	var trials []pipeline.Trial
	for _, t := range plan {
		if o.shard.Has(t.Index) {
			trials = append(trials, t)
		}
	}
	params := f.Parameters()
	params["search"] = s.Parameters()
	params["shard"] = o.Shard
	seed := f.Reservoir.Seed
	prov, err := table.NewProvenance(o.g.Args, params, &seed, o.Traces)
	if err != nil {
		return err
	}
	rr, err := table.OpenRecordings(o.Traces, nil)
	if err != nil {
		return err
	}
	defer rr.Close()
	var rows []table.MetricRow
	var lines []string
	bar := progress.New(o.g.Stderr, "search", "traces", traceRows(o.Traces), o.g.Progress())
	err = pipeline.Each(rr, o.Worms, pipeline.Shard{}, func(rec *table.Recording) error {
		scores, err := pipeline.RunSearch(rec, f, s, trials, o.Jobs)
		if err != nil {
			return err
		}
		rows = append(rows, pipeline.SearchRows(scores)...)
		if len(scores) > 0 {
			b := pipeline.Best(scores)
			lines = append(lines, fmt.Sprintf("ok  %s/%s  %d trials; best validation R² %.3f (persistence %.3f): trial %d --spectral-radius %.4g --leak %.4g --input-scaling %.4g --ridge %.4g",
				rec.Dataset, rec.Worm, len(scores), b.R2, b.Persistence, b.Index, b.SpectralRadius, b.Leak, b.InputScaling, b.Ridge))
		}
		bar.Add(int64(len(rec.Neurons)))
		return nil
	})
	bar.Done()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(o.Out, "search.parquet")
	if err := table.WriteRows(path, prov, nil, rows); err != nil {
		return err
	}
	for _, l := range lines {
		o.g.Reportln(l)
	}
	o.g.Reportf("wrote %s  %d rows (%d of %d trials)\n", path, len(rows), len(trials), len(plan))
	return nil
}
