// Package readout fits the linear readouts that reservoir computers use,
// trained on recorded activity: a closed-form ridge regression (Ridge, with
// a washout and an SVD fallback; Classifier for sequences, from the last or
// mean state with one-hot targets), the online rules recursive least squares
// / FORCE (RLS) and least mean squares (LMS), the unsupervised Hebbian
// family on readout weights (Hebbian: Hebb, anti-Hebb, Oja, BCM, Oja's
// subspace rule and Sanger's GHA), the reward-modulated Hebbian rule EH of
// Hoerzer, Legenstein & Maass, and the fit metrics R2 and NRMSE.
//
// # Notation and orientation
//
// The notation and orientation are those of package neurotab (see "Matrix
// orientation" in [github.com/neurotab/neurotab]): rows are time. X is T×F
// (T samples, F features: reservoir states, lagged traces…), Y is T×K (K
// targets: next-step calcium of K neurons…). A readout holds an F×K weight
// matrix W and an intercept b of length K and predicts
//
//	Ŷ = X W + 1 bᵀ          (one sample: ŷ = Wᵀx + b)
//
// W is the transpose of the K×F "W_out" of the echo-state literature
// (Lukoševičius 2012, "A practical guide to applying echo state networks",
// Neural Networks: Tricks of the Trade, LNCS 7700:659–686,
// doi:10.1007/978-3-642-35289-8_36), so that rows of X and Ŷ stay time.
// Units are those of the data: W carries target units per feature unit.
//
// # Estimator shape
//
// Ridge, RLS, LMS, EH, Hebbian and Classifier have the estimator shape of
// package neurotab (see "Estimators" there): the exported fields are the
// configuration (the zero value is usable), Check validates it, Fit(X, Y)
// learns (Fit(X) for the unsupervised Hebbian, Fit(seqs, labels) for
// Classifier), Parameters gives the configuration for provenance, and the
// fit is read with PredictTo, PredictVec, WeightsTo and InterceptTo, which
// are one implementation shared by every readout (Classifier reads its
// classes with ScoresTo and ClassesTo).
//
// # Streaming
//
// Ridge accumulates sufficient statistics (means and centred cross-product
// matrices) batch by batch with Accumulate and solves once with Solve, so a
// readout can eat Arrow record batches one at a time and re-solve for
// another Alpha without a second pass over the data; two batches give the
// same fit as one. RLS, LMS, EH and Hebbian update their weights one sample
// at a time with Update.
//
// # Errors, panics and concurrency
//
// Data and parameter problems (mismatched shapes, a negative Alpha, NaN or
// Inf in the data, a system that is not positive definite, a result asked
// of an unfitted readout) are returned as errors that start with
// "readout:", name the offending value, and wrap one of neurotab.ErrShape,
// ErrParam, ErrNotFinite, ErrSingular or ErrNotFitted. Only the
// extract-into-destination methods (PredictTo, WeightsTo, InterceptTo)
// panic, on a destination of the wrong size, as gonum's do. Nothing needs
// releasing.
//
// A readout is not safe for concurrent mutation (Fit, Accumulate, Solve,
// Update, Reset); once fitted, the result methods only read it and may run
// concurrently.
package readout
