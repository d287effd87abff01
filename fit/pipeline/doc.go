// Package pipeline runs fitting tasks on the recordings of a traces table:
// the user path from a table written by 'neurotab ingest' to predictions and
// metrics tables.
//
// # Forecasting
//
// The first task is k-step-ahead forecasting of every neuron of a recording
// (T samples × N neurons, rows are time, as in package neurotab): the input
// at time t is the vector x[t] of all neurons, the target is x[t+k]. Three
// methods are fitted on the same samples and scored on the same samples:
//
//   - "reservoir": an echo-state network (package fit/reservoir, N inputs)
//     driven by the traces gives states s[t]; a ridge readout
//     (fit/readout.Ridge, with intercept) maps the features [s[t], x[t]] —
//     the states concatenated with the input, the usual direct input-to-output
//     connection of Lukoševičius 2012 (doi:10.1007/978-3-642-35289-8_36,
//     eq. 4) — to x[t+k];
//   - "persistence": x̂[t+k] = x[t], nothing fitted;
//   - "autoregressive": a ridge regression of x[t+k] on the last p samples
//     of all neurons, [x[t], x[t−1], …, x[t−p+1]] (a vector autoregression
//     of order p, direct k-step form).
//
// With Forecast.Residual both fitted methods predict the change instead,
// x̂[t+k] = x[t] + Wᵀf[t] + b with the readout fitted to x[t+k] − x[t], so
// the ridge penalty shrinks them towards persistence rather than towards
// the training mean (which matters for short recordings of many neurons:
// see TestFitReservoirDag2023 in internal/cli).
//
// # Time split
//
// With T samples and train fraction f, the cut is c = round(f·T). A sample
// pair (x[t], x[t+k]) is in the train split when w ≤ t and t+k < c (its
// target lies before the cut, so no test sample is ever seen in training),
// and in the test split when c ≤ t < T−k. w is the washout: the reservoir's
// initial transient (at least p−1, so the autoregression has its history),
// dropped from training for every method alike. The reservoir runs over the
// whole recording once; its state at t depends only on x[0..t], so running
// through the train split into the test split leaks nothing.
//
// # Metrics
//
// For each method, split and neuron: R² (readout.R2), NRMSE normalized by
// the target's standard deviation (readout.NRMSE) and Pearson's r between
// prediction and target; the recording's figure (Neuron "") is the mean
// over neurons of the finite values (scikit-learn's uniform average). A
// constant target trace has NaN metrics and is left out of the mean.
//
// Recordings are streamed one at a time from a table.RecordingReader (Run);
// nothing holds more than one recording. The reservoir's weights come from
// Forecast.Reservoir.Seed (neurotab.Seed): the same configuration gives the
// same numbers bit for bit. Errors start with "pipeline:" and wrap
// neurotab.ErrParam (a bad configuration), ErrShape (a recording too short for
// the horizon and split) or ErrNotFinite (a NaN or Inf sample), naming the
// recording.
package pipeline
