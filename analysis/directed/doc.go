// Package directed computes directed functional connectivity from calcium
// traces: Granger causality (bivariate, as statsmodels'
// grangercausalitytests, or conditional on every other neuron), Gaussian
// transfer entropy, and the plug-in transfer entropy of discrete series (as
// rinform / inform).
//
// # Notation and orientation
//
// The notation and orientation are those of package neurotab (see "Matrix
// orientation" in [github.com/neurotab/neurotab]). T samples, N neurons, p
// the lag order (whole samples). A trace matrix X is T × N: rows are time,
// columns are neurons. Every result matrix is N × N and directed,
// C[source][target]: row i is the driving neuron, column j the driven one;
// the diagonal (no pair) is NaN.
//
// # Models
//
// For the ordered pair i → j, with y = x_j and the nobs = T − p target
// samples t = p … T−1, two least-squares regressions with a constant:
//
//	restricted     y(t) = c + Σ_{l=1..p} a_l y(t−l)                      + e_r(t)
//	unrestricted   y(t) = c + Σ_{l=1..p} a_l y(t−l) + Σ_{l=1..p} b_l x_i(t−l) + e_u(t)
//
// and their residual sums of squares ssr_r ≥ ssr_u. The conditional
// (multivariate) variant adds the p lags of every other neuron k ∉ {i, j}
// to both models, so that i → j is measured given the past of the whole
// recording (Geweke 1984, doi:10.1080/01621459.1984.10478112). From the two
// ssr come the statistics of Granger (see Granger) and the Gaussian transfer
// entropy ½ ln(ssr_r / ssr_u) (see GaussianTE).
//
// # Undefined values
//
// A pair whose regression is degenerate — a constant trace, a source whose
// lags are collinear with the target's, a perfect fit — has NaN in every
// result, as statsmodels raises InfeasibleTestError for it (a perfect fit
// is an ssr below 1e-10 of the target's total sum of squares). In the
// conditional variant constant traces (and traces with a constant lag
// window) are left out of the conditioning set, their row and column NaN; other collinear neurons make the shared
// design singular, which is an error wrapping neurotab.ErrSingular. NaN or
// ±Inf input is an error wrapping neurotab.ErrNotFinite, too few samples
// for the lag neurotab.ErrShape, and an invalid setting neurotab.ErrParam.
//
// # Cost
//
// Fit builds the Gram matrix of the lagged design once — the N·p lag
// columns and the N current values, centred over the nobs rows — from p + 1
// shifted cross-product matrices of the traces (one N × N GEMM each, ~2
// (p+1) T N² flops and T N floats; see lagged.gram), never materializing
// the T × N(p+1) design. The restricted regression of each target is
// factorized once and reused for every source (a Schur-complement update
// of p × p blocks: ~N² p³ flops in all). The conditional variant
// factorizes the N·p × N·p Gram once (~(Np)³/3 flops) and gets each pair's
// restricted ssr from the unrestricted coefficients (the Wald identity
// ssr_r − ssr_u = βᵢᵀ [G⁻¹]ᵢᵢ⁻¹ βᵢ). 100 neurons × 10,000 samples at lag
// 5 take 0.2–0.5 s a fit, bivariate or conditional, on a shared 2-core
// machine (BenchmarkGranger); the GEMMs are most of it.
package directed
