package pipeline

import (
	"fmt"
	"math"
	"slices"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
	"gonum.org/v1/gonum/mat"
)

// Method names, the model column of the predictions and metrics tables.
const (
	Reservoir      = "reservoir"
	Persistence    = "persistence"
	Autoregressive = "autoregressive"
)

// Split names, the split column.
const (
	Train = "train"
	Test  = "test"
)

// Task names (Forecast.Task).
const (
	TaskForecast = "forecast"
	TaskHeldout  = "heldout"
	TaskGenerate = "generate"
)

// Metric names, the metric column. NRMSE is named by its normalization:
// "nrmse_sd" divides the RMSE by the target's standard deviation,
// "nrmse_range" by its range max − min (both over the split).
const (
	MetricR2         = "r2"
	MetricNRMSE      = "nrmse_sd"
	MetricNRMSERange = "nrmse_range"
	MetricPearson    = "pearson_r"
	// MetricPVar is the fraction of variance explained by all target
	// neurons at once, pVar = 1 − (‖A − R‖_F / (√(N·T)·σ_A))² with A the
	// observed and R the predicted T×N matrix and σ_A the standard
	// deviation of all entries of A (Perich et al. 2020, CURBD,
	// doi:10.1101/2020.12.18.423348); only for the recording (Neuron "").
	MetricPVar = "pvar"
	// MetricValidSteps is, for the generate task, the number of
	// free-running steps before the error first exceeds the tolerance (see
	// Forecast.Tolerance); only for the recording, test split.
	MetricValidSteps = "valid_steps"
)

// Forecast configures a fitting task on a recording (see the package doc
// for the tasks, the time split and the methods). The zero value forecasts
// one step ahead with a 0.7 train fraction, a washout of 50 samples, the
// default reservoir of fit/reservoir (its Inputs are set to the number of
// input neurons), ordinary least squares readouts with intercept and an
// autoregression of order 1.
type Forecast struct {
	// Task is TaskForecast ("" means it), TaskHeldout or TaskGenerate.
	Task string
	// Horizon is k ≥ 1, in samples (0 means 1); forecast only (heldout
	// predicts the same sample, generate one step at a time).
	Horizon int
	// TrainFraction is f ∈ (0, 1), the share of the recording before the
	// cut (0 means 0.7).
	TrainFraction float64
	// Washout is w, the leading samples dropped from training (0 means 50;
	// negative means none).
	Washout int
	// Reservoir configures the echo-state network; Inputs is overwritten
	// with the number of input neurons.
	Reservoir reservoir.Config
	// Connectome, when not nil, makes the reservoir connectome-constrained
	// (see Connectome); Reservoir.Units, Density and InDegree are then
	// ignored.
	Connectome *Connectome
	// Ridge is the penalty α ≥ 0 of the reservoir's ridge readout
	// (readout.Ridge.Alpha: not divided by the sample count), and of the
	// ridge stage of the "oja" readout.
	Ridge float64
	// Readout chooses the reservoir's readout (zero value: ridge).
	Readout Readout
	// Lags is p ≥ 1, the order of the autoregressive baseline, and with
	// PerNeuron the own-history length of the reservoir's features (0
	// means 1).
	Lags int
	// ARRidge is the penalty α ≥ 0 of the autoregressive baseline.
	ARRidge float64
	// Residual makes both fitted methods predict the change from the last
	// sample: their readouts are fitted to x[t+k] − x[t] and x[t] is added
	// back, x̂[t+k] = x[t] + Wᵀf[t] + b, so the penalty shrinks them
	// towards persistence instead of towards the training mean. Not with
	// the heldout task.
	Residual bool
	// PerNeuron fits one readout per target neuron j on its own features:
	// [s[t], x_j[t], …, x_j[t−p+1]] for the reservoir and
	// [x_j[t], …, x_j[t−p+1]] for the autoregression, instead of one
	// readout of all neurons' inputs (forecast and generate only).
	PerNeuron bool
	// NoIntercept fits the readouts without an intercept b (with
	// Residual: a drift learned in training is not extrapolated).
	NoIntercept bool
	// Heldout names the neurons the heldout task predicts from the
	// others; nil means every fifth neuron of the recording in table order
	// (indices 0, 5, 10, …).
	Heldout []string
	// Tolerance is the generate task's error bound ε: a free-running step
	// h is valid while e[h] = √(mean_j ((x̂_j − x_j)/σ_j)²) ≤ ε, σ_j the
	// neuron's standard deviation over the train split (0 means 1: an
	// error as large as the signal's own spread).
	Tolerance float64
}

func (f Forecast) task() string {
	if f.Task == "" {
		return TaskForecast
	}
	return f.Task
}

// horizon is k: the configured horizon for forecast, 0 for heldout and 1
// for generate.
func (f Forecast) horizon() int {
	switch f.task() {
	case TaskHeldout:
		return 0
	case TaskGenerate:
		return 1
	}
	if f.Horizon == 0 {
		return 1
	}
	return f.Horizon
}

func (f Forecast) fraction() float64 {
	if f.TrainFraction == 0 {
		return 0.7
	}
	return f.TrainFraction
}

