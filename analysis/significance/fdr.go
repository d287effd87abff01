package significance

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// BenjaminiHochberg returns the Benjamini–Hochberg adjusted p-values
// (q-values) of the m p-values p, in p's order:
//
//	q_(i) = min_{k ≥ i} min(1, m p_(k) / k)
//
// where p_(1) ≤ … ≤ p_(m) are p sorted (Benjamini & Hochberg 1995,
// doi:10.1111/j.2517-6161.1995.tb02031.x). Rejecting every hypothesis with
// q ≤ α keeps the false discovery rate at or below α for independent or
// positively dependent p-values. It equals statsmodels'
// multipletests(p, method='fdr_bh')[1]; tied p-values get equal q-values.
//
// By hand, p = (0.01, 0.04, 0.03, 0.5), m = 4: sorted 0.01, 0.03, 0.04,
// 0.5 give m p/k = 0.04, 0.06, 0.0533…, 0.5; the running minimum from the
// right makes them 0.04, 0.0533…, 0.0533…, 0.5, so q = (0.04, 0.0533…,
// 0.0533…, 0.5).
//
// A NaN or ±Inf p-value wraps neurotab.ErrNotFinite, one outside [0, 1]
// neurotab.ErrOutOfRange. An empty p gives an empty q.
func BenjaminiHochberg(p []float64) ([]float64, error) {
	order, err := sortedOrder(p)
	if err != nil {
		return nil, err
	}
	m := len(p)
	q := make([]float64, m)
	run := 1.0
	for r := m - 1; r >= 0; r-- {
		i := order[r]
		run = math.Min(run, p[i]/(float64(r+1)/float64(m))) // statsmodels divides by k/m
		q[i] = run
	}
	return q, nil
}

// Reject returns the Benjamini–Hochberg step-up decisions at level alpha:
// with p sorted, the k* = max{k : p_(k) ≤ (k/m) α} smallest p-values are
// rejected (true), the rest kept (Benjamini & Hochberg 1995,
// doi:10.1111/j.2517-6161.1995.tb02031.x). This is q ≤ alpha for the
// q-values of BenjaminiHochberg, computed as statsmodels' multipletests(p,
// alpha, method='fdr_bh')[0] does so that decisions at the boundary agree
// with it. alpha must be in (0, 1) (neurotab.ErrParam); p as for
// BenjaminiHochberg.
func Reject(p []float64, alpha float64) ([]bool, error) {
	if !(alpha > 0 && alpha < 1) {
		return nil, fmt.Errorf("significance: level α = %v, want 0 < α < 1: %w", alpha, neurotab.ErrParam)
	}
	order, err := sortedOrder(p)
	if err != nil {
		return nil, err
	}
	m := len(p)
	last := -1
	for r, i := range order {
		if p[i] <= float64(r+1)/float64(m)*alpha {
			last = r
		}
	}
	reject := make([]bool, m)
	for _, i := range order[:last+1] {
		reject[i] = true
	}
	return reject, nil
}

// sortedOrder checks that every p-value is in [0, 1] and returns the
// indices of p in increasing order of p (ties in index order).
func sortedOrder(p []float64) ([]int, error) {
	for i, v := range p {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return nil, fmt.Errorf("significance: p-value %d is %v: %w", i, v, neurotab.ErrNotFinite)
		case v < 0 || v > 1:
			return nil, fmt.Errorf("significance: p-value %d = %v outside [0, 1]: %w", i, v, neurotab.ErrOutOfRange)
		}
	}
	order := make([]int, len(p))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	return order, nil
}

// UpperTriangle returns the N(N−1)/2 entries c[i][j], i < j, of the N × N
// matrix c row by row: the edges of a symmetric FC matrix, each once, as
// BenjaminiHochberg takes them. It panics on a matrix that is not square.
func UpperTriangle(c mat.Matrix) []float64 {
	r, n := c.Dims()
	if r != n {
		panic(fmt.Sprintf("significance: UpperTriangle of a %d×%d matrix", r, n))
	}
	out := make([]float64, 0, n*(n-1)/2)
	for i := range n {
		for j := i + 1; j < n; j++ {
			out = append(out, c.At(i, j))
		}
	}
	return out
}
