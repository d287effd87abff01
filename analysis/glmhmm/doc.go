// Package glmhmm runs a state-switching GLM (an HMM whose states each own a
// GLM of neuron-to-neuron interactions; Escola et al., Neural Computation
// 23(5), 2011, doi:10.1162/NECO_a_00118; Li et al., "One-hot generalized
// linear model for switching brain state discovery", ICLR 2024,
// https://openreview.net/forum?id=MREQ0k6qvD) over recordings and turns the
// fit into rows of the canonical states, glm_weights and metrics tables. It
// is where recordings meet the estimators of packages hmm and glm, as
// package fc is for functional connectivity.
//
// # Notation and orientation
//
//	T   time bins of a recording (rows of table.Recording.Data)
//	N   neurons (columns)
//	K   states
//	W_k N × N weights of state k, W_k[post][pre] (recurrent orientation)
//
// In state k, neuron n at bin t is a GLM of the filtered history of every
// neuron (glm.GLMObservations):
//
//	c_t = Σ_{l=1}^{L} φ_l x_{t−l},   φ_l ∝ exp(−decay·l·dt), Σ_l φ_l dt = 1
//	η_tkn = b_kn + Σ_m W_k[n][m] c_tm
//	x_tn | z_t = k ~ N(η_tkn, σ²_kn)    (Emission "gaussian", z-scored traces)
//	x_tn | z_t = k ~ Poisson(exp η_tkn)  (Emission "poisson", spike counts per bin)
//
// # Model selection
//
// Each recording is cut into Chunks contiguous chunks; every 1/HeldOut-th
// chunk is held out and the others are the training sequences (each starts
// from π, its history from zeros). For every K in [MinStates, MaxStates] EM
// runs Restarts seeded restarts on the training chunks; the K with the
// highest held-out log-likelihood per bin wins (ties: the smaller K). The
// chosen model then decodes the whole recording as one sequence: posteriors
// γ_t(k) by forward–backward and the Viterbi path.
//
// For Gaussian emission each neuron is z-scored over the whole recording, as
// the published homogenization does (a constant neuron is only centred). For
// Poisson emission the data must be non-negative integer counts; bits per
// spike compare the held-out log-likelihood with the per-neuron mean-rate
// Poisson null fitted on the training chunks (Pillow et al., Nature 454,
// 2008, doi:10.1038/nature07140):
//
//	bits/spike = (log p(x_held | model) − log p(x_held | λ̄)) / (ln 2 · Σ x_held)
//
// # Rows
//
// Result.StateRows, WeightRows and MetricRows give the table rows; their
// model name is Result.Model, "glmhmm-EMISSION-K<k>@DATASET/WORM", since
// glm_weights has no worm column. See the methods for the row layout.
//
// # Errors
//
// A bad configuration wraps neurotab.ErrParam; a prior this build does not
// fit wraps neurotab.ErrUnsupported; NaN samples neurotab.ErrNotFinite;
// non-integer counts for Poisson neurotab.ErrOutOfRange; fewer than two
// neurons or too few bins for the largest K neurotab.ErrShape. Messages are
// one line and start with "glmhmm:" and the recording.
package glmhmm