func (f Forecast) lags() int {
	if f.Lags == 0 {
		return 1
	}
	return f.Lags
}

func (f Forecast) tolerance() float64 {
	if f.Tolerance == 0 {
		return 1
	}
	return f.Tolerance
}

func (f Forecast) washout() int {
	w := f.Washout
	switch {
	case w == 0:
		w = 50
	case w < 0:
		w = 0
	}
	return max(w, f.lags()-1)
}

// Check reports a configuration error, wrapping neurotab.ErrParam.
func (f Forecast) Check() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("pipeline: "+format+": %w", append(a, neurotab.ErrParam)...)
	}
	switch {
	case !slices.Contains([]string{TaskForecast, TaskHeldout, TaskGenerate}, f.task()):
		return bad("task %q: want forecast, heldout or generate", f.Task)
	case f.Horizon < 0:
		return bad("horizon %d: want at least 1", f.Horizon)
	case !(f.TrainFraction >= 0 && f.TrainFraction < 1):
		return bad("train fraction %v: want a value in (0, 1)", f.TrainFraction)
	case f.Lags < 0:
		return bad("lags %d: want at least 1", f.Lags)
	case !(f.Ridge >= 0) || math.IsInf(f.Ridge, 0):
		return bad("ridge %v: want a finite value ≥ 0", f.Ridge)
	case !(f.ARRidge >= 0) || math.IsInf(f.ARRidge, 0):
		return bad("autoregressive ridge %v: want a finite value ≥ 0", f.ARRidge)
	case !(f.Tolerance >= 0) || math.IsInf(f.Tolerance, 0):
		return bad("tolerance %v: want a finite value > 0", f.Tolerance)
	case f.task() == TaskHeldout && (f.Residual || f.PerNeuron):
		return bad("the heldout task predicts unseen neurons: residual and per-neuron readouts need their own past")
	}
	if err := f.Readout.Check(); err != nil {
		return err
	}
	rc := f.Reservoir
	rc.Inputs = 1
	if f.Connectome != nil {
		rc.Units = 0
	}
	if err := rc.Check(); err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters, the
// reservoir's under "reservoir" and the readout's under "readout".
func (f Forecast) Parameters() map[string]any {
	rc := f.Reservoir
	rc.Inputs = 0
	p := map[string]any{
		"task": f.task(), "horizon": f.horizon(), "train_fraction": f.fraction(), "washout": f.washout(),
		"ridge": f.Ridge, "lags": f.lags(), "ar_ridge": f.ARRidge, "residual": f.Residual,
		"per_neuron": f.PerNeuron, "intercept": !f.NoIntercept, "readout": f.Readout.Parameters(),
		"reservoir": rc.Parameters(),
	}
	if f.task() == TaskHeldout {
		p["heldout"] = f.Heldout
	}
	if f.task() == TaskGenerate {
		p["tolerance"] = f.tolerance()
	}
	if f.Connectome != nil {
		p["connectome"] = f.Connectome.Parameters()
	}
	return p
}

// Result is the fit of one recording: every method's predictions on both
// splits and their metrics, and the trained model.
type Result struct {
	Dataset, Worm string
	// Task is the task run.
	Task string
	// Neurons are the target neurons (columns of Observed and Predicted);
	// Inputs the neurons that drive the reservoir and the regressions.
	Neurons, Inputs []string
	// Horizon is k; Washout, Cut the effective w and c of the split.
	Horizon, Washout, Cut int
	// TrainT and TestT are the indices t of the input samples of each
	// split; the target of t is sample t+k.
	TrainT, TestT []int
	// Time are the recording's sample times, s.
	Time []float64
	// Methods in the order reservoir, persistence, autoregressive.
	Methods []MethodResult
	// Model is what was fitted (the reservoir's weights and both
	// readouts); Save writes it and Model.Apply runs it on other traces.
	Model *Model
}

// MethodResult is one method's predictions and scores.
type MethodResult struct {
	Model string
	// Observed and Predicted are len(split) × K, row i the target
	// x[t_i+k] and its prediction, for Train and Test.
	Observed, Predicted [2]*mat.Dense
	// Scores[split][metric] holds the K per-neuron values.
	Scores [2]map[string][]float64
	// Overall[split][metric] holds the recording's figures of metrics
	// that are not means over neurons (pvar, valid_steps).
	Overall [2]map[string]float64
}

// Score returns the recording's figure of a metric on a split: the mean
// over neurons of the finite values (NaN when there are none), or the
// figure of a metric defined only for the whole recording.
func (m *MethodResult) Score(split, metric string) float64 {
	s := splitIndex(split)
	if v, ok := m.Overall[s][metric]; ok {
		return v
	}
	return finiteMean(m.Scores[s][metric])
}

func splitIndex(split string) int {
	if split == Test {
		return 1
	}
	return 0
}

func finiteMean(v []float64) float64 {
	s, n := 0.0, 0
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// Method returns the result of the named method, or nil.
func (r *Result) Method(model string) *MethodResult {
	for i := range r.Methods {
		if r.Methods[i].Model == model {
			return &r.Methods[i]
		}
	}
	return nil
}
