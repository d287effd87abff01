package fc

import (
	"fmt"
	"math"
	"slices"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/ntf"
)

// AffinityTensor stacks the windowed FC of several recordings with the
// same neurons into the windows × recordings × pairs tensor that
// ntf.CP factorizes (the dynamic functional connectome): element
// (w, r, p) is affinity(C_w[i][j]) of the first matrix of window w of
// results[r], for the unordered pairs p = (i, j), i < j, in the order
// (0,1), (0,2), …, (0,N−1), (1,2), … that Pairs returns as "pre-post"
// labels. affinity nil means |C| (the strength of a correlation of either
// sign); a NaN entry (a trace constant in that window) becomes 0. Errors
// (neurotab.ErrShape): no results, a static result (no windows),
// recordings with other neurons or another number of windows; an
// affinity < 0 or not finite (neurotab.ErrOutOfRange).
func AffinityTensor(results []*Result, affinity func(float64) float64) (*ntf.Tensor, []string, error) {
	if len(results) == 0 {
		return nil, nil, fmt.Errorf("fc: affinity tensor of no recordings: %w", neurotab.ErrShape)
	}
	if affinity == nil {
		affinity = math.Abs
	}
	first := results[0]
	W, R, N := len(first.Windows), len(results), len(first.Neurons)
	for _, res := range results {
		w := res.Window
		switch {
		case len(res.Windows) == 0:
			return nil, nil, fmt.Errorf("fc: recording %s/%s has static FC; the affinity tensor needs Config.Window: %w", w.Dataset, w.Worm, neurotab.ErrShape)
		case len(res.Windows) != W:
			return nil, nil, fmt.Errorf("fc: recording %s/%s has %d windows, %s/%s has %d: %w", w.Dataset, w.Worm, len(res.Windows), first.Window.Dataset, first.Window.Worm, W, neurotab.ErrShape)
		case !slices.Equal(res.Neurons, first.Neurons):
			return nil, nil, fmt.Errorf("fc: recording %s/%s has other neurons than %s/%s: %w", w.Dataset, w.Worm, first.Window.Dataset, first.Window.Worm, neurotab.ErrShape)
		}
	}
	K := N * (N - 1) / 2
	if K == 0 {
		return nil, nil, fmt.Errorf("fc: affinity tensor of %d neurons has no pairs: %w", N, neurotab.ErrShape)
	}
	var pairs []string
	for i := range N {
		for j := i + 1; j < N; j++ {
			pairs = append(pairs, first.Neurons[i]+"-"+first.Neurons[j])
		}
	}
	x := ntf.NewTensor(W, R, K, nil)
	for r, res := range results {
		for w, win := range res.Windows {
			m := win.Matrices[0].Value
			p := 0
			for i := range N {
				for j := i + 1; j < N; j++ {
					v := 0.0
					if c := m.At(i, j); !math.IsNaN(c) {
						v = affinity(c)
					}
					if !(v >= 0) || math.IsInf(v, 0) {
						return nil, nil, fmt.Errorf("fc: recording %s/%s window %d pair %s: affinity %v, want finite ≥ 0: %w", res.Window.Dataset, res.Window.Worm, w, pairs[p], v, neurotab.ErrOutOfRange)
					}
					x.Set(w, r, p, v)
					p++
				}
			}
		}
	}
	return x, pairs, nil
}
