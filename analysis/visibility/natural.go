package visibility

import "math"

// Natural returns the natural visibility graph of x (Lacasa et al. 2008,
// doi:10.1073/pnas.0709247105): samples i < j are linked when every sample
// between them lies strictly below the straight line joining them,
//
//	x(k) < x(j) + (x(i) − x(j)) (j − k)/(j − i)   for all i < k < j
//
// The edges come once each, I < J, sorted by I then J. A NaN or ±Inf sample
// is an error wrapping neurotab.ErrNotFinite.
//
// Divide and conquer (Lan et al. 2015, doi:10.1063/1.4927835): the highest
// sample m of a range [l, r] blocks every line of sight across it, so the
// range's edges are m's own and those of [l, m−1] and [m+1, r]. Seen from
// m, sample j > m is visible when its slope (x(j) − x(m))/(j − m) exceeds
// that of every sample between them, which one outward scan checks (and the
// same leftwards). Each level of the recursion costs O(r − l): O(T log T)
// overall when maxima fall inside their ranges, as for noisy traces, and
// O(T²) at worst (a monotone trace). A final counting sort is O(E + T).
func Natural(x []float64) ([]Edge, error) {
	if err := checkFinite(x); err != nil {
		return nil, err
	}
	t := len(x)
	if t < 2 {
		return nil, nil
	}
	edges := make([]Edge, 0, 4*t)
	type span struct{ l, r int }
	todo := []span{{0, t - 1}}
	for len(todo) > 0 {
		s := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if s.l >= s.r {
			continue
		}
		m := s.l
		for k := s.l + 1; k <= s.r; k++ {
			if x[k] > x[m] {
				m = k
			}
		}
		edges = visibleFrom(edges, x, m, s.l, s.r)
		todo = append(todo, span{s.l, m - 1}, span{m + 1, s.r})
	}
	return sortEdges(t, edges), nil
}

// visibleFrom appends the edges from the highest sample m of [l, r] to the
// samples of [l, r] it sees: j is seen when its slope from m is above the
// slope of every sample between them.
func visibleFrom(edges []Edge, x []float64, m, l, r int) []Edge {
	best := math.Inf(-1)
	for j := m + 1; j <= r; j++ {
		if s := (x[j] - x[m]) / float64(j-m); s > best {
			edges = append(edges, Edge{m, j})
			best = s
		}
	}
	best = math.Inf(-1)
	for i := m - 1; i >= l; i-- {
		if s := (x[i] - x[m]) / float64(m-i); s > best {
			edges = append(edges, Edge{i, m})
			best = s
		}
	}
	return edges
}
