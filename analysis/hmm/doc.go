// Package hmm is the hidden Markov model core of neurotab's state-switching
// models (issue 14): exact inference by forward–backward and Viterbi in log
// space, posterior path sampling, and Baum–Welch EM over the three parts of
// an HMM, after ssm's design (Linderman et al., github.com/lindermanlab/ssm):
// an initial distribution, stationary transitions with a sticky Dirichlet
// prior, and an observation model behind the small [Observations] interface
// (a new emission model is one new type).
//
// # Notation and orientation
//
//	K   states
//	T   time steps of one sequence (rows)
//	N   observed dimensions (neurons) of a data matrix
//	π   initial distribution, length K
//	A   transition matrix, K × K, A[i][j] = p(z_{t+1} = j | z_t = i)
//	ℓ   log-likelihoods, T × K, ℓ[t][k] = log p(x_t | z_t = k)
//
// Data matrices are T × N (rows are time), as everywhere in neurotab;
// posteriors γ are T × K; Σ_t ξ_t is K × K with the same orientation as A.
// Several sequences are independent: each starts from π.
//
// # Numerics
//
// The recursions keep log α_t and log β_t and shift by their maximum before
// leaving log space (the "max-shift"), so no step under- or overflows
// whatever T is; Σ_t ξ_t is accumulated step by step, so memory is
// O(TK + K²) per sequence (the T × K forward table is reused for γ).
//
// # Errors
//
// A NaN or +Inf log-likelihood wraps neurotab.ErrNotFinite; a bad π or a
// transition row that does not sum to one, K < 1, or a bad EM setting wraps
// neurotab.ErrParam; matrices that disagree wrap neurotab.ErrShape; a Poisson
// count that is not a non-negative integer wraps neurotab.ErrOutOfRange and
// names the bin and the neuron. Messages start with "hmm:".
package hmm
