package structure

import (
	"cmp"
	"slices"
)

// ROCGrid is the number of false-positive rates, 0, 1/(ROCGrid−1), …, 1,
// at which Test keeps the true-positive rate of every rewiring (NullROC).
const ROCGrid = 101

// ROC returns the receiver operating characteristic of score for the
// positives: the false- and true-positive rates (FP/Q, TP/P) with the
// threshold at each distinct score, from the highest down, after the
// point (0, 0). Tied scores enter together, so the curve joins the points
// with straight segments and its area is AUC (sklearn.metrics.roc_curve
// with drop_intermediate=False; Fawcett 2006, Pattern Recogn Lett
// 27:861, doi:10.1016/j.patrec.2005.10.010). Both rates are NaN when there
// are no positives or no negatives. It panics when the lengths differ.
func ROC(score []float64, positive []bool) (fpr, tpr []float64) {
	if len(score) != len(positive) {
		panic("structure: ROC of vectors of different lengths")
	}
	return rocPoints(newROCOrder(score), positive)
}

// rocOrder is the order of the scores, highest first, cut into runs of
// equal score.
type rocOrder struct {
	idx    []int
	groups []int // end (exclusive) of each run in idx
}

func newROCOrder(score []float64) rocOrder {
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(score[b], score[a]) })
	var groups []int
	for k := 1; k <= len(idx); k++ {
		if k == len(idx) || score[idx[k]] != score[idx[k-1]] {
			groups = append(groups, k)
		}
	}
	return rocOrder{idx, groups}
}

// rocPoints walks the runs of o, counting positives and negatives.
func rocPoints(o rocOrder, positive []bool) (fpr, tpr []float64) {
	var p, q float64
	for _, pos := range positive {
		if pos {
			p++
		} else {
			q++
		}
	}
	fpr, tpr = make([]float64, 0, len(o.groups)+1), make([]float64, 0, len(o.groups)+1)
	fpr, tpr = append(fpr, 0/q), append(tpr, 0/p)
	var tp, fp float64
	start := 0
	for _, end := range o.groups {
		for _, i := range o.idx[start:end] {
			if positive[i] {
				tp++
			} else {
				fp++
			}
		}
		start = end
		fpr, tpr = append(fpr, fp/q), append(tpr, tp/p)
	}
	return fpr, tpr
}

// tprAt writes into dst (length ROCGrid) the true-positive rate of the
// curve (fpr, tpr) at the false-positive rates g/(ROCGrid−1), by linear
// interpolation along its segments; on a vertical segment (a run of
// positives alone) the highest rate.
func tprAt(dst, fpr, tpr []float64) {
	k := 0
	for g := range dst {
		x := float64(g) / float64(len(dst)-1)
		for k+1 < len(fpr) && fpr[k+1] <= x {
			k++
		}
		if k+1 == len(fpr) || fpr[k] == x {
			dst[g] = tpr[k]
			continue
		}
		f := (x - fpr[k]) / (fpr[k+1] - fpr[k])
		dst[g] = tpr[k] + f*(tpr[k+1]-tpr[k])
	}
}
