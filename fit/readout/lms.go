package readout

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// LMS is an online linear readout trained by the least-mean-squares rule
// of Widrow & Hoff (1960, "Adaptive switching circuits", IRE WESCON
// Convention Record 4:96–104; Haykin, Adaptive Filter Theory, 4th ed. 2002,
// the LMS chapter), stochastic gradient descent on ½‖y − ŷ‖². For each
// sample x (length F) with target y (length K):
//
//	e = y − (Wᵀx + b)      a-priori error, K
//	W ← W + η x eᵀ          F×K
//	b ← b + η e             with FitIntercept
//
// from W₀ = 0, b₀ = 0. With a constant rate it converges in the mean when
// 0 < η < 2/λ_max of E[x xᵀ] (E[x xᵀ] + 1 with FitIntercept), on a
// noiseless linear problem to the least-squares solution itself; RLS
// converges in fewer samples at O(F²) instead of O(FK) per step.
//
// LMS has the estimator shape of package neurotab (see "Estimators" in
// [github.com/neurotab/neurotab]), with Update as its online step: Fit(X, Y)
// runs Epochs passes over the rows in order from zero weights. PredictTo,
// PredictVec, WeightsTo and InterceptTo read the current fit and return an
// error wrapping neurotab.ErrNotFitted before the first sample.
type LMS struct {
	// Rate is the step size η > 0; zero means 0.01.
	Rate float64
	// Epochs is the number of passes of Fit over the data; zero means 1.
	Epochs int
	// FitIntercept learns an intercept b alongside W.
	FitIntercept bool

	n int
	e []float64 // error, K
	linear
}

func (l *LMS) rate() float64 {
	if l.Rate == 0 {
		return 0.01
	}
	return l.Rate
}

func (l *LMS) epochs() int {
	if l.Epochs == 0 {
		return 1
	}
	return l.Epochs
}

// Check reports whether the configuration is valid: Rate a finite η > 0
// (or zero) and Epochs ≥ 0. The error wraps neurotab.ErrParam.
func (l *LMS) Check() error {
	if r := l.rate(); !(r > 0) || math.IsInf(r, 1) {
		return fmt.Errorf("readout: LMS.Rate = %v, want a finite η > 0: %w", l.Rate, neurotab.ErrParam)
	}
	if l.Epochs < 0 {
		return fmt.Errorf("readout: LMS.Epochs = %d, want ≥ 0: %w", l.Epochs, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters
// (table.Provenance.Parameters): rate, epochs and fit_intercept, with the
// defaults of zero fields filled in.
func (l *LMS) Parameters() map[string]any {
	return map[string]any{"rate": l.rate(), "epochs": l.epochs(), "fit_intercept": l.FitIntercept}
}

// Reset discards the weights and the sample count, keeping the
// configuration.
func (l *LMS) Reset() { l.n, l.e, l.linear = 0, nil, linear{} }

// Update applies one LMS step for the sample x (length F) and target y
// (length K); the first Update after Reset sizes W from len(x) and len(y).
// It does not allocate after the first call. The errors wrap
// neurotab.ErrParam, neurotab.ErrShape (lengths differ from the first
// sample's, or zero) or neurotab.ErrNotFinite (NaN or Inf in x or y, or an
// error that overflowed because η is too large); the state is unchanged
// after an error.
func (l *LMS) Update(x, y []float64) error {
	if err := l.Check(); err != nil {
		return err
	}
	if err := checkSample("LMS", l.w, x, y); err != nil {
		return err
	}
	if l.w == nil {
		l.w = mat.NewDense(len(x), len(y), nil)
		l.e = make([]float64, len(y))
		if l.FitIntercept {
			l.b = make([]float64, len(y))
		}
	}
	e, err := l.PredictVec(l.e, x)
	if err != nil {
		return err
	}
	for j := range e {
		e[j] = y[j] - e[j]
		if math.IsInf(e[j], 0) || math.IsNaN(e[j]) {
			return fmt.Errorf("readout: LMS error %v at sample %d: diverged, lower Rate: %w", e[j], l.n, neurotab.ErrNotFinite)
		}
	}
	eta := l.rate()
	w := l.w.RawMatrix()
	for i, xi := range x {
		row := w.Data[i*w.Stride : i*w.Stride+w.Cols]
		for j := range row {
			row[j] += eta * xi * e[j]
		}
	}
	for j := range l.b {
		l.b[j] += eta * e[j]
	}
	l.n++
	return nil
}

// Fit trains from zero weights on the rows of X (T×F) and Y (T×K), Epochs
// passes in order, one Update per row. The errors are those of Update, plus
// neurotab.ErrShape when the row counts differ or the input is empty; NaN
// and ±Inf are looked for first and named as X[t,f] or Y[t,k]. After an
// error the readout is unfitted.
func (l *LMS) Fit(X, Y mat.Matrix) error {
	l.Reset()
	if err := l.Check(); err != nil {
		return err
	}
	if err := onlineFit(X, Y, l.epochs(), l.Update); err != nil {
		l.Reset()
		return err
	}
	return nil
}

// Samples returns the number of updates since the last Reset or Fit.
func (l *LMS) Samples() int { return l.n }
