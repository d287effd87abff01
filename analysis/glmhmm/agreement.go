package glmhmm

import (
	"fmt"
	"sort"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/hmm"
)

// Agreement is how well a state path matches a binary behavior label (a
// worm's reversals against forward runs).
type Agreement struct {
	// BalancedAccuracy is ½(TPR + TNR) of the best mapping of states to the
	// label, maximized over all 2^K mappings.
	BalancedAccuracy float64
	// Mapping[k] is the label state k maps to.
	Mapping []bool
	// Null holds the best-mapping balanced accuracy of each circularly
	// shifted label, sorted; NullMean is their mean.
	Null     []float64
	NullMean float64
	// P is the permutation p-value (1 + #{null ≥ observed}) / (1 + shifts).
	P float64
}

// BehaviorAgreement scores the state path (states 0 … K−1) against the
// label of each bin: the balanced accuracy of the best state → label
// mapping, against a null of the same score on the label circularly
// shifted by offsets drawn uniformly from [T/10, 9T/10) (seeded), which
// keeps the label's dwell times and the path's structure but breaks their
// alignment. Errors wrap neurotab.ErrShape (lengths differ, a label that is
// constant) or neurotab.ErrParam (K, shifts).
func BehaviorAgreement(path []int, K int, label []bool, shifts int, seed neurotab.Seed) (Agreement, error) {
	T := len(path)
	switch {
	case T != len(label) || T < 10:
		return Agreement{}, fmt.Errorf("glmhmm: %d states and %d labels, want equal and ≥ 10: %w", T, len(label), neurotab.ErrShape)
	case K < 1 || K > hmm.MaxAlignStates || shifts < 1:
		return Agreement{}, fmt.Errorf("glmhmm: agreement of K = %d states with %d shifts: %w", K, shifts, neurotab.ErrParam)
	}
	pos := 0
	for t, z := range path {
		if z < 0 || z >= K {
			return Agreement{}, fmt.Errorf("glmhmm: state %d at bin %d outside [0, %d): %w", z, t, K, neurotab.ErrParam)
		}
		if label[t] {
			pos++
		}
	}
	if pos == 0 || pos == T {
		return Agreement{}, fmt.Errorf("glmhmm: the behavior label is constant over %d bins: %w", T, neurotab.ErrShape)
	}
	var a Agreement
	a.BalancedAccuracy, a.Mapping = bestMapping(path, K, label, 0)
	rng := seed.Rand(0)
	lo, hi := T/10, 9*T/10
	for range shifts {
		off := lo + rng.IntN(max(hi-lo, 1))
		ba, _ := bestMapping(path, K, label, off)
		a.Null = append(a.Null, ba)
		a.NullMean += ba / float64(shifts)
		if ba >= a.BalancedAccuracy {
			a.P++
		}
	}
	a.P = (a.P + 1) / float64(shifts+1)
	sort.Float64s(a.Null)
	return a, nil
}

// bestMapping returns the highest balanced accuracy over the mappings of K
// states to a binary label read at (t + off) mod T.
func bestMapping(path []int, K int, label []bool, off int) (float64, []bool) {
	T := len(path)
	// counts[k][1] bins of state k with the label, counts[k][0] without.
	counts := make([][2]float64, K)
	var P, N float64
	for t, z := range path {
		if label[(t+off)%T] {
			counts[z][1]++
			P++
		} else {
			counts[z][0]++
			N++
		}
	}
	best, bestMask := -1.0, 0
	for mask := range 1 << K {
		var tp, tn float64
		for k := range K {
			if mask>>k&1 == 1 {
				tp += counts[k][1]
			} else {
				tn += counts[k][0]
			}
		}
		if ba := (tp/P + tn/N) / 2; ba > best {
			best, bestMask = ba, mask
		}
	}
	m := make([]bool, K)
	for k := range K {
		m[k] = bestMask>>k&1 == 1
	}
	return best, m
}
