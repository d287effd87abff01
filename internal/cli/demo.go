package cli

import (
	"github.com/neurotab/neurotab/internal/demo"
	"github.com/neurotab/neurotab/internal/progress"
	"github.com/spf13/cobra"
)

// demoOptions are the flags of 'demo'.
type demoOptions struct {
	g   *Globals
	Cfg demo.Config
}

func newDemoCmd(g *Globals, runF func(*demoOptions) error) *cobra.Command {
	o := &demoOptions{g: g}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Simulate a small multi-worm calcium dataset with known ground truth and write it as Parquet",
		Long: `demo needs no input files and no network. It simulates worms whose neurons
(real C. elegans labels from the canonical atlas) follow a known ground-truth
network with hidden state switches, writes each worm as a lab's CSV file
(2 Hz, zero-padded names, unidentified ROIs) under OUT/raw, and runs those
files through the real ingest path (adapter, label normalization, z-score,
smoothing, resampling to 0.333 s) into the traces table. It also writes the
ground truth: the neurons, the coupling (edges) and the hidden states.
The same --seed gives the same bytes.`,
		Example: `  neurotab demo --out demo-out
  neurotab demo --out small --worms 2 --neurons 20 --samples 600 --seed 7`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runDemo(o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Cfg.Out, "out", "o", "demo-out", "output folder")
	f.Uint64Var((*uint64)(&o.Cfg.Seed), "seed", 1, "random seed (same seed, same bytes)")
	f.IntVar(&o.Cfg.Worms, "worms", 4, "number of simulated worms")
	f.IntVar(&o.Cfg.Neurons, "neurons", 60, "network size, drawn from the 300 canonical neurons")
	f.IntVar(&o.Cfg.Samples, "samples", 900, "raw samples per worm at 0.5 s (at least 600)")
	f.IntVar(&o.Cfg.States, "states", 2, "number of hidden states")
	return cmd
}

func runDemo(o *demoOptions) error {
	g, cfg := o.g, o.Cfg
	claim, err := claimOutput(g, cfg.Out, false, "")
	if err != nil {
		return err
	}
	defer claim.Release()
	bar := progress.New(g.Stderr, "simulating", "worms", int64(cfg.Worms), g.Progress())
	cfg.Progress = func(done, total int) { bar.Add(1) }
	cfg.Phase = func(name string) {
		if done := bar.Count(); done >= int64(cfg.Worms) && bar != nil {
			bar.Done()
			bar = nil
		}
		if g.Progress() && progress.IsTerminal(g.Stderr) {
			g.Logf("%s …", name)
		}
	}
	cfg.Command = g.Args
	bar.Add(1)
	outs, err := demo.Run(cfg)
	bar.Done()
	if err != nil {
		return err
	}
	for _, out := range outs {
		g.Reportf("wrote %-34s %-12s %8d rows %10d bytes\n", out.Path, out.Table, out.Rows, out.Bytes)
	}
	g.Logf("read them with e.g.: duckdb -c \"SELECT worm, neuron, len(calcium_data) FROM '%s/traces.parquet' LIMIT 5\"", cfg.Out)
	return nil
}
