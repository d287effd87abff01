package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/tasks"
)

// fitBenchOptions are the flags of 'fit bench'; a zero value (or false)
// keeps the task's default.
type fitBenchOptions struct {
	g              *Globals
	Task           string
	Units          int
	SpectralRadius float64
	InputScaling   float64
	Leak           float64
	Density        float64
	Ridge          float64
	Train, Test    int
	Seed           uint64
}

// newFitBenchCmd binds the flags of 'fit bench'; runF replaces
// runFitBench when not nil (tests of the flag wiring).
func newFitBenchCmd(g *Globals, runF func(*fitBenchOptions) error) *cobra.Command {
	o := &fitBenchOptions{g: g}
	cmd := &cobra.Command{
		Use:   "bench memory-capacity|narma10|mackey-glass|lorenz [--units N --spectral-radius R --input-scaling S --seed N]",
		Short: "Score an echo-state network on a standard reservoir-computing benchmark",
		Long: `bench generates a standard benchmark task, drives an echo-state network with it,
trains a ridge readout and prints the score on its last line (the metric's name,
a space, its value), after a line with the settings.

  memory-capacity  Jaeger's short-term memory: Σ_k r² of recalling u[t−k],
                   k = 1…2N, u ~ U[−0.8, 0.8] (mc; at most N)
  narma10          NARMA10 (u ~ U[0, 0.5]; a diverging series is an error):
                   test NRMSE by σ (nrmse_sigma)
  mackey-glass     Mackey–Glass τ = 17 sampled every time unit, one step
                   ahead: test NRMSE by the range (nrmse_range)
  lorenz           Lorenz-63 (σ 10, ρ 28, β 8/3, RK4 step 0.01), the three
                   standardized coordinates one step ahead: mean test NRMSE
                   by σ (nrmse_sigma)

Every setting not given is the task's published one (the figures the tests of
fit/reservoir check against reservoirpy):

  memory-capacity  --units 100 --density 0.1 --spectral-radius 0.9
                   --input-scaling 0.1 (dense input), ridge 1e-8, 5000/2000
                   steps → MC 20–28
  narma10          --units 100 --spectral-radius 0.95 --input-scaling 0.1,
                   ridge 1e-8, 3000/1000 → NRMSE 0.33–0.43 (mean of 3 seeds)
  mackey-glass     --units 100 --spectral-radius 0.12 --leak 0.97
                   --density 0.6 --input-scaling 0.3, ridge 5e-4, 6000/2000
                   → NRMSE(range) < 0.02
  lorenz           --units 300 --spectral-radius 0.9 --leak 0.3
                   --input-scaling 0.1, ridge 1e-6, 6000/2000

--seed seeds both the reservoir and the task's data (default 1).`,
		Example: `  neurotab fit bench memory-capacity
  neurotab fit bench narma10 --units 400 --seed 2
  neurotab fit bench mackey-glass --spectral-radius 0.2 --leak 0.5
  neurotab fit bench lorenz --units 100 -q | tail -1`,
		Args:      args(cobra.ExactArgs(1)),
		ValidArgs: tasks.Benchmarks(),
		RunE: func(_ *cobra.Command, a []string) error {
			o.Task = a[0]
			if runF != nil {
				return runF(o)
			}
			return runFitBench(o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Units, "units", 0, "reservoir units N (0: the task's default)")
	f.Float64Var(&o.SpectralRadius, "spectral-radius", 0, "spectral radius ρ* of W (0: the task's default)")
	f.Float64Var(&o.InputScaling, "input-scaling", 0, "scale of the input weights (0: the task's default)")
	f.Float64Var(&o.Leak, "leak", 0, "leak rate α in (0, 1] (0: the task's default)")
	f.Float64Var(&o.Density, "density", 0, "density of W in (0, 1] (0: the task's default)")
	f.Float64Var(&o.Ridge, "ridge", 0, "ridge penalty of the readout (0: the task's default)")
	f.IntVar(&o.Train, "train", 0, "training steps (0: the task's default)")
	f.IntVar(&o.Test, "test", 0, "held-out steps (0: the task's default)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the reservoir weights and of the task's data")
	return cmd
}

// bench turns the options into a tasks.Bench; mistakes are usage errors.
func (o *fitBenchOptions) bench() (tasks.Bench, error) {
	b, err := tasks.DefaultBench(o.Task)
	if err != nil {
		return tasks.Bench{}, usagef("unknown benchmark %q: the benchmarks are %s", o.Task, strings.Join(tasks.Benchmarks(), ", "))
	}
	switch {
	case o.Units < 0:
		return b, usagef("--units %d: want at least 1", o.Units)
	case o.SpectralRadius < 0 || o.InputScaling < 0 || o.Ridge < 0:
		return b, usagef("--spectral-radius, --input-scaling and --ridge must be positive")
	case o.Leak < 0 || o.Leak > 1:
		return b, usagef("--leak %v: want a value in (0, 1]", o.Leak)
	case o.Density < 0 || o.Density > 1:
		return b, usagef("--density %v: want a value in (0, 1]", o.Density)
	case o.Train < 0 || o.Test < 0:
		return b, usagef("--train and --test must be positive")
	}
	set := func(dst *float64, v float64) {
		if v > 0 {
			*dst = v
		}
	}
	if o.Units > 0 {
		b.Reservoir.Units = o.Units
	}
	set(&b.Reservoir.SpectralRadius, o.SpectralRadius)
	set(&b.Reservoir.InputScaling, o.InputScaling)
	set(&b.Reservoir.Leak, o.Leak)
	set(&b.Reservoir.Density, o.Density)
	set(&b.Ridge, o.Ridge)
	if o.Train > 0 {
		b.Train = o.Train
	}
	if o.Test > 0 {
		b.Test = o.Test
	}
	b.Seed, b.Reservoir.Seed = neurotab.Seed(o.Seed), neurotab.Seed(o.Seed)
	if err := b.Reservoir.Check(); err != nil {
		return b, &UsageError{err}
	}
	return b, nil
}

// runFitBench runs the benchmark and prints the settings, then the score.
func runFitBench(o *fitBenchOptions) error {
	b, err := o.bench()
	if err != nil {
		return err
	}
	c := b.Reservoir
	o.g.Logf("bench %s: %d units, density %g, spectral radius %g, input scaling %g, leak %g, ridge %g, %d train / %d test steps, seed %d",
		b.Task, c.Units, orDefault(c.Density, 0.1), c.SpectralRadius, c.InputScaling, orDefault(c.Leak, 1), b.Ridge, b.Train, b.Test, uint64(b.Seed))
	res, err := b.Run()
	if err != nil {
		if errors.Is(err, neurotab.ErrNotFinite) {
			return fmt.Errorf("bench %s: %w (try another --seed)", b.Task, err)
		}
		return fmt.Errorf("bench %s: %w", b.Task, err)
	}
	o.g.Logf("spectral radius of W as built: %.6g", res.SpectralRadius)
	fmt.Fprintf(o.g.Stdout, "%s %.6g\n", res.Metric, res.Value)
	return nil
}

// orDefault returns v, or def for 0.
func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
