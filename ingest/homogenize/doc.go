// Package homogenize turns one raw calcium-imaging recording (ingest.Raw)
// into one homogenized recording (table.Recording) the way the published
// homogenized C. elegans dataset was made (Simeon et al., "Homogenized
// C. elegans Neural Activity and Connectivity Data", arXiv:2411.12091; code:
// github.com/qsimeon/worm-data-preprocess, formerly worm-graph/preprocess),
// with every step a named option recorded in the output.
//
// # Notation
//
// T0 original samples, T homogenized samples, N kept traces (neurons). Rows
// are time, columns are neurons. Times are seconds; window lengths, Sigma
// and block sizes are in samples.
//
// # Steps (defaults reproduce the published pipeline)
//
//  1. Skip recordings with fewer than MinSamples = 600 samples (published:
//     len(time) < 600) and, after label normalization, recordings without a
//     labeled neuron. A skip is not an error: Homogenize returns a *Skip the
//     caller prints and records.
//  2. Labels go through connectome.Atlas.Normalize; only an Exact canonical
//     neuron (one of the 300) is a label. Everything else (Candidate,
//     Rejected, muscles, "") is an unlabeled trace that keeps its original
//     string as its ROI id (the raw column index when the string is empty or
//     already used). A canonical label seen twice keeps its first trace; the
//     later ones are dropped with a note (published: np.unique keeps the
//     first index of each identical string).
//  3. Time is re-based to start at 0: t ← t − t[0].
//  4. NaN gaps are filled by linear interpolation in time (FillLinear),
//     each trace on its own. The published pipeline fills gaps only in the
//     datasets that have them (Leifer2023: scikit-learn IterativeImputer,
//     random_state=0, n_nearest_features=10), which regresses each trace on
//     ten others round-robin (a multivariate, iterative, seed-dependent
//     estimate), after dropping traces whose longest NaN run exceeds 5 % of
//     T0. Linear filling uses only the trace's own neighbours in time, is
//     deterministic, and leaves every observed sample untouched; it does not
//     borrow structure from correlated neurons, so long gaps become straight
//     lines.
//  5. Per-neuron normalization on the original grid: z-score
//     (sklearn StandardScaler, population SD) or causal (running mean and
//     SD), or none. As published, normalization comes before smoothing and
//     resampling, so the final traces are close to, not exactly, zero mean
//     and unit variance.
//  6. Causal smoothing: moving average (window 15, the published
//     definition), half-Gaussian (Sigma 5 samples) or exponential
//     (Alpha 0.5), or none.
//  7. Resampling to Dt = 0.333 s: linear interpolation onto 0, Dt, 2Dt, …
//     (< T0's last time) when Dt is below the median original spacing;
//     otherwise interpolation to Dt/6 followed by means of non-overlapping
//     blocks of 6 (Grid).
//
// Original holds the traces on the original (re-based) grid after filling
// and normalization, before smoothing, as the published
// original_calcium_data; Options.OriginalAsGiven keeps the lab's values
// instead.
//
// # Slots
//
// Labeled neurons get their slot in the atlas (0…299, byte order of
// labels). The published pipeline puts unlabeled traces into randomly chosen
// free slots (np.random.choice without a seed); here they get none (slot −1)
// by default, or, with Options.UnlabeledSlots, the slots 300, 301, … in the
// order of their raw columns. Output columns are the labeled neurons in slot
// order, then the unlabeled traces in raw column order.
//
// # Precision
//
// Everything is float64 (the published code works in float32 and stores
// float16 tensors). Against the numpy/scipy/pandas float64 references of
// testdata/make_reference.py every step agrees to better than 3e-9 (the
// references are stored with 13 significant digits); the tests require 1e-6.
//
// # Errors
//
// A recording left out on purpose is a *Skip, not an error. Bad data is a
// *DataError naming the file (Raw.RawFile), the recording (Raw.Worm) and,
// when one trace is at fault, its raw column and label; it wraps a shared
// sentinel of package neurotab (test with errors.Is):
//
//   - neurotab.ErrShape: traces, labels and time vector of different
//     lengths, no traces, or too few samples to resample;
//   - neurotab.ErrTimeOrder: a time vector that does not strictly increase;
//   - neurotab.ErrNotFinite: a NaN or infinite time, an infinite sample, or
//     an all-NaN trace (Options.DropAllNaN drops such traces with a note).
//
// Options out of range wrap neurotab.ErrParam; the step functions (NewGrid,
// Resample) wrap the same sentinels with a "homogenize:" prefix.
//
// Nothing here holds Arrow memory; there is nothing to Release.
package homogenize
