package assign

import (
	"math"
	"testing"
)

// permutations calls f with every permutation of 0…n−1.
func permutations(n int, f func([]int)) {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			f(p)
			return
		}
		for i := k; i < n; i++ {
			p[k], p[i] = p[i], p[k]
			rec(k + 1)
			p[k], p[i] = p[i], p[k]
		}
	}
	rec(0)
}

// Min equals the brute-force optimum over all permutations (n ≤ 6) on
// seeded matrices, and Max is Min of the negated scores.
func TestMinMatchesBruteForce(t *testing.T) {
	state := uint64(7)
	next := func() float64 {
		state = state*6364136223846793005 + 1442695040888963407
		return float64(state>>11) / (1 << 53)
	}
	for n := 1; n <= 6; n++ {
		for trial := 0; trial < 20; trial++ {
			cost := make([]float64, n*n)
			for i := range cost {
				cost[i] = math.Round(next()*100) / 10
			}
			best := math.Inf(1)
			permutations(n, func(p []int) {
				s := 0.0
				for i, j := range p {
					s += cost[i*n+j]
				}
				best = min(best, s)
			})
			got := 0.0
			seen := map[int]bool{}
			for i, j := range Min(cost, n) {
				got += cost[i*n+j]
				seen[j] = true
			}
			if len(seen) != n || math.Abs(got-best) > 1e-9 {
				t.Fatalf("n=%d: cost %v (columns %d distinct), brute force %v", n, got, len(seen), best)
			}
			neg := make([]float64, len(cost))
			for i, c := range cost {
				neg[i] = -c
			}
			gotMax := 0.0
			for i, j := range Max(neg, n) {
				gotMax += neg[i*n+j]
			}
			if math.Abs(gotMax+best) > 1e-9 {
				t.Fatalf("n=%d: Max %v, want %v", n, gotMax, -best)
			}
		}
	}
}
