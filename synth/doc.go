// Package synth simulates whole-brain calcium imaging from a known
// ground-truth network with hidden state switches, so that every stage of
// neurotab (tables, homogenization, reservoir fits, functional connectivity,
// HMM-GLMs) can be checked against the truth it should recover. It powers
// `neurotab demo`.
//
// Model (rows are time; N neurons, K states, integration step h):
//
//	z_{t+1} ~ Categorical(A[z_t,:])                       sticky Markov chain, A[k,k] = 1 - h/dwell
//	x_{t+1} = x_t + (h/τ)(-x_t + W tanh(x_t) + b_{z_t}) + σ √h ε_t
//	c_{t+1} = c_t + h(-c_t/τ_ca + softplus(x_t))          calcium (GCaMP) integration
//	F_t     = c_t/c̄ - 1 + η_t,  η_t ~ N(0, σ_obs²)         ΔF/F with observation noise
//
// (A is the K × K state transition matrix here, not an adjacency.)
//
// W is the N × N recurrent weight matrix W[post][pre], used as x ← W x: the
// orientation of recurrent weights in package neurotab (see "Matrix
// orientation" in [github.com/neurotab/neurotab]), the transpose of an
// adjacency A[pre][post] such as connectome.Adjacency returns. W is sparse
// (connection probability p) with Dale's law: a fraction of neurons is
// inhibitory and all their outgoing weights, a column of W, are negative,
// which is W·diag(s) with s the presynaptic signs (connectome.SignedWeights).
// The magnitude is |N(0, g²/(pN))|, the scaling of Sompolinsky, Crisanti &
// Sommers (1988, doi:10.1103/PhysRevLett.61.259) so g sets the spectral
// radius. State k adds a drive b_k to a state-specific subset of neurons, in
// the spirit of forward/reversal locomotion states of C. elegans
// (Kato et al. 2015, doi:10.1016/j.cell.2015.09.034).
//
// Each worm sees a random subset of the neurons and only some of them are
// identified (labeled), as in real NeuroPAL recordings.
//
// All randomness comes from Config.Seed: the same seed gives the same numbers.
package synth
