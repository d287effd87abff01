package glmhmm

import (
	"fmt"
	"gonum.org/v1/gonum/mat"
	"math"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/glm"
	"github.com/neurotab/neurotab/formats/table"
)

// Names of the pre column of glm_weights rows that are not a neuron.
const (
	// PreBias marks the rows of the biases b_k[post].
	PreBias = "(bias)"
	// PreVariance marks the rows of the Gaussian variances σ²_k[post].
	PreVariance = "(variance)"
)

// ViterbiSuffix ends the model name of the Viterbi rows of the states table.
const ViterbiSuffix = "/viterbi"

// StateRows returns the states rows of the chosen model: for every bin t
// and state k a row (Model, t, k, γ_t(k)), then for every bin the Viterbi
// state z*_t with its posterior γ_t(z*_t) under the model name
// Model + ViterbiSuffix (one row per bin, the shape of a ground-truth
// states table).
func (r *Result) StateRows() []table.StateRow {
	T, K := r.Gamma.Dims()
	out := make([]table.StateRow, 0, T*(K+1))
	for t := range T {
		for k := range K {
			out = append(out, table.StateRow{Model: r.Model, SourceDataset: r.Dataset, Worm: r.Worm, T: r.Time[t], State: k, Posterior: r.Gamma.At(t, k)})
		}
	}
	vit := r.Model + ViterbiSuffix
	for t, z := range r.Path {
		out = append(out, table.StateRow{Model: vit, SourceDataset: r.Dataset, Worm: r.Worm, T: r.Time[t], State: z, Posterior: r.Gamma.At(t, z)})
	}
	return out
}

// WeightRows returns the glm_weights rows of the chosen model: for every
// state k and pair (pre, post) the weight W_k[post][pre] on the
// basis-filtered history c_t = Σ_l φ_l x_{t−l} (lag 0 stands for that
// filter; the effect of x_{t−l} is weight·φ_l), then the bias of every
// post (pre PreBias) and, for Gaussian emission, its variance (pre
// PreVariance). Weights are of the data the model saw: z-scored traces for
// Gaussian, counts per bin for Poisson. A NaN or infinite value is an error
// wrapping neurotab.ErrNotFinite: no such weight is ever written.
func (r *Result) WeightRows() (out []table.GLMWeightRow, err error) {
	g, ok := r.Fitted().Observations.(*glm.GLMObservations)
	if !ok {
		return nil, fmt.Errorf("glmhmm: recording %s/%s: observations %T have no GLM weights", r.Dataset, r.Worm, r.Fitted().Observations)
	}
	N := len(r.Neurons)
	defer func() {
		for _, w := range out {
			if math.IsNaN(w.Weight) || math.IsInf(w.Weight, 0) {
				out, err = nil, fmt.Errorf("glmhmm: recording %s/%s: state %d weight %s → %s is %v: %w", r.Dataset, r.Worm, w.State, w.Pre, w.Post, w.Weight, neurotab.ErrNotFinite)
				return
			}
		}
	}()
	// The learned prior, as state −1 of model M/prior: the Gaussian prior's
	// mean W̄, or the one-hot prior's most probable connection type (−1
	// inhibitory, 0 none, +1 excitatory).
	var prior *mat.Dense
	switch p := g.Prior.(type) {
	case *glm.GaussianPrior:
		prior = p.Mean
	case *glm.OneHotPrior:
		prior = p.Types()
	}
	if prior != nil {
		for post := range N {
			for pre := range N {
				out = append(out, table.GLMWeightRow{Model: r.Model + "/prior", State: -1, Pre: r.Neurons[pre], Post: r.Neurons[post], Weight: prior.At(post, pre)})
			}
		}
	}
	for k, W := range g.Weights {
		for post := range N {
			for pre := range N {
				out = append(out, table.GLMWeightRow{Model: r.Model, State: k, Pre: r.Neurons[pre], Post: r.Neurons[post], Weight: W.At(post, pre)})
			}
		}
		for post := range N {
			out = append(out, table.GLMWeightRow{Model: r.Model, State: k, Pre: PreBias, Post: r.Neurons[post], Weight: g.Bias.At(k, post)})
			if g.Variance != nil {
				out = append(out, table.GLMWeightRow{Model: r.Model, State: k, Pre: PreVariance, Post: r.Neurons[post], Weight: g.Variance.At(k, post)})
			}
		}
	}
	return out, nil
}

// MetricRows returns the metrics rows (neuron null throughout):
//
//	every K tried, model ModelName(K):  loglik_per_bin (split train, heldout),
//	    bits_per_spike (heldout; Poisson only), em_iterations (train)
//	the chosen model, split all:        chosen_k, occupancy[k] (fraction of
//	    Viterbi bins in k), initial[k] (π_k), transition[i][j] (P_ij)
func (r *Result) MetricRows() []table.MetricRow {
	var out []table.MetricRow
	add := func(model, split, metric string, v float64) {
		out = append(out, table.MetricRow{Model: model, SourceDataset: r.Dataset, Worm: r.Worm, Split: split, Metric: metric, Value: v})
	}
	for _, c := range r.Candidates {
		m := ModelName(r.Emission, r.Prior, c.K, r.Dataset, r.Worm)
		add(m, "train", "loglik_per_bin", c.TrainLL)
		add(m, "heldout", "loglik_per_bin", c.HeldOutLL)
		if r.Emission == Poisson {
			add(m, "heldout", "bits_per_spike", c.BitsPerSpike)
		}
		add(m, "train", "em_iterations", float64(c.Iterations))
	}
	K := r.K()
	add(r.Model, "all", "chosen_k", float64(K))
	for k, f := range r.Occupancy() {
		add(r.Model, "all", fmt.Sprintf("occupancy[%d]", k), f)
	}
	m := r.Fitted()
	for k, p := range m.Initial.Pi {
		add(r.Model, "all", fmt.Sprintf("initial[%d]", k), p)
	}
	for i := range K {
		for j := range K {
			add(r.Model, "all", fmt.Sprintf("transition[%d][%d]", i, j), m.Transitions.P.At(i, j))
		}
	}
	return out
}

// Occupancy returns the fraction of bins the Viterbi path spends in each
// state.
func (r *Result) Occupancy() []float64 {
	occ := make([]float64, r.K())
	for _, z := range r.Path {
		occ[z]++
	}
	for k := range occ {
		occ[k] /= float64(len(r.Path))
	}
	return occ
}
