package hmm

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// stochasticTol is how far from one a probability vector may sum.
const stochasticTol = 1e-9

// checkParams validates π (length K) and A (K × K, rows stochastic).
func checkParams(pi []float64, A mat.Matrix, K int) error {
	if K < 1 {
		return fmt.Errorf("hmm: K = %d states < 1: %w", K, neurotab.ErrParam)
	}
	if len(pi) != K {
		return fmt.Errorf("hmm: initial distribution has %d entries for K = %d: %w", len(pi), K, neurotab.ErrShape)
	}
	if err := checkStochastic("initial distribution", pi); err != nil {
		return err
	}
	if r, c := A.Dims(); r != K || c != K {
		return fmt.Errorf("hmm: transition matrix is %d × %d for K = %d: %w", r, c, K, neurotab.ErrShape)
	}
	row := make([]float64, K)
	for i := range K {
		mat.Row(row, i, A)
		if err := checkStochastic(fmt.Sprintf("transition row %d", i), row); err != nil {
			return err
		}
	}
	return nil
}

// checkStochastic checks p ≥ 0, finite, Σ p = 1 within stochasticTol.
func checkStochastic(what string, p []float64) error {
	s := 0.0
	for j, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("hmm: %s entry %d = %v: %w", what, j, v, neurotab.ErrNotFinite)
		}
		if v < 0 {
			return fmt.Errorf("hmm: %s entry %d = %v < 0: %w", what, j, v, neurotab.ErrParam)
		}
		s += v
	}
	if math.Abs(s-1) > stochasticTol {
		return fmt.Errorf("hmm: %s sums to %v, not 1: %w", what, s, neurotab.ErrParam)
	}
	return nil
}

// checkLogLik rejects NaN and +Inf log-likelihoods (−Inf, an impossible
// state, is allowed) and an empty matrix.
func checkLogLik(ll mat.Matrix) (T, K int, err error) {
	T, K = ll.Dims()
	if K < 1 {
		return 0, 0, fmt.Errorf("hmm: K = %d states < 1: %w", K, neurotab.ErrParam)
	}
	if T < 1 {
		return 0, 0, fmt.Errorf("hmm: sequence has T = %d steps: %w", T, neurotab.ErrShape)
	}
	for t := range T {
		for k := range K {
			if v := ll.At(t, k); math.IsNaN(v) || math.IsInf(v, 1) {
				return 0, 0, fmt.Errorf("hmm: log-likelihood at t=%d, state %d is %v: %w", t, k, v, neurotab.ErrNotFinite)
			}
		}
	}
	return T, K, nil
}

// dense returns m's elements row-major in a new slice.
func dense(m mat.Matrix) []float64 {
	r, c := m.Dims()
	out := make([]float64, r*c)
	for i := range r {
		for j := range c {
			out[i*c+j] = m.At(i, j)
		}
	}
	return out
}

// locatedError puts a location ("sequence 3") after the package prefix of
// an hmm error, keeping the message on one line with one "hmm:" and the
// cause for errors.Is.
type locatedError struct {
	where string
	err   error
}

func (e *locatedError) Error() string {
	return "hmm: " + e.where + ": " + strings.TrimPrefix(e.err.Error(), "hmm: ")
}

func (e *locatedError) Unwrap() error { return e.err }

func at(err error, format string, args ...any) error {
	return &locatedError{where: fmt.Sprintf(format, args...), err: err}
}
