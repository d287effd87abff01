package tasks

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/readout"
	"github.com/neurotab/neurotab/fit/reservoir"
)

// The benchmark names Bench knows, in the order Benchmarks lists them.
const (
	BenchMemory      = "memory-capacity"
	BenchNARMA10     = "narma10"
	BenchMackeyGlass = "mackey-glass"
	BenchLorenz      = "lorenz"
)

// Benchmarks returns the names of the standard benchmarks.
func Benchmarks() []string {
	return []string{BenchMemory, BenchNARMA10, BenchMackeyGlass, BenchLorenz}
}

// Bench scores one echo-state network on one standard task, the protocol
// of `neurotab fit bench`:
//
//   - memory-capacity: Memory (Train training and Test held-out steps,
//     KMax = 2N, readouts with ridge Ridge); the score is MC.
//   - narma10: NARMA10 of Train + Test steps, no washout, a ridge readout
//     with intercept on the first Train states; the score is the test
//     NRMSE normalized by σ (readout.NRMSE).
//   - mackey-glass: one-step-ahead prediction of MackeyGlass (τ = 17),
//     washout N, then Train and Test steps; the score is the test NRMSE
//     normalized by the range (NRMSERange).
//   - lorenz: one-step-ahead prediction of the three Lorenz coordinates,
//     each standardized to zero mean and unit variance, washout N, Train
//     and Test steps; the score is the mean over x, y, z of the test NRMSE
//     normalized by σ.
//
// Seed seeds the task's data (the reservoir has its own Config.Seed).
// DefaultBench gives each task's published settings.
type Bench struct {
	// Task is one of Benchmarks().
	Task string
	// Reservoir is the network (Inputs is set by the task).
	Reservoir reservoir.Config
	// Ridge is the ridge penalty of the readouts.
	Ridge float64
	// Train and Test are the numbers of training and held-out steps.
	Train, Test int
	// Seed seeds the task's data.
	Seed neurotab.Seed
}

// BenchResult is the score of a Bench run.
type BenchResult struct {
	// Task is the benchmark's name.
	Task string
	// Metric names the score: "mc", "nrmse_sigma" or "nrmse_range".
	Metric string
	// Value is the score.
	Value float64
	// SpectralRadius is ρ(W) of the network as built.
	SpectralRadius float64
}

// DefaultBench returns the settings of the named task, those of the
// published figures issue 11 lists (measured with reservoirpy) and the
// tests of fit/reservoir check:
//
//   - memory-capacity: tanh N = 100, density 0.1, ρ* = 0.9, input scaling
//     0.1 with dense W_in, ridge 1e-8, 5000/2000 steps → MC 20–28.
//   - narma10: tanh N = 100, ρ* = 0.95, input scaling 0.1, ridge 1e-8,
//     3000/1000 → NRMSE(σ) 0.33–0.43 (mean of 3 seeds).
//   - mackey-glass: N = 100, ρ* = 0.12, leak 0.97, density 0.6, W_in
//     density 0.5, input scaling 0.3, ridge 5e-4, 6000/2000 → NRMSE(range)
//     < 2e-2.
//   - lorenz: N = 300, ρ* = 0.9, leak 0.3, input scaling 0.1 with dense
//     W_in, ridge 1e-6, 6000/2000.
//
// The error wraps neurotab.ErrParam for an unknown name.
func DefaultBench(task string) (Bench, error) {
	b := Bench{Task: task, Seed: 1}
	switch task {
	case BenchMemory:
		b.Reservoir = reservoir.Config{Units: 100, Density: 0.1, SpectralRadius: 0.9, InputScaling: 0.1, InputDensity: 1}
		b.Ridge, b.Train, b.Test = 1e-8, 5000, 2000
	case BenchNARMA10:
		b.Reservoir = reservoir.Config{Units: 100, SpectralRadius: 0.95, InputScaling: 0.1}
		b.Ridge, b.Train, b.Test = 1e-8, 3000, 1000
	case BenchMackeyGlass:
		b.Reservoir = reservoir.Config{Units: 100, SpectralRadius: 0.12, Leak: 0.97, Density: 0.6, InputDensity: 0.5, InputScaling: 0.3}
		b.Ridge, b.Train, b.Test = 5e-4, 6000, 2000
	case BenchLorenz:
		b.Reservoir = reservoir.Config{Units: 300, SpectralRadius: 0.9, Leak: 0.3, InputScaling: 0.1, InputDensity: 1}
		b.Ridge, b.Train, b.Test = 1e-6, 6000, 2000
	default:
		return Bench{}, fmt.Errorf("tasks: unknown benchmark %q; the benchmarks are %v: %w", task, Benchmarks(), neurotab.ErrParam)
	}
	b.Reservoir.Seed = 1
	return b, nil
}

// Parameters returns the settings as provenance parameters: the task, the
// reservoir's parameters under "reservoir", ridge, train, test and seed.
func (b Bench) Parameters() map[string]any {
	return map[string]any{"task": b.Task, "reservoir": b.Reservoir.Parameters(), "ridge": b.Ridge,
		"train": b.Train, "test": b.Test, "seed": b.Seed.String()}
}

