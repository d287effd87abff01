package readout

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// ThreeFactor is an online linear readout trained by an error-modulated
// three-factor rule (Frémaux & Gerstner 2016, "Neuromodulated
// spike-timing-dependent plasticity, and theory of three-factor learning
// rules", Front. Neural Circuits 9:85, doi:10.3389/fncir.2015.00085;
// Gerstner et al. 2018, "Eligibility traces and plasticity on behavioral
// time scales", Front. Neural Circuits 12:53,
// doi:10.3389/fncir.2018.00053). Each synapse i → j keeps an eligibility
// trace, the low-passed coincidence of presynaptic activity x_i and a
// postsynaptic factor ψ_j, and a third factor — the signed prediction
// error of output j, optionally times a gate g (attention, phase) —
// turns it into a weight change:
//
//	ε_ij ← λ_e ε_ij + (1 − λ_e) x_i ψ_j        λ_e = e^(−1/τ_e), τ_e in samples
//	M_j  = g · (y_j − ŷ_j)                      third factor, ŷ = Wᵀx + b
//	W_ij ← W_ij + η M_j ε_ij
//	b_j  ← b_j + η M_j                          with FitIntercept
//
// For a linear output unit ψ_j is its gain, 1, so ε_ij = ε_i is shared by
// the K outputs and a step costs O(FK). With τ_e = 0 (no trace) the rule is
// LMS; a longer trace lets an error credit activity that preceded it by
// about τ_e samples. Unlike RLS with λ = 1, whose gain P shrinks as 1/n,
// the rate η stays constant, so the readout keeps tracking a target that
// changes — the property the "what and when" reservoir studies rely on.
//
// ThreeFactor has the estimator shape of package neurotab (see
// "Estimators" in [github.com/neurotab/neurotab]), with Update (gate 1) and
// UpdateGated as its online steps. PredictTo, PredictVec, WeightsTo and
// InterceptTo return an error wrapping neurotab.ErrNotFitted before the
// first sample.
type ThreeFactor struct {
	// Rate is η > 0; zero means 0.01.
	Rate float64
	// Tau is the eligibility time constant τ_e in samples (≥ 0; 0: no
	// trace, the rule is LMS).
	Tau float64
	// Epochs is the number of passes of Fit over the data; zero means 1.
	Epochs int
	// FitIntercept learns an intercept b alongside W.
	FitIntercept bool

	n   int
	elg []float64 // ε, F
	e   []float64 // error, K
	linear
}

func (r *ThreeFactor) rate() float64 { return orDefault(r.Rate, 0.01) }

// Check reports whether the configuration is valid: Rate a finite η > 0
// (or zero), Tau finite and ≥ 0, Epochs ≥ 0. The error wraps
// neurotab.ErrParam.
func (r *ThreeFactor) Check() error {
	if v := r.rate(); !(v > 0) || math.IsInf(v, 1) {
		return fmt.Errorf("readout: ThreeFactor.Rate = %v, want a finite η > 0: %w", r.Rate, neurotab.ErrParam)
	}
	if !(r.Tau >= 0) || math.IsInf(r.Tau, 1) {
		return fmt.Errorf("readout: ThreeFactor.Tau = %v, want a finite τ_e ≥ 0: %w", r.Tau, neurotab.ErrParam)
	}
	if r.Epochs < 0 {
		return fmt.Errorf("readout: ThreeFactor.Epochs = %d, want ≥ 0: %w", r.Epochs, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters, with the
// defaults of zero fields filled in.
func (r *ThreeFactor) Parameters() map[string]any {
	return map[string]any{"rate": r.rate(), "tau": r.Tau, "epochs": max(r.Epochs, 1), "fit_intercept": r.FitIntercept}
}

// Reset discards the weights, traces and sample count, keeping the
// configuration.
func (r *ThreeFactor) Reset() { r.n, r.elg, r.e, r.linear = 0, nil, nil, linear{} }

// Update is UpdateGated with gate 1.
func (r *ThreeFactor) Update(x, y []float64) error { return r.UpdateGated(x, y, 1) }

// UpdateGated applies one step of the rule for the sample x (length F),
// target y (length K) and gate g (the third factor is g times the error;
// g = 0 only advances the traces). The errors wrap neurotab.ErrParam,
// ErrShape or ErrNotFinite (NaN or Inf in x, y or g, or an error that
// overflowed because η is too large); the state is unchanged after an
// error.
func (r *ThreeFactor) UpdateGated(x, y []float64, g float64) error {
	if err := r.Check(); err != nil {
		return err
	}
	if err := checkSample("ThreeFactor", r.w, x, y); err != nil {
		return err
	}
	if math.IsNaN(g) || math.IsInf(g, 0) {
		return fmt.Errorf("readout: ThreeFactor gate %v at sample %d: %w", g, r.n, neurotab.ErrNotFinite)
	}
	if r.w == nil {
		r.w = mat.NewDense(len(x), len(y), nil)
		r.e, r.elg = make([]float64, len(y)), make([]float64, len(x))
		if r.FitIntercept {
			r.b = make([]float64, len(y))
		}
	}
	e, err := r.PredictVec(r.e, x)
	if err != nil {
		return err
	}
	eta := r.rate()
	for j := range e {
		e[j] = g * (y[j] - e[j])
		if math.IsInf(e[j], 0) || math.IsNaN(e[j]) {
			return fmt.Errorf("readout: ThreeFactor error %v at sample %d: diverged, lower Rate: %w", e[j], r.n, neurotab.ErrNotFinite)
		}
		e[j] *= eta
	}
	lam := 0.0
	if r.Tau > 0 {
		lam = math.Exp(-1 / r.Tau)
	}
	w := r.w.RawMatrix()
	for i, xi := range x {
		r.elg[i] = lam*r.elg[i] + (1-lam)*xi
		ei := r.elg[i]
		row := w.Data[i*w.Stride : i*w.Stride+w.Cols]
		for j := range row {
			row[j] += e[j] * ei
		}
	}
	for j := range r.b {
		r.b[j] += e[j]
	}
	r.n++
	return nil
}

// Fit trains from zero weights and traces on the rows of X (T×F) and Y
// (T×K), Epochs passes in order, one Update per row. The errors are those
// of Update, plus neurotab.ErrShape when the row counts differ or the input
// is empty. After an error the readout is unfitted.
func (r *ThreeFactor) Fit(X, Y mat.Matrix) error {
	r.Reset()
	if err := r.Check(); err != nil {
		return err
	}
	if err := onlineFit(X, Y, max(r.Epochs, 1), r.Update); err != nil {
		r.Reset()
		return err
	}
	return nil
}

// Samples returns the number of updates since the last Reset or Fit.
func (r *ThreeFactor) Samples() int { return r.n }
