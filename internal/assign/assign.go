// Package assign solves the linear assignment problem: the one Hungarian
// method behind state alignment (analysis/hmm) and component matching
// (analysis/ntf).
package assign

import "math"

// Min returns the column of each row that minimizes Σ_i cost[i][col[i]]
// for the n × n matrix cost (row-major), by the Hungarian method (Kuhn 1955,
// doi:10.1002/nav.3800020109; Munkres 1957) in the O(n³)
// shortest-augmenting-path form with potentials (Jonker & Volgenant 1987).
func Min(cost []float64, n int) []int {
	const inf = math.MaxFloat64
	// 1-based arrays with a dummy column 0.
	u := make([]float64, n+1)
	v := make([]float64, n+1)
	p := make([]int, n+1) // p[j] = row matched to column j
	way := make([]int, n+1)
	minv := make([]float64, n+1)
	used := make([]bool, n+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j] = inf
			used[j] = false
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], inf, 0
			for j := 1; j <= n; j++ {
				if used[j] {
					continue
				}
				if cur := cost[(i0-1)*n+j-1] - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= n; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	col := make([]int, n)
	for j := 1; j <= n; j++ {
		if p[j] > 0 {
			col[p[j]-1] = j - 1
		}
	}
	return col
}

// Max returns the column of each row that maximizes Σ_i score[i][col[i]]
// (Min of −score).
func Max(score []float64, n int) []int {
	neg := make([]float64, len(score))
	for i, s := range score {
		neg[i] = -s
	}
	return Min(neg, n)
}
