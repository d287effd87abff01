package glmhmm

import (
	"fmt"
	"math"
	"sort"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/hmm"
	"github.com/neurotab/neurotab/formats/table"
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

// BehaviorOn returns the values of one behavior variable of a recording at
// the given bin times, from behavior rows of either grid: the grid whose
// rows have a time within 1 ms of every bin (traces store times as
// float32) — the homogenized grid for homogenized traces, the original one
// for traces ingested with --no-resample. It returns the grid's name, or
// an error wrapping neurotab.ErrNotFound when no grid covers the bins.
func BehaviorOn(rows []table.BehaviorRow, dataset, worm, variable string, times []float64) ([]float64, string, error) {
	byGrid := map[string][]table.BehaviorRow{}
	for _, r := range rows {
		if r.SourceDataset == dataset && r.Worm == worm && r.Variable == variable {
			byGrid[r.Grid] = append(byGrid[r.Grid], r)
		}
	}
	for _, g := range []string{table.GridHomogenized, table.GridOriginal} {
		rs := byGrid[g]
		if len(rs) == 0 {
			continue
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i].T < rs[j].T })
		out := make([]float64, len(times))
		ok := true
		for i, t := range times {
			j := sort.Search(len(rs), func(j int) bool { return rs[j].T >= t })
			best := math.Inf(1)
			for _, c := range []int{j - 1, j} {
				if c >= 0 && c < len(rs) && math.Abs(rs[c].T-t) < best {
					best, out[i] = math.Abs(rs[c].T-t), rs[c].Value
				}
			}
			if best > 1e-3 {
				ok = false
				break
			}
		}
		if ok {
			return out, g, nil
		}
	}
	return nil, "", fmt.Errorf("glmhmm: behavior of %s/%s has no %q on the traces' %d bins (neither grid matches): %w", dataset, worm, variable, len(times), neurotab.ErrNotFound)
}

// AgreementRows returns the metrics rows of an agreement with the behavior
// variable (split all, neuron null): VARIABLE_balanced_accuracy,
// VARIABLE_balanced_accuracy_null_mean, …_null_p95 (the 95th percentile of
// the shifted labels) and VARIABLE_p_value.
func (r *Result) AgreementRows(variable string, a Agreement) []table.MetricRow {
	p95 := a.Null[min(len(a.Null)-1, int(math.Ceil(0.95*float64(len(a.Null))))-1)]
	var out []table.MetricRow
	for _, m := range []struct {
		name string
		v    float64
	}{{"balanced_accuracy", a.BalancedAccuracy}, {"balanced_accuracy_null_mean", a.NullMean}, {"balanced_accuracy_null_p95", p95}, {"p_value", a.P}} {
		out = append(out, table.MetricRow{Model: r.Model, SourceDataset: r.Dataset, Worm: r.Worm, Split: "all", Metric: variable + "_" + m.name, Value: m.v})
	}
	return out
}
