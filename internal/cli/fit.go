package cli

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/fit/pipeline"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/progress"
	"github.com/spf13/cobra"
)

func newFitCmd(g *Globals) *cobra.Command {
	return groupCmd("fit", "Fit models to traces tables (reservoir forecasting)",
		newFitReservoirCmd(g, nil), newFitPredictCmd(g, nil), newFitBenchCmd(g, nil), newFitLSMCmd(g, nil))
}

// fitReservoirOptions are the flags of 'fit reservoir'.
type fitReservoirOptions struct {
	g              *Globals
	Traces         string
	Task           string
	Horizon        int
	Heldout        []string
	Tolerance      float64
	TrainFraction  float64
	Washout        int
	Units          int
	Density        float64
	SpectralRadius float64
	Leak           float64
	InputScaling   float64
	Connectome     string
	Readout        string
	Ridge          float64
	ARRidge        float64
	RLSDelta       float64
	RLSLambda      float64
	LMSRate        float64
	Epochs         int
	OjaComponents  int
	OjaRate        float64
	EHRate         float64
	EHNoise        float64
	Lags           int
	Residual       bool
	PerNeuron      bool
	NoIntercept    bool
	Seed           uint64
	Worms          []string
	Shard          string
	TestWorms      []string
	TestFraction   float64
	Search         string
	Trials         int
	SearchRho      []float64
	SearchLeak     []float64
	SearchInput    []float64
	SearchRidge    []float64
	Jobs           int
	Out            string

	shard pipeline.Shard
}

