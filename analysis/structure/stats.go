package structure

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Ranks returns the 1-based ranks of x, ties given the average of the
// ranks they span (the "average" method of scipy.stats.rankdata).
func Ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for k := i; k < j; k++ {
			r[idx[k]] = avg
		}
		i = j
	}
	return r
}

// Spearman returns Spearman's rank correlation of x and y (equal lengths),
//
//	ρ = Σ (rx − r̄)(ry − r̄) / √(Σ (rx − r̄)² Σ (ry − r̄)²)
//
// the Pearson correlation of their average ranks (Spearman 1904, Am J
// Psychol 15:72, doi:10.2307/1412159; scipy.stats.spearmanr). It is NaN
// when either vector is constant or shorter than 2.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("structure: Spearman of vectors of different lengths")
	}
	return pearson(Ranks(x), Ranks(y))
}

// pearson is the correlation of two equal-length vectors (NaN when one
// is constant or shorter than 2).
func pearson(x, y []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	return stat.Correlation(x, y, nil)
}

// AUC returns the area under the ROC curve of score for the positives,
// in the Mann–Whitney form
//
//	AUC = (Σ_{i positive} rank_i − P(P+1)/2) / (P · Q)
//
// with average ranks of score, so a tie between a positive and a negative
// counts ½ (Hanley & McNeil 1982, Radiology 143:29,
// doi:10.1148/radiology.143.1.7063747; sklearn.metrics.roc_auc_score). P
// and Q count positives and negatives; it is NaN when either is 0.
func AUC(score []float64, positive []bool) float64 {
	if len(score) != len(positive) {
		panic("structure: AUC of vectors of different lengths")
	}
	return aucRanked(Ranks(score), positive)
}

// aucRanked is AUC given the ranks of the scores.
func aucRanked(rank []float64, positive []bool) float64 {
	var p, sum float64
	for i, pos := range positive {
		if pos {
			p++
			sum += rank[i]
		}
	}
	q := float64(len(rank)) - p
	if p == 0 || q == 0 {
		return math.NaN()
	}
	return (sum - p*(p+1)/2) / (p * q)
}

// sparseRanksTo writes Ranks(x) into dst for an x that is mostly zeros,
// sorting only the non-zero entries: the k negative entries take ranks
// 1 … k, the Z zeros tie at k + (Z+1)/2, and the positive entries follow
// from k + Z + 1.
func sparseRanksTo(dst, x []float64) {
	var nz []int
	var vals []float64
	neg := 0
	for i, v := range x {
		if v != 0 {
			nz = append(nz, i)
			vals = append(vals, v)
			if v < 0 {
				neg++
			}
		}
	}
	zeros := float64(len(x) - len(nz))
	zr := float64(neg) + (zeros+1)/2
	for i := range dst {
		dst[i] = zr
	}
	for k, r := range Ranks(vals) {
		if vals[k] > 0 {
			r += zeros
		}
		dst[nz[k]] = r
	}
}
