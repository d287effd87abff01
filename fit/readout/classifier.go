package readout

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Pooling names how Classifier reduces a sequence of states (T×F, rows
// are time) to one feature row.
type Pooling string

const (
	// PoolLast takes the last state x_T, the reservoir's summary of the
	// whole sequence (the default; "" means PoolLast).
	PoolLast Pooling = "last"
	// PoolMean takes the mean state (1/(T−w)) Σ_{t>w} x_t after the washout w
	// (Lukoševičius 2012, §8.2, doi:10.1007/978-3-642-35289-8_36).
	PoolMean Pooling = "mean"
)

// Classifier is a ridge readout for sequence classification (Lukoševičius
// 2012, "A practical guide to applying echo state networks", §8.2,
// doi:10.1007/978-3-642-35289-8_36): each sequence s (T_s×F states) is
// pooled to one row x_s (its last state, or its mean state after Washout),
// its label c_s ∈ [0, K) becomes the one-hot target row e_{c_s}, and
//
//	W, b = Ridge(X = [x_s], Y = [e_{c_s}])       (see Ridge)
//	class(s) = argmax_k (Wᵀx_s + b)_k
//
// Classifier has the estimator shape of package neurotab (see "Estimators"
// in [github.com/neurotab/neurotab]) with Fit(seqs, labels): sequences are
// not one matrix. ScoresTo gives the K scores per sequence, ClassesTo the
// argmax, WeightsTo and InterceptTo the readout; they return an error
// wrapping neurotab.ErrNotFitted before a Fit.
type Classifier struct {
	// Alpha is the ridge penalty α ≥ 0 (see Ridge.Alpha).
	Alpha float64
	// FitIntercept fits an unpenalized intercept b per class.
	FitIntercept bool
	// Washout is the number of leading states of each sequence that
	// PoolMean leaves out (PoolLast ignores it, but a sequence must be
	// longer than Washout).
	Washout int
	// Pool reduces a sequence to one row; "" means PoolLast.
	Pool Pooling
	// Classes is the number K of classes; zero means the largest label + 1.
	Classes int
	// SVDFallback is Ridge.SVDFallback.
	SVDFallback bool

	ridge Ridge
}

func (c *Classifier) pool() Pooling {
	if c.Pool == "" {
		return PoolLast
	}
	return c.Pool
}

// Check reports whether the configuration is valid: Alpha a finite α ≥ 0,
// Washout and Classes ≥ 0, Pool a known pooling. The error wraps
// neurotab.ErrParam.
func (c *Classifier) Check() error {
	switch {
	case !(c.Alpha >= 0) || math.IsInf(c.Alpha, 1):
		return fmt.Errorf("readout: Classifier.Alpha = %v, want a finite α ≥ 0: %w", c.Alpha, neurotab.ErrParam)
	case c.Washout < 0:
		return fmt.Errorf("readout: Classifier.Washout = %d, want ≥ 0: %w", c.Washout, neurotab.ErrParam)
	case c.Classes < 0:
		return fmt.Errorf("readout: Classifier.Classes = %d, want ≥ 0: %w", c.Classes, neurotab.ErrParam)
	case c.pool() != PoolLast && c.pool() != PoolMean:
		return fmt.Errorf("readout: Classifier.Pool = %q, want last or mean: %w", c.Pool, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters
// (table.Provenance.Parameters): alpha, fit_intercept, washout, pool,
// classes (0: from the labels) and svd_fallback.
func (c *Classifier) Parameters() map[string]any {
	return map[string]any{"alpha": c.Alpha, "fit_intercept": c.FitIntercept, "washout": c.Washout,
		"pool": string(c.pool()), "classes": c.Classes, "svd_fallback": c.SVDFallback}
}

// Fit pools each sequence of seqs (T_s×F, all with the same F) and fits
// the ridge readout to the one-hot codes of labels (one per sequence, in
// [0, K)). The errors wrap neurotab.ErrParam (configuration, or a label
// outside [0, K)), neurotab.ErrShape (no sequences, counts differ, a
// sequence not longer than Washout or with another F), neurotab.ErrNotFinite
// or neurotab.ErrSingular; after an error the classifier is unfitted.
func (c *Classifier) Fit(seqs []mat.Matrix, labels []int) error {
	c.ridge = Ridge{}
	if err := c.Check(); err != nil {
		return err
	}
	if len(seqs) == 0 || len(seqs) != len(labels) {
		return fmt.Errorf("readout: Classifier: %d sequences and %d labels: %w", len(seqs), len(labels), neurotab.ErrShape)
	}
	k := c.Classes
	if k == 0 {
		for _, l := range labels {
			k = max(k, l+1)
		}
	}
	Y := mat.NewDense(len(labels), max(k, 1), nil)
	for i, l := range labels {
		if l < 0 || l >= k {
			return fmt.Errorf("readout: Classifier: label[%d] = %d outside [0, %d): %w", i, l, k, neurotab.ErrParam)
		}
		Y.Set(i, l, 1)
	}
	var X mat.Dense
	if err := c.poolTo(&X, seqs); err != nil {
		return err
	}
	r := Ridge{Alpha: c.Alpha, FitIntercept: c.FitIntercept, SVDFallback: c.SVDFallback}
	if err := r.Fit(&X, Y); err != nil {
		return err
	}
	c.ridge = r
	return nil
}

// PoolTo writes the pooled row of each sequence (len(seqs)×F) into dst,
// resized when empty (a non-empty dst of another size panics). The errors
// wrap neurotab.ErrParam or neurotab.ErrShape (as in Fit); it needs no fit.
func (c *Classifier) PoolTo(dst *mat.Dense, seqs []mat.Matrix) error {
	if err := c.Check(); err != nil {
		return err
	}
	return c.poolTo(dst, seqs)
}

func (c *Classifier) poolTo(dst *mat.Dense, seqs []mat.Matrix) error {
	if len(seqs) == 0 {
		return fmt.Errorf("readout: Classifier: no sequences: %w", neurotab.ErrShape)
	}
	_, f := seqs[0].Dims()
	for s, m := range seqs {
		t, fs := m.Dims()
		if fs != f || f == 0 {
			return fmt.Errorf("readout: Classifier: sequence %d has %d features, sequence 0 %d: %w", s, fs, f, neurotab.ErrShape)
		}
		if t <= c.Washout {
			return fmt.Errorf("readout: Classifier: sequence %d has %d states, not more than Washout %d: %w", s, t, c.Washout, neurotab.ErrShape)
		}
	}
	resize(dst, len(seqs), f, "PoolTo")
	for s, m := range seqs {
		t, _ := m.Dims()
		row := dst.RawRowView(s)
		clear(row)
		if c.pool() == PoolLast {
			mat.Row(row, t-1, m)
			continue
		}
		rs := newRows(m)
		for i := c.Washout; i < t; i++ {
			for j, v := range rs.row(i) {
				row[j] += v
			}
		}
		for j := range row {
			row[j] /= float64(t - c.Washout)
		}
	}
	return nil
}

// ScoresTo writes the scores Wᵀx_s + b (len(seqs)×K) into dst, resized when
// empty (a non-empty dst of another size panics). The errors wrap
// neurotab.ErrNotFitted, neurotab.ErrShape or neurotab.ErrParam.
func (c *Classifier) ScoresTo(dst *mat.Dense, seqs []mat.Matrix) error {
	if c.ridge.w == nil {
		return unfitted("ScoresTo")
	}
	var X mat.Dense
	if err := c.PoolTo(&X, seqs); err != nil {
		return err
	}
	return c.ridge.PredictTo(dst, &X)
}

// ClassesTo writes the class argmax_k of each sequence's scores into dst
// (length len(seqs); allocated when nil) and returns it. The errors are
// those of ScoresTo, and neurotab.ErrShape for a dst of another length.
func (c *Classifier) ClassesTo(dst []int, seqs []mat.Matrix) ([]int, error) {
	var sc mat.Dense
	if err := c.ScoresTo(&sc, seqs); err != nil {
		return nil, err
	}
	if dst == nil {
		dst = make([]int, len(seqs))
	} else if len(dst) != len(seqs) {
		return nil, fmt.Errorf("readout: ClassesTo: dst has length %d, want %d: %w", len(dst), len(seqs), neurotab.ErrShape)
	}
	for s := range dst {
		row := sc.RawRowView(s)
		best := 0
		for k, v := range row {
			if v > row[best] {
				best = k
			}
		}
		dst[s] = best
	}
	return dst, nil
}

// WeightsTo copies the F×K weights into dst (see Ridge.WeightsTo).
func (c *Classifier) WeightsTo(dst *mat.Dense) error { return c.ridge.WeightsTo(dst) }

// InterceptTo copies the K intercepts into dst (see Ridge.InterceptTo).
func (c *Classifier) InterceptTo(dst *mat.VecDense) error { return c.ridge.InterceptTo(dst) }
