package pipeline

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/readout"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
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

// Metric names, the metric column.
const (
	MetricR2      = "r2"
	MetricNRMSE   = "nrmse"
	MetricPearson = "pearson_r"
)

// Forecast configures k-step-ahead forecasting (see the package doc for the
// task, the time split and the methods). The zero value forecasts one step
// ahead with a 0.7 train fraction, a washout of 50 samples, the default
// reservoir of fit/reservoir (its Inputs are set to N), ordinary least
// squares readouts and an autoregression of order 1.
type Forecast struct {
	// Horizon is k ≥ 1, in samples (0 means 1).
	Horizon int
	// TrainFraction is f ∈ (0, 1), the share of the recording before the
	// cut (0 means 0.7).
	TrainFraction float64
	// Washout is w, the leading samples dropped from training (0 means 50;
	// negative means none).
	Washout int
	// Reservoir configures the echo-state network; Inputs is overwritten
	// with the recording's N.
	Reservoir reservoir.Config
	// Ridge is the penalty α ≥ 0 of the reservoir's readout
	// (readout.Ridge.Alpha: not divided by the sample count).
	Ridge float64
	// Lags is p ≥ 1, the order of the autoregressive baseline (0 means 1).
	Lags int
	// ARRidge is the penalty α ≥ 0 of the autoregressive baseline.
	ARRidge float64
	// Residual makes both fitted methods predict the change from the last
	// sample: their readouts are fitted to x[t+k] − x[t] and x[t] is added
	// back, x̂[t+k] = x[t] + Wᵀf[t] + b, so the ridge penalty shrinks them
	// towards persistence instead of towards the training mean.
	Residual bool
}

func (f Forecast) horizon() int {
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
	switch {
	case f.Horizon < 0:
		return fmt.Errorf("pipeline: horizon %d: want at least 1: %w", f.Horizon, neurotab.ErrParam)
	case !(f.TrainFraction >= 0 && f.TrainFraction < 1):
		return fmt.Errorf("pipeline: train fraction %v: want a value in (0, 1): %w", f.TrainFraction, neurotab.ErrParam)
	case f.Lags < 0:
		return fmt.Errorf("pipeline: lags %d: want at least 1: %w", f.Lags, neurotab.ErrParam)
	case !(f.Ridge >= 0) || math.IsInf(f.Ridge, 0):
		return fmt.Errorf("pipeline: ridge %v: want a finite value ≥ 0: %w", f.Ridge, neurotab.ErrParam)
	case !(f.ARRidge >= 0) || math.IsInf(f.ARRidge, 0):
		return fmt.Errorf("pipeline: autoregressive ridge %v: want a finite value ≥ 0: %w", f.ARRidge, neurotab.ErrParam)
	}
	rc := f.Reservoir
	rc.Inputs = 1
	if err := rc.Check(); err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters, the
// reservoir's under "reservoir".
func (f Forecast) Parameters() map[string]any {
	rc := f.Reservoir
	rc.Inputs = 0
	return map[string]any{
		"task": "forecast", "horizon": f.horizon(), "train_fraction": f.fraction(), "washout": f.washout(),
		"ridge": f.Ridge, "lags": f.lags(), "ar_ridge": f.ARRidge, "residual": f.Residual, "reservoir": rc.Parameters(),
	}
}

// Result is the forecast of one recording: every method's predictions on
// both splits and their metrics.
type Result struct {
	Dataset, Worm string
	Neurons       []string
	// Horizon is k; Washout, Cut the effective w and c of the split.
	Horizon, Washout, Cut int
	// TrainT and TestT are the indices t of the input samples of each
	// split; the target of t is sample t+k.
	TrainT, TestT []int
	// Time are the recording's sample times, s.
	Time []float64
	// Methods in the order reservoir, persistence, autoregressive.
	Methods []MethodResult
}

// MethodResult is one method's predictions and scores.
type MethodResult struct {
	Model string
	// Observed and Predicted are len(split) × N, row i the target
	// x[t_i+k] and its prediction, for Train and Test.
	Observed, Predicted [2]*mat.Dense
	// Scores[split][metric] holds the N per-neuron values.
	Scores [2]map[string][]float64
}

// Score returns the recording's figure of a metric on a split: the mean
// over neurons of the finite values (NaN when there are none).
func (m *MethodResult) Score(split, metric string) float64 {
	return finiteMean(m.Scores[splitIndex(split)][metric])
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

// Fit forecasts one recording with every method. The errors wrap
// neurotab.ErrParam, ErrShape (a recording too short: horizon ≥ T, or an
// empty split) or ErrNotFinite (a NaN or Inf sample, named by neuron and
// time), each naming the recording.
func (f Forecast) Fit(rec *table.Recording) (*Result, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	name := rec.Dataset + "/" + rec.Worm
	X := rec.Data
	T, N := X.Dims()
	k, w, p := f.horizon(), f.washout(), f.lags()
	if k >= T {
		return nil, fmt.Errorf("pipeline: %s: horizon %d ≥ recording length %d samples: %w", name, k, T, neurotab.ErrShape)
	}
	for t := range T {
		for j := range N {
			if v := X.At(t, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("pipeline: %s: neuron %s at sample %d (t = %g s) is %v: %w", name, rec.Neurons[j], t, rec.Time[t], v, neurotab.ErrNotFinite)
			}
		}
	}
	c := int(math.Round(f.fraction() * float64(T)))
	res := &Result{Dataset: rec.Dataset, Worm: rec.Worm, Neurons: rec.Neurons, Horizon: k, Washout: w, Cut: c, Time: rec.Time}
	for t := w; t+k < c; t++ {
		res.TrainT = append(res.TrainT, t)
	}
	for t := c; t < T-k; t++ {
		res.TestT = append(res.TestT, t)
	}
	if len(res.TrainT) == 0 || len(res.TestT) == 0 {
		return nil, fmt.Errorf("pipeline: %s: %d samples leave %d train and %d test pairs at horizon %d, washout %d, cut %d: %w",
			name, T, len(res.TrainT), len(res.TestT), k, w, c, neurotab.ErrShape)
	}
	target := [2]*mat.Dense{rows(X, res.TrainT, k), rows(X, res.TestT, k)}
	splits := [2][]int{res.TrainT, res.TestT}
	// Persistence: x̂[t+k] = x[t].
	persPred := [2]*mat.Dense{rows(X, res.TrainT, 0), rows(X, res.TestT, 0)}
	fitTarget := target[0]
	if f.Residual {
		fitTarget = &mat.Dense{}
		fitTarget.Sub(target[0], persPred[0])
	}

	// Reservoir: features [s[t], x[t]].
	rc := f.Reservoir
	rc.Inputs = N
	esn, err := rc.New()
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", name, err)
	}
	var S mat.Dense
	if err := reservoir.NewRunner(esn).Run(&S, X); err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", name, err)
	}
	units := S.RawMatrix().Cols
	resFeat := func(ts []int) *mat.Dense {
		F := mat.NewDense(len(ts), units+N, nil)
		for i, t := range ts {
			copy(F.RawRowView(i), S.RawRowView(t))
			copy(F.RawRowView(i)[units:], X.RawRowView(t))
		}
		return F
	}
	resPred, err := ridgeFit(f.Ridge, resFeat, splits, fitTarget)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: reservoir readout: %w", name, err)
	}

	// Autoregression: features [x[t], …, x[t−p+1]].
	arFeat := func(ts []int) *mat.Dense {
		F := mat.NewDense(len(ts), N*p, nil)
		for i, t := range ts {
			for l := range p {
				copy(F.RawRowView(i)[l*N:], X.RawRowView(t-l))
			}
		}
		return F
	}
	arPred, err := ridgeFit(f.ARRidge, arFeat, splits, fitTarget)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: autoregression: %w", name, err)
	}
	if f.Residual {
		for s := range 2 {
			resPred[s].Add(resPred[s], persPred[s])
			arPred[s].Add(arPred[s], persPred[s])
		}
	}

	for _, m := range []struct {
		model string
		pred  [2]*mat.Dense
	}{{Reservoir, resPred}, {Persistence, persPred}, {Autoregressive, arPred}} {
		mr := MethodResult{Model: m.model, Observed: target, Predicted: m.pred}
		for s := range 2 {
			sc, err := scores(target[s], m.pred[s])
			if err != nil {
				return nil, fmt.Errorf("pipeline: %s: %s: %w", name, m.model, err)
			}
			mr.Scores[s] = sc
		}
		res.Methods = append(res.Methods, mr)
	}
	return res, nil
}

