// Package glm fits weighted generalized linear models, one neuron at a time:
// the M-step of an HMM-GLM, where each state's emission is a GLM of a design
// (covariates, spike history) and the observation weights are the state
// posteriors γ_t of the E-step.
//
// A [Regression] maximizes the weighted, optionally L2-penalized log
// likelihood
//
//	J(β) = Σ_t w_t log p(y_t | η_t = x_t β) − (L2/2) Σ_j β_j²
//
// by Newton's method (iteratively reweighted least squares) with the
// analytic gradient and Hessian; the Gaussian family with identity link is
// solved in closed form by weighted least squares. [ExpBasis] and [History]
// build the exponential spike-history covariate of the one-hot HMM-GLM
// (Li et al., "One-hot generalized linear model for switching brain state
// discovery", ICLR 2024, https://openreview.net/forum?id=MREQ0k6qvD).
//
// [GLMObservations] is the emission model of HMM-GLMs for analysis/hmm:
// Poisson (exp, softplus or the paper's sigmoid link bounded to
// (1e-8, 1)), Bernoulli (logit) and Gaussian families, spike history
// through a basis plus optional external inputs (the input-driven GLM-HMM
// of ssm), and a prior over the per-state weights: none, Gaussian around a
// learned shared mean ([GaussianPrior]) or one-hot connection types with a
// learned or connectome-informed Concrete prior ([OneHotPrior]). Its
// M-step runs in parallel over states and neurons. [BitsPerSpike] and
// [CompareTypes] score fits.
//
// Notation and orientation are the package neurotab conventions: the design
// X is T × F (rows are time), y has T entries.
package glm
