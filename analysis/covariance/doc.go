// Package covariance estimates covariance matrices of neural traces and the
// connectivity measures built on them, with the semantics of nilearn's
// ConnectivityMeasure (Varoquaux et al. 2010, MICCAI LNCS 6361:200,
// doi:10.1007/978-3-642-15705-9_25; Dadi et al. 2019, NeuroImage 192:115,
// doi:10.1016/j.neuroimage.2019.02.062), re-implemented in Go.
//
// # Notation and orientation
//
// See "Notation" and "Matrix orientation" in [github.com/neurotab/neurotab].
// Every input X is a T × N trace matrix (rows are time samples, columns are
// neurons); every output is an N × N symmetric matrix C[i][j]. Units: a
// covariance has the squared unit of the traces, a precision its inverse;
// correlations and tangent vectors have none.
//
// # Estimators
//
// Empirical, LedoitWolf and OAS estimate Σ from one recording; each has the
// estimator shape of package neurotab (configuration in exported fields,
// Check, Fit(X), CovarianceTo(dst), Parameters, ErrNotFitted) and satisfies
// the small Estimator interface that Measure and Tangent take:
//
//	Empirical   S = Xcᵀ Xc / (T − ddof)                       (Xc: columns centred)
//	LedoitWolf  Σ = (1 − λ) S + λ μ I,  μ = tr S / N,  λ of Ledoit & Wolf (2004)
//	OAS         Σ = (1 − ρ) S + ρ μ I,  ρ of Chen et al. (2010), scikit-learn's form
//
// Measure turns an estimator's Σ into one of nilearn's kinds (covariance,
// correlation, partial correlation, precision); Tangent fits several
// recordings and maps each covariance to the tangent space at their
// geometric mean. SymToVec and VecToSym are nilearn's vectorization.
//
// With LedoitWolf (nilearn's default estimator) the "correlation" kind is
// not Pearson's r: shrinkage towards μI scales every off-diagonal entry by
// 1 − λ, where λ is the shrinkage on the z-scored traces (see Measure).
//
// Errors start with "covariance: " and wrap the sentinels of package
// neurotab: ErrParam (configuration), ErrShape (too few samples, recordings
// of different N), ErrNotFinite (a NaN or ±Inf sample), ErrSingular (a
// covariance that is not positive definite where an inverse, a square root
// or a logarithm is needed) and ErrNotFitted.
package covariance
