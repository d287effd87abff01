package readout

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// EH is a linear readout trained by the reward-modulated Hebbian
// "exploratory Hebbian" rule of Hoerzer, Legenstein & Maass (2014,
// "Emergence of complex computational structures from chaotic neural
// networks through reward-modulated Hebbian learning", Cerebral Cortex
// 24:677–690, doi:10.1093/cercor/bhs348): the readout explores with noise
// and strengthens the correlation of input and output deviation only when
// the performance beats its running mean. For each sample x (length F)
// with target y (length K), and each output k:
//
//	z_k = w_kᵀx + b_k + ξ_k,   ξ_k ~ U[−Noise, Noise]     (exploration)
//	P_k = −(z_k − y_k)²                                    (performance)
//	M_k = [P_k > P̄_k]                                      (modulatory signal, 0 or 1)
//	w_k ← w_k + η M_k (z_k − z̄_k) x                       (b_k likewise, with FitIntercept)
//	z̄_k ← α z̄_k + (1 − α) z_k,   P̄_k ← α P̄_k + (1 − α) P_k  (running means)
//
// from W₀ = 0, with z̄ and P̄ starting at the first sample's z and P. The
// rate anneals as η_n = Rate / (1 + Decay·n), as in the paper's decaying
// learning rate. The rule uses a scalar performance signal per output, not
// the error's gradient; it converges far more slowly than LMS or RLS.
//
// EH has the estimator shape of package neurotab (see "Estimators" in
// [github.com/neurotab/neurotab]), with Update as its online step; the
// noise is drawn from Seed (stream 1), so a Fit is reproducible. PredictTo,
// PredictVec, WeightsTo and InterceptTo read the noiseless readout
// Wᵀx + b and return an error wrapping neurotab.ErrNotFitted before the
// first sample.
type EH struct {
	// Rate is η > 0; zero means 0.0005.
	Rate float64
	// Decay ≥ 0 anneals the rate: η_n = Rate / (1 + Decay·n).
	Decay float64
	// Noise is the exploration amplitude (ξ uniform on [−Noise, Noise]),
	// > 0; zero means 0.5, the paper's value.
	Noise float64
	// Smoothing is α in [0, 1) of the running means z̄ and P̄; zero means
	// 0.8, the paper's value.
	Smoothing float64
	// Epochs is the number of passes of Fit over the data; zero means 1.
	Epochs int
	// FitIntercept learns an intercept b alongside W.
	FitIntercept bool
	// Seed seeds the exploration noise.
	Seed neurotab.Seed

	n         int
	rng       *rand.Rand
	z, zb, pb []float64 // K
	linear
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

func (e *EH) epochs() int { return max(e.Epochs, 1) }

// Check reports whether the configuration is valid: Rate and Noise finite
// and > 0 (or zero), Decay finite and ≥ 0, Smoothing in [0, 1), Epochs ≥ 0.
// The error wraps neurotab.ErrParam.
func (e *EH) Check() error {
	rate, noise, alpha := orDefault(e.Rate, 0.0005), orDefault(e.Noise, 0.5), orDefault(e.Smoothing, 0.8)
	switch {
	case !(rate > 0) || math.IsInf(rate, 1):
		return fmt.Errorf("readout: EH.Rate = %v, want a finite η > 0: %w", e.Rate, neurotab.ErrParam)
	case !(e.Decay >= 0) || math.IsInf(e.Decay, 1):
		return fmt.Errorf("readout: EH.Decay = %v, want a finite value ≥ 0: %w", e.Decay, neurotab.ErrParam)
	case !(noise > 0) || math.IsInf(noise, 1):
		return fmt.Errorf("readout: EH.Noise = %v, want a finite amplitude > 0: %w", e.Noise, neurotab.ErrParam)
	case !(alpha >= 0 && alpha < 1):
		return fmt.Errorf("readout: EH.Smoothing = %v, want 0 ≤ α < 1: %w", e.Smoothing, neurotab.ErrParam)
	case e.Epochs < 0:
		return fmt.Errorf("readout: EH.Epochs = %d, want ≥ 0: %w", e.Epochs, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters
// (table.Provenance.Parameters), with the defaults of zero fields filled
// in: rate, decay, noise, smoothing, epochs, fit_intercept and seed.
func (e *EH) Parameters() map[string]any {
	return map[string]any{
		"rate": orDefault(e.Rate, 0.0005), "decay": e.Decay, "noise": orDefault(e.Noise, 0.5),
		"smoothing": orDefault(e.Smoothing, 0.8), "epochs": e.epochs(), "fit_intercept": e.FitIntercept,
		"seed": e.Seed.String(),
	}
}

// Reset discards the weights, running means, noise stream and sample
// count, keeping the configuration.
func (e *EH) Reset() { e.n, e.rng, e.z, e.zb, e.pb, e.linear = 0, nil, nil, nil, nil, linear{} }

// Update applies one EH step for the sample x (length F) and target y
// (length K); the first Update after Reset sizes W from len(x) and len(y)
// and starts the noise stream. It does not allocate after the first call.
// The errors wrap neurotab.ErrParam, neurotab.ErrShape (lengths differ from
// the first sample's, or zero) or neurotab.ErrNotFinite (NaN or Inf in x or
// y, or an output that overflowed); the state is unchanged after an error.
func (e *EH) Update(x, y []float64) error {
	if err := e.Check(); err != nil {
		return err
	}
	if err := checkSample("EH", e.w, x, y); err != nil {
		return err
	}
	first := e.w == nil
	if first {
		k := len(y)
		e.w = mat.NewDense(len(x), k, nil)
		e.z, e.zb, e.pb = make([]float64, k), make([]float64, k), make([]float64, k)
		if e.FitIntercept {
			e.b = make([]float64, k)
		}
		e.rng = e.Seed.Rand(1)
	}
	z, err := e.PredictVec(e.z, x)
	if err != nil {
		return err
	}
	for _, v := range z {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("readout: EH output %v at sample %d: diverged, lower Rate: %w", v, e.n, neurotab.ErrNotFinite)
		}
	}
	noise, alpha := orDefault(e.Noise, 0.5), orDefault(e.Smoothing, 0.8)
	eta := orDefault(e.Rate, 0.0005) / (1 + e.Decay*float64(e.n))
	w := e.w.RawMatrix()
	for k := range z {
		z[k] += noise * (2*e.rng.Float64() - 1)
		p := -(z[k] - y[k]) * (z[k] - y[k])
		if first {
			e.zb[k], e.pb[k] = z[k], p
		}
		if p > e.pb[k] {
			d := eta * (z[k] - e.zb[k])
			for i, xi := range x {
				w.Data[i*w.Stride+k] += d * xi
			}
			if e.b != nil {
				e.b[k] += d
			}
		}
		e.zb[k] = alpha*e.zb[k] + (1-alpha)*z[k]
		e.pb[k] = alpha*e.pb[k] + (1-alpha)*p
	}
	e.n++
	return nil
}

// Fit trains from zero weights and a fresh noise stream on the rows of X
// (T×F) and Y (T×K), Epochs passes in order, one Update per row. The errors
// are those of Update, plus neurotab.ErrShape when the row counts differ or
// the input is empty; NaN and ±Inf are looked for first and named as X[t,f]
// or Y[t,k]. After an error the readout is unfitted.
func (e *EH) Fit(X, Y mat.Matrix) error {
	e.Reset()
	if err := e.Check(); err != nil {
		return err
	}
	if err := onlineFit(X, Y, e.epochs(), e.Update); err != nil {
		e.Reset()
		return err
	}
	return nil
}

// Samples returns the number of updates since the last Reset or Fit.
func (e *EH) Samples() int { return e.n }
