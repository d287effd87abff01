package visibility

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// Edge is an undirected visibility link between samples I < J.
type Edge struct {
	I, J int
}

// Degrees returns the degree of each of the t nodes of the undirected
// graph given by edges: k(n) = #{e : e.I = n or e.J = n}. It panics on an
// edge outside [0, t), a programmer error.
func Degrees(t int, edges []Edge) []int {
	k := make([]int, t)
	for _, e := range edges {
		k[e.I]++
		k[e.J]++
	}
	return k
}

// checkFinite returns an error wrapping neurotab.ErrNotFinite at the first
// NaN or ±Inf sample.
func checkFinite(x []float64) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("visibility: sample %d is %v: %w", i, v, neurotab.ErrNotFinite)
		}
	}
	return nil
}

// sortByI orders edges by I then J in O(len + t) by a stable counting sort
// on I; edges must already be ordered by J within each I.
func sortByI(t int, edges []Edge) []Edge {
	return countingSort(t, edges, func(e Edge) int { return e.I })
}

// sortEdges orders edges by I then J in O(len + t): a least-significant-key
// radix sort, J first, then (stably) I.
func sortEdges(t int, edges []Edge) []Edge {
	return sortByI(t, countingSort(t, edges, func(e Edge) int { return e.J }))
}

// countingSort returns edges stably ordered by key, which must lie in [0, t).
func countingSort(t int, edges []Edge, key func(Edge) int) []Edge {
	start := make([]int, t+1)
	for _, e := range edges {
		start[key(e)+1]++
	}
	for i := 1; i <= t; i++ {
		start[i] += start[i-1]
	}
	out := make([]Edge, len(edges))
	for _, e := range edges {
		k := key(e)
		out[start[k]] = e
		start[k]++
	}
	return out
}