// rows returns the rows t+shift of X for t in ts.
func rows(X *mat.Dense, ts []int, shift int) *mat.Dense {
	_, N := X.Dims()
	Y := mat.NewDense(len(ts), N, nil)
	for i, t := range ts {
		copy(Y.RawRowView(i), X.RawRowView(t+shift))
	}
	return Y
}

// ridgeFit fits a ridge readout with intercept on the train features and
// predicts both splits.
func ridgeFit(alpha float64, feat func([]int) *mat.Dense, splits [2][]int, Y *mat.Dense) ([2]*mat.Dense, error) {
	r := &readout.Ridge{Alpha: alpha, FitIntercept: true, SVDFallback: true}
	var out [2]*mat.Dense
	if err := r.Fit(feat(splits[0]), Y); err != nil {
		return out, err
	}
	for s := range 2 {
		out[s] = &mat.Dense{}
		if err := r.PredictTo(out[s], feat(splits[s])); err != nil {
			return out, err
		}
	}
	return out, nil
}

// scores computes R², NRMSE and Pearson's r of every column.
func scores(Y, Yhat *mat.Dense) (map[string][]float64, error) {
	r2, err := readout.R2(Y, Yhat)
	if err != nil {
		return nil, err
	}
	nrmse, err := readout.NRMSE(Y, Yhat)
	if err != nil {
		return nil, err
	}
	_, N := Y.Dims()
	r := make([]float64, N)
	for j := range N {
		r[j] = stat.Correlation(mat.Col(nil, j, Y), mat.Col(nil, j, Yhat), nil)
	}
	return map[string][]float64{MetricR2: r2, MetricNRMSE: nrmse, MetricPearson: r}, nil
}
