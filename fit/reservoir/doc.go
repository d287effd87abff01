// Package reservoir builds and runs reservoirs: fixed recurrent dynamical
// systems driven by an input, whose activity a trained linear readout
// (package fit/readout) maps to a target — reservoir computing (Jaeger
// 2001, "The 'echo state' approach to analysing and training recurrent
// neural networks", GMD Report 148; Lukoševičius & Jaeger 2009, "Reservoir
// computing approaches to recurrent neural network training", Computer
// Science Review 3:127–149, doi:10.1016/j.cosrev.2009.03.005).
//
// # One shape
//
// A Reservoir is a pure step function, z[t+1] = F(z[t], u[t+1], y[t]), with
// an observation x = G(z); a Runner holds a state and steps it, writing the
// activity of every step as a row of a T×N matrix (Run), teacher-forcing
// output feedback (RunForced), or stepping one sample at a time in a closed
// loop (Step). ESN, the echo-state network, is the first Reservoir; Config
// draws its weights from a seed.
//
// # Echo-state network
//
// With leak rates α ∈ (0, 1]ᴺ and activation f (tanh, the identity or the
// logistic sigmoid):
//
//	x[t+1] = (1 − α) ⊙ x[t] + α ⊙ f(W x[t] + W_in u[t+1] + W_fb y[t] + b)
//
// or, with the leak on the pre-activation (ExternalLeak),
//
//	s[t+1] = (1 − α) ⊙ s[t] + α ⊙ (W x[t] + W_in u[t+1] + W_fb y[t] + b),   x = f(s)
//
// (Lukoševičius 2012, "A practical guide to applying echo state networks",
// Neural Networks: Tricks of the Trade, LNCS 7700:659–686,
// doi:10.1007/978-3-642-35289-8_36, eqs. (2)–(3)). W is sparse (CSR),
// drawn with a density or a fixed in-degree from N(0, 1), U[−1, 1] or ±1,
// or on the support of a connectome's adjacency (W = Aᵀ), optionally
// signed by Dale's law with balanced excitation and inhibition, and
// rescaled to a spectral radius ρ* (SpectralRadius: dense eigenvalues up
// to N = 2000, restarted Arnoldi above); or W is orthogonal. A gain g on
// the net input, f(g ⊙ (…) + b), is 1 unless IntrinsicPlasticity has
// adapted it (with b) towards a Gaussian output distribution.
//
// # E/I self-balancing reservoir
//
// With Activation Sigmoid (rates in (0, 1)) and Config.Excitatory, W splits
// by presynaptic sign into W_E − W_I. Config.InhibitionScale scales all
// inhibition by one β (the globally tuned baseline); EIBalance instead
// adapts one inhibitory gain per unit, W = W_E − g ⊙ W_I, by the local rule
// g_i ← max(0, g_i + η(x̄_i − ρ_i)) towards homogeneous or heterogeneous
// target rates during a warm-up, then freezes it (Srinivasan, Plenz &
// Girvan 2025, arXiv:2504.12480).
//
// # Notation and orientation
//
// As in package neurotab (see "Matrix orientation" in
// [github.com/neurotab/neurotab]): N units, D inputs, K fed-back outputs, T
// time steps. Inputs U are T×D and activity X is T×N (rows are time); W is
// N×N in the recurrent-weights orientation W[post][pre] (x ← W x), W_in is
// N×D and W_fb is N×K. Values are float64 and unitless.
//
// # Seeds, errors, concurrency
//
// Config.New draws every weight from Config.Seed (neurotab.Seed), one
// random stream per matrix: the same Config gives the same weights bit for
// bit. Errors start with "reservoir:" and wrap neurotab.ErrParam (a bad
// configuration), ErrShape (inputs of the wrong size), ErrNotFinite (NaN or
// Inf in inputs or weights) or ErrSingular (eigenvalues that did not
// converge). Run panics only on a destination of the wrong size, as gonum's
// To methods do. An ESN is read-only once built and may be shared by
// Runners; a Runner is not safe for concurrent use.
package reservoir
