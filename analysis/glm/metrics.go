package glm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// PoissonNull returns the log likelihood of the first N columns of the
// count sequences xs under the per-neuron homogeneous Poisson model whose
// rate is each neuron's mean count over all xs (the "mean-rate null"),
// and the total spike count. Errors wrap neurotab.ErrShape (no bins, too
// few columns) or ErrOutOfRange (a negative count).
func PoissonNull(xs []mat.Matrix, N int) (ll, spikes float64, err error) {
	sum := make([]float64, N)
	bins := 0
	for s, x := range xs {
		T, c := x.Dims()
		if c < N {
			return 0, 0, fmt.Errorf("glm: sequence %d has %d columns, want ≥ %d: %w", s, c, N, neurotab.ErrShape)
		}
		for t := range T {
			for n := range N {
				v := x.At(t, n)
				if !(v >= 0) || math.IsInf(v, 0) {
					return 0, 0, fmt.Errorf("glm: sequence %d, bin %d, neuron %d: count %v: %w", s, t, n, v, neurotab.ErrOutOfRange)
				}
				sum[n] += v
			}
		}
		bins += T
	}
	if bins == 0 {
		return 0, 0, fmt.Errorf("glm: no bins for the null model: %w", neurotab.ErrShape)
	}
	for n := range N {
		spikes += sum[n]
		if sum[n] > 0 {
			ll += sum[n]*math.Log(sum[n]/float64(bins)) - sum[n]
		}
	}
	for _, x := range xs {
		T, _ := x.Dims()
		for t := range T {
			for n := range N {
				lg, _ := math.Lgamma(x.At(t, n) + 1)
				ll -= lg
			}
		}
	}
	return ll, spikes, nil
}

// BitsPerSpike returns the information gain of a model over the mean-rate
// null per spike (Pillow et al., Nature 2008; Li et al., ICLR 2024),
//
//	(log p(X | model) − log p(X | null)) / (n_spikes · ln 2)
//
// for the model log likelihood ll of the sequences xs (first N columns
// counts), with the null of [PoissonNull]. Errors as PoissonNull, and
// neurotab.ErrOutOfRange when there is no spike.
func BitsPerSpike(ll float64, xs []mat.Matrix, N int) (float64, error) {
	ll0, spikes, err := PoissonNull(xs, N)
	if err != nil {
		return 0, err
	}
	if spikes == 0 {
		return 0, fmt.Errorf("glm: bits per spike of data without spikes: %w", neurotab.ErrOutOfRange)
	}
	return (ll - ll0) / (spikes * math.Ln2), nil
}

// TypeScores compares connection types (−1 inhibitory, 0 none, +1
// excitatory), e.g. fitted [OneHotPrior.StateTypes] with the true ones.
type TypeScores struct {
	// Accuracy is the fraction of entries that agree.
	Accuracy float64
	// Balanced is the mean over the three classes of the recall.
	Balanced float64
	// MacroF1 is the mean over the three classes of the F1 score.
	MacroF1 float64
	// NoneBaseline is the accuracy of predicting "no connection"
	// everywhere, the trivial score to beat.
	NoneBaseline float64
	// Recall and Precision per class (inhibitory, none, excitatory).
	Recall, Precision [3]float64
}

// CompareTypes scores the estimated type matrices est against truth
// (equal counts and shapes). Classes absent from truth are left out of
// the balanced accuracy and macro-F1. Errors wrap neurotab.ErrShape or,
// for a value outside {−1, 0, 1}, ErrParam.
func CompareTypes(truth, est []*mat.Dense) (TypeScores, error) {
	var sc TypeScores
	if len(truth) != len(est) || len(truth) == 0 {
		return sc, fmt.Errorf("glm: compare %d true with %d estimated type matrices: %w", len(truth), len(est), neurotab.ErrShape)
	}
	var conf [3][3]float64 // conf[true][est]
	total := 0.0
	for i := range truth {
		r, c := truth[i].Dims()
		if er, ec := est[i].Dims(); er != r || ec != c {
			return sc, fmt.Errorf("glm: type matrices %d are %d × %d and %d × %d: %w", i, r, c, er, ec, neurotab.ErrShape)
		}
		for a := range r {
			for b := range c {
				tv, ev := truth[i].At(a, b), est[i].At(a, b)
				if (tv != -1 && tv != 0 && tv != 1) || (ev != -1 && ev != 0 && ev != 1) {
					return sc, fmt.Errorf("glm: type matrices %d at [%d][%d]: %v, %v not in {−1, 0, 1}: %w", i, a, b, tv, ev, neurotab.ErrParam)
				}
				conf[int(tv)+1][int(ev)+1]++
				total++
			}
		}
	}
	present := 0.0
	for c := range 3 {
		row, col := 0.0, 0.0
		for j := range 3 {
			row += conf[c][j]
			col += conf[j][c]
		}
		sc.Accuracy += conf[c][c] / total
		if col > 0 {
			sc.Precision[c] = conf[c][c] / col
		}
		if row == 0 {
			continue
		}
		present++
		sc.Recall[c] = conf[c][c] / row
		sc.Balanced += sc.Recall[c]
		if p, r := sc.Precision[c], sc.Recall[c]; p+r > 0 {
			sc.MacroF1 += 2 * p * r / (p + r)
		}
	}
	sc.Balanced /= present
	sc.MacroF1 /= present
	sc.NoneBaseline = (conf[1][0] + conf[1][1] + conf[1][2]) / total
	return sc, nil
}
