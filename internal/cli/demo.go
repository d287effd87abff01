package cli

import (
	"fmt"

	"github.com/neurotab/neurotab/internal/demo"
	"github.com/neurotab/neurotab/internal/progress"
	"github.com/spf13/cobra"
)

func newDemoCmd(g *Globals) *cobra.Command {
	cfg := demo.Config{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Simulate a small multi-worm calcium dataset with known ground truth and write it as Parquet",
		Long: `demo needs no input files and no network. It simulates worms whose neurons
(real C. elegans labels from the canonical atlas) follow a known ground-truth
network with hidden state switches, and writes the traces, neurons, edges
(ground truth) and states tables through the same Parquet path as real data.
The same --seed gives the same bytes.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			bar := progress.New(g.Stderr, "simulating", "worms", int64(cfg.Worms), g.Progress())
			cfg.Progress = func(done, total int) { bar.Add(1) }
			cfg.Command = g.Args
			bar.Add(1)
			outs, err := demo.Run(cfg)
			bar.Done()
			if err != nil {
				return err
			}
			for _, o := range outs {
				fmt.Fprintf(g.Stdout, "wrote %-34s %-12s %8d rows %10d bytes\n", o.Path, o.Table, o.Rows, o.Bytes)
			}
			g.Logf("read them with e.g.: duckdb -c \"SELECT worm, neuron, len(calcium_data) FROM '%s/traces.parquet' LIMIT 5\"", cfg.Out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&cfg.Out, "out", "o", "demo-out", "output folder")
	f.Uint64Var(&cfg.Seed, "seed", 1, "random seed (same seed, same bytes)")
	f.IntVar(&cfg.Worms, "worms", 4, "number of simulated worms")
	f.IntVar(&cfg.Neurons, "neurons", 60, "network size, drawn from the 300 canonical neurons")
	f.IntVar(&cfg.Samples, "samples", 900, "samples per worm at 0.333 s")
	f.IntVar(&cfg.States, "states", 2, "number of hidden states")
	return cmd
}
