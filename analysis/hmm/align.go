package hmm

import (
	"fmt"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/assign"
)

// MaxAlignStates is the largest K for which [Align] tries all K!
// relabellings (8! = 40,320); for more states it solves the same
// assignment problem by the Hungarian method (Kuhn 1955,
// doi:10.1002/nav.3800020109) on the K × K confusion matrix, O(K³). Both
// find a maximum; they may differ only between ties.
const MaxAlignStates = 8

// Align finds the relabelling of fitted states that best matches reference
// labels, since an HMM's states are identified only up to permutation. It
// returns perm with perm[fitted] = reference label and the fraction of
// steps where perm[est[t]] == truth[t], maximized over all K! permutations.
// Errors wrap neurotab.ErrShape (lengths differ or are zero) or ErrParam
// (K < 1, a label outside [0, K)).
func Align(truth, est []int, K int) ([]int, float64, error) {
	if len(truth) != len(est) || len(truth) == 0 {
		return nil, 0, fmt.Errorf("hmm: align %d reference labels with %d fitted: %w", len(truth), len(est), neurotab.ErrShape)
	}
	if K < 1 {
		return nil, 0, fmt.Errorf("hmm: align K = %d states, want ≥ 1: %w", K, neurotab.ErrParam)
	}
	conf := make([]int, K*K) // conf[fitted*K + reference]
	for t := range truth {
		if truth[t] < 0 || truth[t] >= K || est[t] < 0 || est[t] >= K {
			return nil, 0, fmt.Errorf("hmm: align step %d: labels %d, %d outside [0, %d): %w", t, truth[t], est[t], K, neurotab.ErrParam)
		}
		conf[est[t]*K+truth[t]]++
	}
	if K > MaxAlignStates {
		score := make([]float64, K*K)
		for i, c := range conf {
			score[i] = float64(c)
		}
		perm := assign.Max(score, K)
		s := 0
		for f, r := range perm {
			s += conf[f*K+r]
		}
		return perm, float64(s) / float64(len(truth)), nil
	}
	perm := make([]int, K)
	for i := range perm {
		perm[i] = i
	}
	best, bestPerm := -1, make([]int, K)
	permute(perm, 0, func(p []int) {
		s := 0
		for f, r := range p {
			s += conf[f*K+r]
		}
		if s > best {
			best = s
			copy(bestPerm, p)
		}
	})
	return bestPerm, float64(best) / float64(len(truth)), nil
}

// permute calls visit with every permutation of p[i:] (Heap-free swap
// recursion; p is restored on return).
func permute(p []int, i int, visit func([]int)) {
	if i == len(p) {
		visit(p)
		return
	}
	for j := i; j < len(p); j++ {
		p[i], p[j] = p[j], p[i]
		permute(p, i+1, visit)
		p[i], p[j] = p[j], p[i]
	}
}
