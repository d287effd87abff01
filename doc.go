// Package neurotab is the vocabulary every neurotab package shares: the
// error sentinels (errors.go), the seed type (seed.go), and the conventions
// below, which package docs link to instead of restating them. It imports
// nothing of neurotab and holds no algorithm.
//
// # Notation
//
//	T   time samples (rows of a trace matrix)
//	N   neurons (columns of a trace matrix; rows and columns of an N × N matrix)
//	F   features (reservoir units, lagged inputs) of a readout
//	K   targets of a readout; states of an HMM
//	L   lags
//
// Units are in names or types: times are seconds (float64) except the events
// table (int64 µs); durations at API boundaries are time.Duration.
//
// # Matrix orientation
//
// One orientation for every package; a doc comment that takes or returns a
// matrix says which of these it is.
//
//	traces           X[t][n]     T × N, rows are time (table.Recording.Data, every estimator's input)
//	adjacency        A[pre][post] N × N, row is the presynaptic neuron (connectome.Adjacency, the edges table)
//	recurrent weights W[post][pre] N × N, used as x ← W x (synth.Network.W, reservoirs); W = Aᵀ
//	readout weights  W[f][k]     F × K, used as ŷ = x W + b (fit/readout)
//	FC matrices      C[i][j]     N × N, symmetric unless the measure is directed, then C[source][target]
//
// Signs of Dale's law belong to the presynaptic neuron: an adjacency is
// signed as diag(s)·A (row pre scaled by s[pre]), recurrent weights as
// W·diag(s) (column pre scaled by s[pre]). connectome.SignedAdjacency does
// it, so no caller picks the side by hand.
//
// # Estimators
//
// Every estimator in fit/ and analysis/ has one shape (gonum's stat.PC,
// scikit-learn's "parameters in the constructor, learned state after fit"):
//
//   - configuration is the exported fields of a struct; the zero value is
//     usable (documented defaults); Fit never changes them;
//   - Check() error validates the configuration (errors wrap ErrParam);
//   - Fit takes matrices in the orientation above — Fit(X) for an
//     unsupervised estimator, Fit(X, Y) for a supervised one — and returns
//     only an error; what it learned is kept on the receiver;
//   - results are extracted with …To(dst) methods that resize an empty dst
//     and panic on a dst of the wrong size (gonum's idiom), and predictions
//     with PredictTo(dst, X);
//   - Parameters() map[string]any gives the configuration as provenance
//     parameters (table.Provenance.Parameters);
//   - a method that needs a fit, called before one, returns ErrNotFitted.
//
// Estimators know matrices, not tables. The one adapter from tables to
// matrices is table.Recording (T × N Data with neuron labels) and the
// recording iterator of formats/table; a command reads recordings, fits, and
// writes a result table keyed by source_dataset and worm.
//
// # Errors
//
// Every error wraps one sentinel of errors.go, so errors.Is(err,
// neurotab.ErrMalformed) holds for any damaged input whatever its format.
// Formats keep error types for their location fields, named alike
// everywhere: File (as given by the caller), Path (object inside the file),
// Offset (bytes from the start of the file), Line and Column (1-based, text),
// Err (the cause, wrapping a sentinel; returned by Unwrap). The message is
// one line: the file first, then the location, then what is wrong:
//
//	rec.raw: offset 1234: time runs backwards: 1000 after 1200
//
// Errors with no file (an estimator's, a configuration's) start with the
// package name instead: "readout: Alpha -1 < 0: invalid parameter".
// Sentinel texts carry no package prefix.
//
// # Seeds
//
// Every random step takes a Seed (or a math/rand/v2 source built from one),
// never a package-level generator; the same seed gives the same bytes, and
// the seed is recorded in provenance.
package neurotab
