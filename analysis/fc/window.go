package fc

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Taper names the weighting of the samples of a window (Config.Taper).
type Taper string

// The tapers of Config.Taper.
const (
	// TaperNone weights every sample of a window alike.
	TaperNone Taper = "none"
	// TaperHann weights sample t of an L-sample window by the symmetric
	// Hann window of Hann, so samples near the edges count less and FC
	// changes smoothly as the window slides.
	TaperHann Taper = "hann"
)

// Tapers lists the tapers Config accepts.
func Tapers() []Taper { return []Taper{TaperNone, TaperHann} }

// checkWindow checks Window, Step and Taper for kind k.
func (c *Config) checkWindow(k Kind) error {
	switch {
	case c.Window < 0:
		return fmt.Errorf("fc: window %v < 0: %w", c.Window, neurotab.ErrParam)
	case c.Step < 0:
		return fmt.Errorf("fc: step %v < 0: %w", c.Step, neurotab.ErrParam)
	case c.Step > 0 && c.Window == 0:
		return fmt.Errorf("fc: step %v without a window: %w", c.Step, neurotab.ErrParam)
	case c.Taper != "" && c.Taper != TaperNone && c.Taper != TaperHann:
		return fmt.Errorf("fc: unknown taper %q (want none or hann): %w", c.Taper, neurotab.ErrParam)
	case c.Taper == TaperHann && c.Window == 0:
		return fmt.Errorf("fc: taper hann needs a window: %w", neurotab.ErrParam)
	case c.Taper == TaperHann && (k != KindCorrelation || (c.Estimator != "" && c.Estimator != "empirical") || c.Surrogates > 0):
		return fmt.Errorf("fc: taper hann is for kind correlation with the empirical estimator and no surrogates, not %s: %w", k, neurotab.ErrParam)
	}
	return nil
}

// Hann returns the symmetric Hann window of length L (numpy.hanning):
//
//	w_t = 0.5 − 0.5 cos(2π t / (L − 1)),  t = 0 … L−1,
//
// so w_0 = w_{L−1} = 0 and the peak is 1 at the centre (Blackman & Tukey
// 1958, The Measurement of Power Spectra). L = 1 gives [1].
func Hann(L int) []float64 {
	w := make([]float64, L)
	if L == 1 {
		w[0] = 1
		return w
	}
	for t := range w {
		w[t] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(t)/float64(L-1))
	}
	return w
}

// WeightedPearson returns the N × N weighted Pearson correlation of the
// columns of the T × N x with sample weights w (w_t ≥ 0, not all 0):
//
//	r_ij = Σ_t w_t (x_ti − m_i)(x_tj − m_j) / sqrt(Σ_t w_t (x_ti − m_i)² · Σ_t w_t (x_tj − m_j)²),
//	m_i  = Σ_t w_t x_ti / Σ_t w_t,
//
// the correlation of the weighted covariance (e.g. numpy.cov with
// aweights). Equal weights give Pearson's r exactly as
// connectivity.Pearson. A column with zero weighted variance (constant
// where its weights are positive) has NaN rows and columns, diagonal
// included. Errors: len(w) ≠ T, a negative or non-finite weight or all
// weights 0 (neurotab.ErrParam).
func WeightedPearson(x mat.Matrix, w []float64) (*mat.SymDense, error) {
	T, n := x.Dims()
	if len(w) != T {
		return nil, fmt.Errorf("fc: %d weights for %d samples: %w", len(w), T, neurotab.ErrParam)
	}
	sw := 0.0
	for t, v := range w {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("fc: weight %d is %v, want finite ≥ 0: %w", t, v, neurotab.ErrParam)
		}
		sw += v
	}
	if sw == 0 {
		return nil, fmt.Errorf("fc: all %d weights are 0: %w", T, neurotab.ErrParam)
	}
	c := mat.NewDense(T, n, nil)
	for j := range n {
		m := 0.0
		for t := range T {
			m += w[t] * x.At(t, j)
		}
		m /= sw
		for t := range T {
			c.Set(t, j, math.Sqrt(w[t])*(x.At(t, j)-m))
		}
	}
	var s mat.SymDense
	s.SymOuterK(1, c.T())
	r := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			r.SetSym(i, j, s.At(i, j)/math.Sqrt(s.At(i, i)*s.At(j, j)))
		}
	}
	return r, nil
}
