package directed

import (
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"

	"github.com/neurotab/neurotab"
)

// TransferEntropy returns the plug-in transfer entropy from the discrete
// series source to target with target history length k, in bits
// (Schreiber 2000, doi:10.1103/PhysRevLett.85.461):
//
//	TE_{source→target} = Σ p(x⁽ᵏ⁾_t, y_t, x_{t+1}) log₂ [ p(x_{t+1} | x⁽ᵏ⁾_t, y_t) / p(x_{t+1} | x⁽ᵏ⁾_t) ]
//
// where x is target, y is source, x⁽ᵏ⁾_t = (x_{t−k+1}, …, x_t) and the
// probabilities are the frequencies of the T − k time steps t = k−1 …
// T−2 (the source history is one sample). The argument order is rinform's
// transfer_entropy(ys, xs, k) and inform's inform_transfer_entropy(src,
// dst, …): the first series is the source, so with rinform's example
// xs = 0,0,1,1,1,1,0,0,0 and ys = 0,1,1,1,1,0,0,0,1,
// TransferEntropy(ys, xs, 1) = 0.8112781 bits is TE(ys → xs).
//
// States are the integers 0 … b−1 (b is the largest state plus one, at
// least 2, as inform's base). Errors: k ≤ 0 (neurotab.ErrParam); unequal
// lengths or series no longer than k (neurotab.ErrShape); a negative state
// (neurotab.ErrOutOfRange); b^(k+2) beyond 2⁶³ (neurotab.ErrTooLarge).
func TransferEntropy(source, target []int, k int) (float64, error) {
	if err := checkLag("history length k", k); err != nil {
		return 0, err
	}
	switch {
	case len(source) != len(target):
		return 0, fmt.Errorf("directed: source has %d samples, target %d: %w", len(source), len(target), neurotab.ErrShape)
	case len(target) <= k:
		return 0, fmt.Errorf("directed: %d samples for history length %d, want at least %d: %w", len(target), k, k+1, neurotab.ErrShape)
	}
	b := 2
	for _, s := range [][]int{source, target} {
		for t, v := range s {
			if v < 0 {
				return 0, fmt.Errorf("directed: sample %d is state %d, want ≥ 0: %w", t, v, neurotab.ErrOutOfRange)
			}
			b = max(b, v+1)
		}
	}
	// A history, source state and next state are one integer in base b.
	span := uint64(1)
	for range k + 2 {
		hi, lo := bits.Mul64(span, uint64(b))
		span = lo
		if hi != 0 || span > math.MaxInt64 {
			return 0, fmt.Errorf("directed: %d states with history length %d need %d^%d codes: %w", b, k, b, k+2, neurotab.ErrTooLarge)
		}
	}
	var (
		full    = map[uint64]int{} // (history, source, next)
		histSrc = map[uint64]int{} // (history, source)
		histNxt = map[uint64]int{} // (history, next)
		hist    = map[uint64]int{} // history
		bb      = uint64(b)
	)
	for t := k; t < len(target); t++ {
		var h uint64
		for _, v := range target[t-k : t] {
			h = h*bb + uint64(v)
		}
		s, x := uint64(source[t-1]), uint64(target[t])
		full[(h*bb+s)*bb+x]++
		histSrc[h*bb+s]++
		histNxt[h*bb+x]++
		hist[h]++
	}
	n := float64(len(target) - k)
	// Sum in the order of the codes: the same bits on every run.
	codes := slices.Sorted(maps.Keys(full))
	var te float64
	for _, code := range codes {
		c := full[code]
		x := code % bb
		hs := code / bb
		h := hs / bb
		te += float64(c) / n * math.Log2(float64(c)*float64(hist[h])/(float64(histSrc[hs])*float64(histNxt[h*bb+x])))
	}
	return te, nil
}
