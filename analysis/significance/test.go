package significance

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// DefaultSurrogates is the number of surrogates of a zero Test: p-values
// then step by 1/1000, fine enough for a false discovery rate over a few
// thousand edges.
const DefaultSurrogates = 999

// Statistic computes an N × N matrix (an FC matrix, C[i][j]) from a T × N
// trace matrix; connectivity.Pearson is one. It must return a matrix of the
// same size for every input of the same size.
type Statistic func(X mat.Matrix) (mat.Matrix, error)

// Test is a surrogate-data test of every entry of a statistic matrix:
//
//	p_ij = (1 + #{s : |C̃ˢ_ij| ≥ |C_ij|}) / (1 + S)
//
// where C is the statistic of X and C̃ˢ that of surrogate s = 0 … S−1
// (Theiler et al. 1992, doi:10.1016/0167-2789(92)90102-S; the +1s count X
// among its surrogates, Phipson & Smyth 2010, doi:10.2202/1544-6115.1585,
// so p ≥ 1/(1+S)).
// The test is two-sided in |·|. An entry of C that is NaN (a constant
// trace's) has p NaN; a NaN surrogate entry counts as exceeding, which can
// only raise p.
//
// Test has the estimator shape of package neurotab (see "Estimators" in
// [github.com/neurotab/neurotab]): the exported fields are the
// configuration, the zero value draws DefaultSurrogates circular shifts
// with seed 0; Fit(X, statistic) runs the test, PValuesTo and ObservedTo
// extract its results (errors wrapping neurotab.ErrNotFitted before a Fit).
// Surrogate s is drawn from Seed.Rand(s), so the same configuration gives
// the same p-values, bit for bit.
type Test struct {
	// Surrogates is S ≥ 0; 0 means DefaultSurrogates.
	Surrogates int
	// Method is the kind of surrogate ("" is MethodCircularShift).
	Method Method
	// Seed seeds the surrogates.
	Seed neurotab.Seed

	p, observed *mat.Dense // N × N after a Fit
}

// Check reports whether the configuration is valid: Surrogates ≥ 0 and a
// known Method. Errors wrap neurotab.ErrParam.
func (t *Test) Check() error {
	if t.Surrogates < 0 {
		return fmt.Errorf("significance: Surrogates %d < 0: %w", t.Surrogates, neurotab.ErrParam)
	}
	_, err := ParseMethod(string(t.Method))
	return err
}

// Parameters returns the configuration as provenance parameters: surrogates
// (the S used, defaults resolved), method and seed (a decimal string, as
// JSON numbers lose 64-bit integers).
func (t *Test) Parameters() map[string]any {
	m, err := ParseMethod(string(t.Method))
	if err != nil {
		m = t.Method
	}
	return map[string]any{"surrogates": t.surrogates(), "method": string(m), "seed": t.Seed.String()}
}

func (t *Test) surrogates() int {
	if t.Surrogates == 0 {
		return DefaultSurrogates
	}
	return t.Surrogates
}

// Fit computes stat of the T × N trace matrix X and of S surrogates of X,
// and keeps the observed matrix and its p-values, replacing any earlier
// fit. Errors: an invalid configuration (neurotab.ErrParam, before looking
// at X), empty X (neurotab.ErrShape), a NaN or ±Inf sample
// (neurotab.ErrNotFinite), stat's own errors, and a statistic whose size
// changes between calls (neurotab.ErrShape). After an error the Test is
// unfitted.
func (t *Test) Fit(X mat.Matrix, stat Statistic) error {
	t.p, t.observed = nil, nil
	if err := t.Check(); err != nil {
		return err
	}
	method, _ := ParseMethod(string(t.Method))
	var sur mat.Dense
	if _, _, err := prepare(&sur, X); err != nil {
		return err
	}
	c, err := stat(X)
	if err != nil {
		return err
	}
	observed := mat.DenseCopyOf(c)
	r, k := observed.Dims()
	exceed := mat.NewDense(r, k, nil)
	s := t.surrogates()
	for i := range s {
		rng := t.Seed.Rand(uint64(i))
		if method == MethodPhaseRandomize {
			err = PhaseRandomize(&sur, X, rng, false)
		} else {
			err = CircularShift(&sur, X, rng)
		}
		if err != nil {
			return err
		}
		cs, err := stat(&sur)
		if err != nil {
			return fmt.Errorf("significance: surrogate %d: %w", i, err)
		}
		if rs, ks := cs.Dims(); rs != r || ks != k {
			return fmt.Errorf("significance: statistic of surrogate %d is %d×%d, of the data %d×%d: %w", i, rs, ks, r, k, neurotab.ErrShape)
		}
		count(exceed, observed, cs)
	}
	p := mat.NewDense(r, k, nil)
	for i := range r {
		for j := range k {
			v := (1 + exceed.At(i, j)) / float64(1+s)
			if math.IsNaN(observed.At(i, j)) {
				v = math.NaN()
			}
			p.Set(i, j, v)
		}
	}
	t.p, t.observed = p, observed
	return nil
}

// count adds 1 to exceed[i][j] where |cs[i][j]| ≥ |obs[i][j]| or cs[i][j]
// is NaN.
func count(exceed, obs *mat.Dense, cs mat.Matrix) {
	r, k := obs.Dims()
	for i := range r {
		for j := range k {
			v := math.Abs(cs.At(i, j))
			if v >= math.Abs(obs.At(i, j)) || math.IsNaN(v) {
				exceed.Set(i, j, exceed.At(i, j)+1)
			}
		}
	}
}

// PValuesTo copies the fit's p-values into dst (resized if empty; a dst of
// another size panics). Before a Fit it returns an error wrapping
// neurotab.ErrNotFitted.
func (t *Test) PValuesTo(dst *mat.Dense) error { return copyTo(dst, t.p, "PValuesTo") }

// ObservedTo copies the statistic of X of the fit into dst (resized if
// empty; a dst of another size panics). Before a Fit it returns an error
// wrapping neurotab.ErrNotFitted.
func (t *Test) ObservedTo(dst *mat.Dense) error { return copyTo(dst, t.observed, "ObservedTo") }

func copyTo(dst, src *mat.Dense, method string) error {
	if src == nil {
		return fmt.Errorf("significance: %s before Fit: %w", method, neurotab.ErrNotFitted)
	}
	r, k := src.Dims()
	if dst.IsEmpty() {
		dst.ReuseAs(r, k)
	} else if dr, dk := dst.Dims(); dr != r || dk != k {
		panic(fmt.Sprintf("significance: %s destination is %d×%d, want %d×%d", method, dr, dk, r, k))
	}
	dst.Copy(src)
	return nil
}