// newFitReservoirCmd binds the flags of 'fit reservoir'; runF replaces
// runFitReservoir when not nil (tests of the flag wiring).
func newFitReservoirCmd(g *Globals, runF func(*fitReservoirOptions) error) *cobra.Command {
	o := &fitReservoirOptions{g: g}
	cmd := &cobra.Command{
		Use:   "reservoir --traces TRACES.parquet --task forecast|heldout|generate [--horizon K] -o DIR",
		Short: "Fit an echo-state network to traces against persistence and autoregressive baselines",
		Long: `reservoir fits an echo-state network to every recording of a traces table (the
output of 'neurotab ingest', or of 'neurotab events bin --rates'), one recording
at a time, and scores it against two baselines fitted on the same samples.

Tasks (--task):
  forecast  predict every neuron --horizon samples ahead, x[t+k] from x[t]
  heldout   predict the --heldout neurons at t from the other neurons at t
            (default: every fifth neuron of the table, indices 0, 5, 10, …)
  generate  train one step ahead, then run free after the cut: each prediction
            is the next input; valid_steps counts the steps before the error
            √(mean_j ((x̂_j − x_j)/σ_j)²) first exceeds --tolerance

Methods, fitted on the train split and scored on both:
  reservoir       the network (--units, --density, --spectral-radius, --leak,
                  --input-scaling, --seed; or --connectome) is driven by the
                  input neurons; a readout (--readout) maps [state, input] to
                  the targets (with --per-neuron: one readout per neuron of
                  [state, its own last --lags samples])
  persistence     x̂[t+k] = x[t] (heldout: the last training sample; generate:
                  x at the cut held)
  autoregressive  ridge (--ar-ridge) on the last --lags samples of the inputs

Readouts (--readout): ridge (--ridge), rls (--rls-delta, --rls-lambda), lms
(--lms-rate, --epochs), oja (Oja's subspace rule: --oja-components
principal directions, --oja-rate, --epochs, then ridge --ridge), eh
(reward-modulated Hebbian: --eh-rate, --eh-noise, --epochs). A readout that
diverges is an error; no NaN weight is written.

--connectome EDGES.parquet (from 'neurotab connectome import') builds one unit
per canonical neuron with an edge, W on the connectome's support (chemical
synapses signed by transmitter, GABA inhibitory; gap junctions positive),
scaled to --spectral-radius; a labeled recorded neuron drives only its own
unit, others drive random units. The summary prints its size and density, the
--units and --density of a like-for-like random reservoir.

The first --train-fraction of each recording trains (targets before the cut,
after --washout samples), the rest tests. --test-worms W (repeat) or
--test-fraction F splits by worm instead: the readouts are fitted on every
sample of the other recordings and scored on these (the last F of the
recordings in table order), neurons matched by label (only the labels every
recording holds take part); one model, DIR/models/worm-split. Written in DIR:

  predictions.parquet  model, split, time of the target, observed, predicted
                       for every target neuron and sample
  metrics.parquet      r2, nrmse_sd (RMSE/σ), nrmse_range (RMSE/(max−min)),
                       pearson_r per neuron and, with an empty neuron, their
                       mean over neurons; pvar and (generate) valid_steps for
                       the recording
  models/DATASET/WORM/ the trained model (model.json and .npy weights), read
                       back by 'neurotab fit predict'
  figures/             WORM_neurons.png: observed vs predicted for the best
                       and worst neuron; WORM_r2.png: test R² per method

--search random|grid replaces the fit by a hyperparameter search over ρ*
(--search-spectral-radius), α (--search-leak), input scaling
(--search-input-scaling) and ridge (--search-ridge): grid values, or lo,hi
ranges for --trials random draws seeded by --seed. Each trial is fitted on the
training span only and scored (reservoir R²) on its last fifth; --jobs trials
run at once with the same results as one at a time. DIR/search.parquet (the
metrics schema: model trial-NNNN, split validation, metrics r2,
persistence_r2 and the trial's hyperparameters) holds every trial; the summary
names the best one. --shard k/n keeps the recordings (or, with --search, the
trials) i with i mod n = k−1: the shards of an array job together hold the
rows of one run.

The tables record the traces table with its SHA-256, every parameter and the
seed in their provenance. Nothing is written when a recording fails (a
horizon longer than the recording, a NaN sample, a constant target, a --worm
the table lacks, a connectome without a recorded neuron).`,
		Example: `  neurotab fit reservoir --traces traces.parquet --task forecast --horizon 15 -o fit-out
  neurotab fit reservoir --traces traces.parquet --horizon 15 --residual --per-neuron --no-intercept --ridge 1000 -o fit-out
  neurotab fit reservoir --traces traces.parquet --task heldout --heldout AVAL --heldout AVAR -o fit-heldout
  neurotab fit reservoir --traces traces.parquet --horizon 5 --test-fraction 0.25 -o fit-worms
  neurotab fit reservoir --traces traces.parquet --task generate --tolerance 0.5 -o fit-gen
  neurotab fit reservoir --traces traces.parquet --connectome white.parquet -o fit-conn
  neurotab fit reservoir --traces traces.parquet --readout rls --rls-delta 10 -o fit-rls
  neurotab fit reservoir --traces traces.parquet --horizon 15 --search random --trials 40 --shard 1/4 -o search-1
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
	f.StringVar(&o.Task, "task", "forecast", "task: forecast, heldout or generate")
	f.IntVar(&o.Horizon, "horizon", 1, "forecast horizon k, in samples")
	f.StringArrayVar(&o.Heldout, "heldout", nil, "heldout task: a neuron to predict (repeat; default every fifth neuron)")
	f.Float64Var(&o.Tolerance, "tolerance", 1, "generate task: error bound of a valid free-running step, in units of σ")
	f.Float64Var(&o.TrainFraction, "train-fraction", 0.7, "share of each recording that trains")
	f.IntVar(&o.Washout, "washout", 50, "leading samples dropped from training (the reservoir's transient)")
	f.IntVar(&o.Units, "units", 300, "reservoir units N")
	f.Float64Var(&o.Density, "density", 0.1, "probability of each recurrent weight")
	f.Float64Var(&o.SpectralRadius, "spectral-radius", 0.9, "spectral radius ρ of the recurrent weights")
	f.Float64Var(&o.Leak, "leak", 1, "leak rate α in (0, 1] (1: no leak)")
	f.Float64Var(&o.InputScaling, "input-scaling", 0.1, "scale of the input weights")
	f.StringVar(&o.Connectome, "connectome", "", "edges table: a connectome-constrained reservoir (replaces --units, --density)")
	f.StringVar(&o.Readout, "readout", "ridge", "reservoir readout: "+strings.Join(pipeline.ReadoutKinds, ", "))
	f.Float64Var(&o.Ridge, "ridge", 300, "ridge penalty λ of the readouts (not divided by the sample count)")
	f.Float64Var(&o.ARRidge, "ar-ridge", -1, "ridge penalty of the autoregressive baseline (negative: --ridge)")
	f.Float64Var(&o.RLSDelta, "rls-delta", 1, "rls: δ of P₀ = I/δ (the ridge penalty of RLS)")
	f.Float64Var(&o.RLSLambda, "rls-lambda", 1, "rls: forgetting factor λ in (0, 1]")
	f.Float64Var(&o.LMSRate, "lms-rate", 0.001, "lms: step size η")
	f.IntVar(&o.Epochs, "epochs", 1, "lms, oja, eh: passes over the training samples")
	f.IntVar(&o.OjaComponents, "oja-components", 10, "oja: principal directions learned by Oja's subspace rule")
	f.Float64Var(&o.OjaRate, "oja-rate", 0.001, "oja: learning rate η")
	f.Float64Var(&o.EHRate, "eh-rate", 0.0005, "eh: learning rate η")
	f.Float64Var(&o.EHNoise, "eh-noise", 0.5, "eh: exploration noise amplitude")
	f.IntVar(&o.Lags, "lags", 3, "order p of the autoregressive baseline (and own history with --per-neuron)")
	f.BoolVar(&o.Residual, "residual", false, "fit the readouts to x[t+k] − x[t] (shrink towards persistence)")
	f.BoolVar(&o.PerNeuron, "per-neuron", false, "one readout per neuron on [state, its own last --lags samples]")
	f.BoolVar(&o.NoIntercept, "no-intercept", false, "fit the readouts without intercept")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the reservoir weights (and of the oja and eh readouts)")
	f.StringArrayVar(&o.Worms, "worm", nil, "only this recording (repeat for several)")
	f.StringArrayVar(&o.TestWorms, "test-worms", nil, "split by worm: this recording tests, the others train (repeat)")
	f.Float64Var(&o.TestFraction, "test-fraction", 0, "split by worm: the last share of the recordings (table order) tests, the others train")
	f.StringVar(&o.Shard, "shard", "", "k/n: only the recordings (or search trials) i with i mod n = k−1")
	f.StringVar(&o.Search, "search", "", "hyperparameter search instead of one fit: random or grid (writes DIR/search.parquet)")
	f.IntVar(&o.Trials, "trials", 20, "random search: number of trials")
	f.Float64SliceVar(&o.SearchRho, "search-spectral-radius", nil, "search: ρ* values (grid) or lo,hi (random; default 0.5,0.9,1.2 / 0.3,1.3)")
	f.Float64SliceVar(&o.SearchLeak, "search-leak", nil, "search: leak values or lo,hi (default 0.3,1 / 0.1,1)")
	f.Float64SliceVar(&o.SearchInput, "search-input-scaling", nil, "search: input scaling values or lo,hi, log-uniform (default 0.05,0.2 / 0.01,1)")
	f.Float64SliceVar(&o.SearchRidge, "search-ridge", nil, "search: ridge values or lo,hi, log-uniform (default 100,1000 / 1,10000)")
	f.IntVar(&o.Jobs, "jobs", runtime.NumCPU(), "search: trials fitted at once")
	f.StringVarP(&o.Out, "out", "o", "", "output folder")
	return cmd
}

// forecast turns the flags into a pipeline.Forecast; mistakes are usage
// errors. The connectome is read by runFitReservoir.
func (o *fitReservoirOptions) forecast() (pipeline.Forecast, error) {
	switch {
	case o.Traces == "":
		return pipeline.Forecast{}, usagef("--traces is required")
	case o.Out == "":
		return pipeline.Forecast{}, usagef("-o/--out is required")
	case !slices.Contains([]string{pipeline.TaskForecast, pipeline.TaskHeldout, pipeline.TaskGenerate}, o.Task):
		return pipeline.Forecast{}, usagef("--task %q: the tasks are forecast, heldout and generate", o.Task)
	case !slices.Contains(pipeline.ReadoutKinds, o.Readout):
		return pipeline.Forecast{}, usagef("--readout %q: the readouts are %s", o.Readout, strings.Join(pipeline.ReadoutKinds, ", "))
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
	case !(o.Tolerance > 0):
		return pipeline.Forecast{}, usagef("--tolerance %v: want a value > 0", o.Tolerance)
	}
	shard, err := pipeline.ParseShard(o.Shard)
	if err != nil {
		return pipeline.Forecast{}, usagef("--shard %q: want k/n with 1 ≤ k ≤ n", o.Shard)
	}
	o.shard = shard
	switch {
	case !(o.TestFraction >= 0 && o.TestFraction < 1):
		return pipeline.Forecast{}, usagef("--test-fraction %v: want a value in (0, 1)", o.TestFraction)
	case o.TestFraction > 0 && o.TestWorms != nil:
		return pipeline.Forecast{}, usagef("--test-worms and --test-fraction both split by worm: give one")
	case o.wormSplit() && (o.Search != "" || o.Shard != ""):
		return pipeline.Forecast{}, usagef("a split by worm fits all recordings at once: not with --search or --shard")
	}
	w := o.Washout
	if w == 0 {
		w = -1 // the library's 0 means its default
	}
	ar := o.ARRidge
	if ar < 0 {
		ar = o.Ridge
	}
	seed := neurotab.Seed(o.Seed)
	f := pipeline.Forecast{Task: o.Task, Horizon: o.Horizon, Heldout: o.Heldout, Tolerance: o.Tolerance, TrainFraction: o.TrainFraction,
		Washout: w, Lags: o.Lags, Ridge: o.Ridge, ARRidge: ar, Residual: o.Residual, PerNeuron: o.PerNeuron, NoIntercept: o.NoIntercept,
		Reservoir: reservoir.Config{Units: o.Units, Density: o.Density, SpectralRadius: o.SpectralRadius, Leak: o.Leak, InputScaling: o.InputScaling, Seed: seed}}
	f.Readout.Kind = o.Readout
	f.Readout.RLS.Delta, f.Readout.RLS.Lambda = o.RLSDelta, o.RLSLambda
	f.Readout.LMS.Rate, f.Readout.LMS.Epochs = o.LMSRate, o.Epochs
	f.Readout.Oja.Outputs, f.Readout.Oja.Rate, f.Readout.Oja.Epochs, f.Readout.Oja.Seed = o.OjaComponents, o.OjaRate, o.Epochs, seed
	f.Readout.EH.Rate, f.Readout.EH.Noise, f.Readout.EH.Epochs, f.Readout.EH.Seed = o.EHRate, o.EHNoise, o.Epochs, seed
	if err := f.Check(); err != nil {
		return pipeline.Forecast{}, &UsageError{err}
	}
	return f, nil
}

// loadConnectome reads --connectome into f and returns the summary line
// that describes it.
func (o *fitReservoirOptions) loadConnectome(f *pipeline.Forecast) (string, error) {
	if o.Connectome == "" {
		return "", nil
	}
	edges, err := connectome.ReadEdges(o.Connectome)
	if err != nil {
		return "", err
	}
	c, err := pipeline.NewConnectome(filepath.Base(o.Connectome), edges, connectome.DefaultAtlas())
	if err != nil {
		return "", fmt.Errorf("%s: %w", o.Connectome, err)
	}
	f.Connectome = c
	return fmt.Sprintf("connectome %s: %d units, density %.4f (a random reservoir of the same size: --units %d --density %.4f)",
		o.Connectome, len(c.Labels), c.Density(), len(c.Labels), c.Density()), nil
}

// fitRun is what a fit or predict run collected for its summary, models
// and figures.
type fitRun struct {
	metrics []table.MetricRow
	lines   []string
	results []*pipeline.Result
}

// runFitReservoir streams the recordings, writing the predictions of each
// as it is fitted; on any error nothing appears in DIR.
func runFitReservoir(o *fitReservoirOptions) error {
	f, err := o.forecast()
	if err != nil {
		return err
	}
	note, err := o.loadConnectome(&f)
	if err != nil {
		return err
	}
	if o.Search != "" {
		return runFitSearch(o, f)
	}
	seed := f.Reservoir.Seed
	inputs := []string{o.Traces}
	if o.Connectome != "" {
		inputs = append(inputs, o.Connectome)
	}
	prov, err := table.NewProvenance(o.g.Args, f.Parameters(), &seed, inputs...)
	if err != nil {
		return err
	}
	return writeFitOutputs(o.g, o.Traces, o.Out, prov, func(rr *table.RecordingReader, fn func(*pipeline.Result) error) error {
		if o.wormSplit() {
			return o.runWormSplit(rr, f, fn)
		}
		return pipeline.Run(rr, f, o.Worms, o.shard, fn)
	}, true, note)
}

func (o *fitReservoirOptions) wormSplit() bool { return o.TestWorms != nil || o.TestFraction > 0 }

// runWormSplit reads the recordings (those of --worm), splits them by
// --test-worms or --test-fraction and fits across worms.
func (o *fitReservoirOptions) runWormSplit(rr *table.RecordingReader, f pipeline.Forecast, fn func(*pipeline.Result) error) error {
	var recs []*table.Recording
	if err := pipeline.Each(rr, o.Worms, pipeline.Shard{}, func(r *table.Recording) error { recs = append(recs, r); return nil }); err != nil {
		return err
	}
	var train, test []*table.Recording
	nTest := int(math.Ceil(o.TestFraction * float64(len(recs))))
	for i, r := range recs {
		if slices.Contains(o.TestWorms, r.Worm) || (o.TestFraction > 0 && i >= len(recs)-nTest) {
			test = append(test, r)
		} else {
			train = append(train, r)
		}
	}
	for _, w := range o.TestWorms {
		if !slices.ContainsFunc(test, func(r *table.Recording) bool { return r.Worm == w }) {
			return fmt.Errorf("--test-worms %s: no such recording in %s: %w", w, o.Traces, neurotab.ErrNotFound)
		}
	}
	results, err := f.FitWorms(train, test)
	if err != nil {
		return err
	}
	for _, res := range results {
		if err := fn(res); err != nil {
			return err
		}
	}
	return nil
}

// writeFitOutputs runs a fit (or a model's predictions) over the traces
// and writes the predictions and metrics tables, the models (withModels)
// and the figures into out; on error it removes what it wrote. note, when
// not empty, is printed before the summary.
func writeFitOutputs(g *Globals, traces, out string, prov table.Provenance,
	run func(*table.RecordingReader, func(*pipeline.Result) error) error, withModels bool, note string) (err error) {
	rr, err := table.OpenRecordings(traces, nil)
	if err != nil {
		return err
	}
	defer rr.Close()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	predPath, metPath := filepath.Join(out, "predictions.parquet"), filepath.Join(out, "metrics.parquet")
	var written []string
	defer func() {
		if err != nil {
			for _, p := range written {
				os.RemoveAll(p)
			}
		}
	}()
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
	var fr fitRun
	bar := progress.New(g.Stderr, "fit", "traces", traceRows(traces), g.Progress())
	err = run(rr, func(res *pipeline.Result) error {
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
		fr.metrics = append(fr.metrics, met...)
		fr.lines = append(fr.lines, summaryLine(res))
		fr.results = append(fr.results, trimResult(res))
		bar.Add(int64(len(res.Neurons)))
		return nil
	})
	bar.Done()
	if err != nil {
		return err
	}
	written = append(written, metPath)
	if err = table.WriteRows(metPath, prov, nil, fr.metrics); err != nil {
		return err
	}
	rows := pw.Rows()
	written = append(written, predPath)
	if err = pw.Close(); err != nil {
		return err
	}
	var extra []string
	if withModels {
		written = append(written, filepath.Join(out, "models"))
		saved := map[*pipeline.Model]bool{}
		for _, res := range fr.results {
			if saved[res.Model] {
				continue
			}
			saved[res.Model] = true
			dir := filepath.Join(out, "models", res.Dataset, res.Worm)
			if res.Model.TrainWorms != nil {
				dir = filepath.Join(out, "models", "worm-split")
			}
			if err = res.Model.Save(dir); err != nil {
				return err
			}
			extra = append(extra, fmt.Sprintf("wrote %s  (%s, %d units, %d inputs, %d targets)", dir, pipeline.ModelFile, res.Model.ESN.W.N, len(res.Inputs), len(res.Neurons)))
		}
	}
	written = append(written, filepath.Join(out, "figures"))
	figs, err := writeFitFigures(filepath.Join(out, "figures"), fr.results)
	if err != nil {
		return err
	}
	if note != "" {
		g.Reportln(note)
	}
	for _, l := range fr.lines {
		g.Reportln(l)
	}
	g.Reportf("wrote %s  %d rows\n", predPath, rows)
	g.Reportf("wrote %s  %d rows\n", metPath, len(fr.metrics))
	for _, l := range extra {
		g.Reportln(l)
	}
	for _, p := range figs {
		g.Reportf("wrote %s\n", p)
	}
	return nil
}

// trimResult drops the train-split predictions, which the figures do not
// need, so that a many-worm run holds only the test span in memory.
func trimResult(res *pipeline.Result) *pipeline.Result {
	r := *res
	r.Methods = slices.Clone(res.Methods)
	for i := range r.Methods {
		r.Methods[i].Observed[0], r.Methods[i].Predicted[0] = nil, nil
	}
	return &r
}

// summaryLine is the one line of a recording in the summary.
func summaryLine(res *pipeline.Result) string {
	split := pipeline.Test
	if len(res.TestT) == 0 {
		split = pipeline.Train
	}
	var r2 []string
	for _, m := range res.Methods {
		r2 = append(r2, fmt.Sprintf("%s %.3f", m.Model, m.Score(split, pipeline.MetricR2)))
	}
	what := fmt.Sprintf("test R² at horizon %d", res.Horizon)
	if split == pipeline.Train {
		what = fmt.Sprintf("train worm, train R² at horizon %d", res.Horizon)
	}
	switch res.Task {
	case pipeline.TaskHeldout:
		what = fmt.Sprintf("test R² of %d held-out neurons from %d", len(res.Neurons), len(res.Inputs))
	case pipeline.TaskGenerate:
		var v []string
		for _, m := range res.Methods {
			v = append(v, fmt.Sprintf("%s %.0f", m.Model, m.Score(pipeline.Test, pipeline.MetricValidSteps)))
		}
		what = "valid free-running steps: " + strings.Join(v, ", ") + "; test R²"
	}
	return fmt.Sprintf("ok  %s/%s  %d neurons  %d train, %d test samples  %s: %s",
		res.Dataset, res.Worm, len(res.Neurons), len(res.TrainT), len(res.TestT), what, strings.Join(r2, ", "))
}
