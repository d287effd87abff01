package cli

import (
	"os"
	"path/filepath"

	"github.com/neurotab/neurotab/fit/pipeline"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/spf13/cobra"
)

// fitPredictOptions are the flags of 'fit predict'.
type fitPredictOptions struct {
	g      *Globals
	Model  string
	Traces string
	Worms  []string
	Shard  string
	Out    string

	shard pipeline.Shard
}

// newFitPredictCmd binds the flags of 'fit predict'; runF replaces
// runFitPredict when not nil.
func newFitPredictCmd(g *Globals, runF func(*fitPredictOptions) error) *cobra.Command {
	o := &fitPredictOptions{g: g}
	cmd := &cobra.Command{
		Use:   "predict --model MODEL_DIR --traces TRACES.parquet -o DIR",
		Short: "Run a model trained by 'fit reservoir' on traces",
		Long: `predict loads a model folder written by 'neurotab fit reservoir'
(DIR/models/DATASET/WORM: model.json with the format version, task, split,
hyperparameters, seed and neuron order, and the .npy weights) and runs it,
without refitting, on every recording of --traces that holds the model's
neurons (matched by label, in any column order). It writes predictions.parquet,
metrics.parquet and figures/ as 'fit reservoir' does, with the model's task
and train/test split: on the traces the model was trained on, the predictions
and metrics equal those of the training run.

A model folder of another format version, or traces lacking some of the
model's neurons, is an error and nothing is written.`,
		Example: `  neurotab fit reservoir --traces traces.parquet --horizon 15 -o fit-out
  neurotab fit predict --model fit-out/models/Dag2023/2022-07-26-31 --traces traces.parquet -o predict-out`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runFitPredict(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "model folder (models/DATASET/WORM of a 'fit reservoir' output)")
	f.StringVar(&o.Traces, "traces", "", "traces table (Parquet or Arrow file, or hive folder)")
	f.StringArrayVar(&o.Worms, "worm", nil, "only this recording (repeat for several)")
	f.StringVar(&o.Shard, "shard", "", "k/n: only the recordings i with i mod n = k−1")
	f.StringVarP(&o.Out, "out", "o", "", "output folder")
	return cmd
}

// runFitPredict loads the model and writes its predictions.
func runFitPredict(o *fitPredictOptions) error {
	switch {
	case o.Model == "":
		return usagef("--model is required")
	case o.Traces == "":
		return usagef("--traces is required")
	case o.Out == "":
		return usagef("-o/--out is required")
	}
	shard, err := pipeline.ParseShard(o.Shard)
	if err != nil {
		return usagef("--shard %q: want k/n with 1 ≤ k ≤ n", o.Shard)
	}
	o.shard = shard
	m, err := pipeline.LoadModel(o.Model)
	if err != nil {
		return err
	}
	params := map[string]any{"model": o.Model, "trained_with": m.Parameters()}
	seed := m.Forecast.Reservoir.Seed
	inputs := []string{o.Traces}
	if _, err := os.Stat(filepath.Join(o.Model, pipeline.ModelFile)); err == nil {
		inputs = append(inputs, filepath.Join(o.Model, pipeline.ModelFile))
	}
	prov, err := table.NewProvenance(o.g.Args, params, &seed, inputs...)
	if err != nil {
		return err
	}
	return writeFitOutputs(o.g, o.Traces, o.Out, prov, func(rr *table.RecordingReader, fn func(*pipeline.Result) error) error {
		return pipeline.RunModel(rr, m, o.Worms, o.shard, fn)
	}, false, "")
}
