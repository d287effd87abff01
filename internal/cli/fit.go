package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/pipeline"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/progress"
	"github.com/spf13/cobra"
)

func newFitCmd(g *Globals) *cobra.Command {
	return groupCmd("fit", "Fit models to traces tables (reservoir forecasting)",
		newFitReservoirCmd(g, nil), newFitBenchCmd(g, nil), newFitLSMCmd(g, nil))
}

// fitReservoirOptions are the flags of 'fit reservoir'.
type fitReservoirOptions struct {
	g              *Globals
	Traces         string
	Task           string
	Horizon        int
	TrainFraction  float64
	Washout        int
	Units          int
	SpectralRadius float64
	Leak           float64
	InputScaling   float64
	Ridge          float64
	Lags           int
	Residual       bool
	Seed           uint64
	Worms          []string
	Out            string
}

// newFitReservoirCmd binds the flags of 'fit reservoir'; runF replaces
// runFitReservoir when not nil (tests of the flag wiring).
func newFitReservoirCmd(g *Globals, runF func(*fitReservoirOptions) error) *cobra.Command {
	o := &fitReservoirOptions{g: g}
	cmd := &cobra.Command{
		Use:   "reservoir --traces TRACES.parquet --task forecast [--horizon K] -o DIR",
		Short: "Forecast traces with an echo-state network against persistence and autoregressive baselines",
		Long: `reservoir fits an echo-state network to every recording of a traces table (the
output of 'neurotab ingest', or of 'neurotab events bin --rates'), one recording
at a time, and scores it against two baselines fitted on the same samples.

Task forecast: predict every neuron --horizon samples ahead, x[t+k] from x[t].
  reservoir       the network (--units, --spectral-radius, --leak,
                  --input-scaling, --seed) is driven by all N traces; a ridge
                  readout (--ridge, with intercept) maps [state, input] to x[t+k]
  persistence     x̂[t+k] = x[t]
  autoregressive  ridge (--ridge) on the last --lags samples of all neurons

The first --train-fraction of each recording trains (targets before the cut,
after --washout samples), the rest tests. Written in DIR:

  predictions.parquet  model, split, time of the target, observed, predicted
                       for every neuron and sample
  metrics.parquet      r2, nrmse (σ-normalized) and pearson_r per neuron and,
                       with an empty neuron, their mean over the recording

Both record the traces table with its SHA-256, every parameter and the seed in
their provenance. Nothing is written when a recording fails (a horizon longer
than the recording, a NaN sample, a --worm the table lacks).`,
		Example: `  neurotab fit reservoir --traces traces.parquet --task forecast --horizon 15 -o fit-out
  neurotab fit reservoir --traces traces.parquet --worm 2022-07-26-31 --units 500 --leak 0.3 --ridge 100 -o fit-out
  duckdb -c "SELECT model, split, avg(value) FROM 'fit-out/metrics.parquet' WHERE metric = 'r2' AND neuron = '' GROUP BY ALL"`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runFitReservoir(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Traces, "traces", "", "traces table (Parquet or Arrow file, or hive folder)")
	f.StringVar(&o.Task, "task", "forecast", "task: forecast")
	f.IntVar(&o.Horizon, "horizon", 1, "forecast horizon k, in samples")
	f.Float64Var(&o.TrainFraction, "train-fraction", 0.7, "share of each recording that trains")
	f.IntVar(&o.Washout, "washout", 50, "leading samples dropped from training (the reservoir's transient)")
	f.IntVar(&o.Units, "units", 300, "reservoir units N")
	f.Float64Var(&o.SpectralRadius, "spectral-radius", 0.9, "spectral radius ρ of the recurrent weights")
	f.Float64Var(&o.Leak, "leak", 1, "leak rate α in (0, 1] (1: no leak)")
	f.Float64Var(&o.InputScaling, "input-scaling", 0.1, "scale of the input weights")
	f.Float64Var(&o.Ridge, "ridge", 300, "ridge penalty λ of the readouts (not divided by the sample count)")
	f.IntVar(&o.Lags, "lags", 3, "order p of the autoregressive baseline")
	f.BoolVar(&o.Residual, "residual", false, "fit the readouts to x[t+k] − x[t] (shrink towards persistence)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the reservoir weights")
	f.StringArrayVar(&o.Worms, "worm", nil, "only this recording (repeat for several)")
	f.StringVarP(&o.Out, "out", "o", "", "output folder")
	return cmd
}

// forecast turns the flags into a pipeline.Forecast; mistakes are usage
// errors.
func (o *fitReservoirOptions) forecast() (pipeline.Forecast, error) {
	switch {
	case o.Traces == "":
		return pipeline.Forecast{}, usagef("--traces is required")
	case o.Out == "":
		return pipeline.Forecast{}, usagef("-o/--out is required")
	case o.Task != "forecast":
		return pipeline.Forecast{}, usagef("--task %q: the tasks are forecast", o.Task)
	case o.Horizon < 1:
		return pipeline.Forecast{}, usagef("--horizon %d: want at least 1", o.Horizon)
	case o.Lags < 1:
		return pipeline.Forecast{}, usagef("--lags %d: want at least 1", o.Lags)
	case o.Units < 1:
		return pipeline.Forecast{}, usagef("--units %d: want at least 1", o.Units)
	case !(o.TrainFraction > 0 && o.TrainFraction < 1):
		return pipeline.Forecast{}, usagef("--train-fraction %v: want a value in (0, 1)", o.TrainFraction)
	case !(o.Leak > 0 && o.Leak <= 1):
		return pipeline.Forecast{}, usagef("--leak %v: want a value in (0, 1]", o.Leak)
	case !(o.SpectralRadius > 0) || !(o.InputScaling > 0):
		return pipeline.Forecast{}, usagef("--spectral-radius and --input-scaling must be positive")
	}
	w := o.Washout
	if w == 0 {
		w = -1 // the library's 0 means its default
	}
	f := pipeline.Forecast{Horizon: o.Horizon, TrainFraction: o.TrainFraction, Washout: w, Lags: o.Lags, Ridge: o.Ridge, ARRidge: o.Ridge, Residual: o.Residual,
		Reservoir: reservoir.Config{Units: o.Units, SpectralRadius: o.SpectralRadius, Leak: o.Leak, InputScaling: o.InputScaling, Seed: neurotab.Seed(o.Seed)}}
	if err := f.Check(); err != nil {
		return pipeline.Forecast{}, &UsageError{err}
	}
	return f, nil
}

// runFitReservoir streams the recordings, writing the predictions of each
// as it is fitted; on any error neither table appears.
func runFitReservoir(o *fitReservoirOptions) (err error) {
	f, err := o.forecast()
	if err != nil {
		return err
	}
	seed := f.Reservoir.Seed
	prov, err := table.NewProvenance(o.g.Args, f.Parameters(), &seed, o.Traces)
	if err != nil {
		return err
	}
	rr, err := table.OpenRecordings(o.Traces, nil)
	if err != nil {
		return err
	}
	defer rr.Close()
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return err
	}
	predPath, metPath := filepath.Join(o.Out, "predictions.parquet"), filepath.Join(o.Out, "metrics.parquet")
	pw, err := table.CreateParquet(predPath, table.Predictions, prov, nil, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			pw.Abort()
		}
	}()
	pb := table.NewRowBuilder(nil, table.Predictions)
	defer pb.Release()
	var metrics []table.MetricRow
	var lines []string
	bar := progress.New(o.g.Stderr, "fit", "traces", traceRows(o.Traces), o.g.Progress())
	err = pipeline.Run(rr, f, o.Worms, func(res *pipeline.Result) error {
		pred, met := res.Rows()
		for _, p := range pred {
			if err := pb.AppendRow(p); err != nil {
				return err
			}
		}
		rec := pb.NewRecord()
		defer rec.Release()
		if err := pw.Write(rec); err != nil {
			return err
		}
		metrics = append(metrics, met...)
		var r2 []string
		for _, m := range res.Methods {
			r2 = append(r2, fmt.Sprintf("%s %.3f", m.Model, m.Score(pipeline.Test, pipeline.MetricR2)))
		}
		lines = append(lines, fmt.Sprintf("ok  %s/%s  %d neurons  %d train, %d test samples  test R² at horizon %d: %s",
			res.Dataset, res.Worm, len(res.Neurons), len(res.TrainT), len(res.TestT), res.Horizon, strings.Join(r2, ", ")))
		bar.Add(int64(len(res.Neurons)))
		return nil
	})
	bar.Done()
	if err != nil {
		return err
	}
	if err = table.WriteRows(metPath, prov, nil, metrics); err != nil {
		return err
	}
	rows := pw.Rows()
	if err = pw.Close(); err != nil {
		os.Remove(metPath)
		return err
	}
	for _, l := range lines {
		fmt.Fprintln(o.g.Stdout, l)
	}
	fmt.Fprintf(o.g.Stdout, "wrote %s  %d rows\n", predPath, rows)
	fmt.Fprintf(o.g.Stdout, "wrote %s  %d rows\n", metPath, len(metrics))
	return nil
}