// Run builds the network, generates the task and returns its score. The
// errors wrap neurotab.ErrParam (an unknown task, Train or Test < 1, a
// negative Ridge, a bad Reservoir), neurotab.ErrNotFinite (a series or
// states that diverged) or neurotab.ErrSingular (a readout that could not
// be solved).
func (b Bench) Run() (BenchResult, error) {
	if !slices.Contains(Benchmarks(), b.Task) {
		return BenchResult{}, fmt.Errorf("tasks: unknown benchmark %q; the benchmarks are %v: %w", b.Task, Benchmarks(), neurotab.ErrParam)
	}
	if b.Train < 1 || b.Test < 1 || !(b.Ridge >= 0) || math.IsInf(b.Ridge, 1) {
		return BenchResult{}, fmt.Errorf("tasks: bench %s: train %d, test %d, ridge %g; want train, test ≥ 1 and a finite ridge ≥ 0: %w",
			b.Task, b.Train, b.Test, b.Ridge, neurotab.ErrParam)
	}
	c := b.Reservoir
	c.Inputs = 1
	if b.Task == BenchLorenz {
		c.Inputs = 3
	}
	e, err := c.New()
	if err != nil {
		return BenchResult{}, err
	}
	rho, err := reservoir.SpectralRadius(e.W)
	if err != nil {
		return BenchResult{}, err
	}
	res := BenchResult{Task: b.Task, SpectralRadius: rho}
	n := e.W.N
	states := func(U mat.Matrix) (*mat.Dense, error) {
		var X mat.Dense
		err := reservoir.NewRunner(e).Run(&X, U)
		return &X, err
	}
	switch b.Task {
	case BenchMemory:
		m := Memory{Train: b.Train, Test: b.Test, Alpha: b.Ridge, Seed: b.Seed} // Ridge 0: Memory's 1e-8
		U := m.Input(n)
		X, err := states(U)
		if err != nil {
			return res, err
		}
		res.Metric = "mc"
		res.Value, _, err = m.Capacity(X, U)
		return res, err
	case BenchNARMA10:
		U, Y, err := NARMA10(b.Seed, b.Train+b.Test)
		if err != nil {
			return res, err
		}
		X, err := states(U)
		if err != nil {
			return res, err
		}
		res.Metric = "nrmse_sigma"
		res.Value, err = oneReadout(X, Y, 0, b.Train, b.Ridge, false)
		return res, err
	case BenchMackeyGlass:
		x, err := MackeyGlass{Seed: b.Seed}.Series(n + b.Train + b.Test + 1)
		if err != nil {
			return res, err
		}
		T := n + b.Train + b.Test
		X, err := states(x.Slice(0, T, 0, 1))
		if err != nil {
			return res, err
		}
		res.Metric = "nrmse_range"
		res.Value, err = oneReadout(X, x.Slice(1, T+1, 0, 1), n, b.Train, b.Ridge, true)
		return res, err
	}
	// Lorenz, standardized coordinates, one step ahead.
	T := n + b.Train + b.Test
	s, err := Lorenz{}.Series(T + 1)
	if err != nil {
		return res, err
	}
	for j := range 3 {
		col := mat.Col(nil, j, s)
		mean, sd := stat.PopMeanStdDev(col, nil)
		for i, v := range col {
			s.Set(i, j, (v-mean)/sd)
		}
	}
	X, err := states(s.Slice(0, T, 0, 3))
	if err != nil {
		return res, err
	}
	res.Metric = "nrmse_sigma"
	res.Value, err = oneReadout(X, s.Slice(1, T+1, 0, 3), n, b.Train, b.Ridge, false)
	return res, err
}

// oneReadout fits a ridge readout with intercept on the Train states after
// the washout and returns the mean over targets of the test NRMSE (by the
// range, or by σ).
func oneReadout(X *mat.Dense, Y mat.Matrix, washout, train int, ridge float64, byRange bool) (float64, error) {
	t, n := X.Dims()
	_, k := Y.Dims()
	ys := mat.DenseCopyOf(Y)
	r := readout.Ridge{Alpha: ridge, FitIntercept: true, SVDFallback: true}
	if err := r.Fit(X.Slice(washout, washout+train, 0, n), ys.Slice(washout, washout+train, 0, k)); err != nil {
		return 0, err
	}
	var yh mat.Dense
	if err := r.PredictTo(&yh, X.Slice(washout+train, t, 0, n)); err != nil {
		return 0, err
	}
	yt := ys.Slice(washout+train, t, 0, k)
	var e []float64
	var err error
	if byRange {
		e, err = NRMSERange(yt, &yh)
	} else {
		e, err = readout.NRMSE(yt, &yh)
	}
	if err != nil {
		return 0, err
	}
	return stat.Mean(e, nil), nil
}
