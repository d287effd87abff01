// Package pipeline runs fitting tasks on the recordings of a traces table:
// the user path from a table written by 'neurotab ingest' to predictions,
// metrics, saved models and figures.
//
// # Tasks
//
// A recording is T samples × N neurons (rows are time, as in package
// neurotab). Each task has input neurons, target neurons and a horizon k:
//
//   - TaskForecast: inputs and targets are all neurons; the target of the
//     input sample x[t] is x[t+k] (Forecast.Horizon).
//   - TaskHeldout: the targets are Forecast.Heldout (default every fifth
//     neuron, indices 0, 5, 10, …), the inputs the others, k = 0: the
//     held-out neurons at t are predicted from the others at t.
//   - TaskGenerate: all neurons, k = 1 in training; on the test span the
//     methods run free from the last observed sample x[c−1]: each
//     prediction x̂[t+1] is the next input (the reservoir is driven by it,
//     the autoregression's lags hold it). MetricValidSteps counts the steps
//     h before e[h] = √(mean_j ((x̂_j − x_j)/σ_j)²) first exceeds
//     Forecast.Tolerance (σ_j over the train split).
//
// Three methods are fitted on the same samples and scored on the same
// samples:
//
//   - "reservoir": an echo-state network (package fit/reservoir, one input
//     per input neuron; or connectome-constrained, see Connectome) driven by
//     the inputs gives activity s[t]; a readout (Readout: ridge, RLS, LMS,
//     Oja subspace + ridge, EH) maps the features [s[t], x_in[t]] — the
//     states with the input, the direct connection of Lukoševičius 2012
//     (doi:10.1007/978-3-642-35289-8_36, eq. 4) — to the targets; with
//     Forecast.PerNeuron one readout per target neuron j maps
//     [s[t], x_j[t], …, x_j[t−p+1]];
//   - "persistence": x̂[t+k] = x[t] (heldout: the last training sample of
//     the neuron; generate: x[c−1] held), nothing fitted;
//   - "autoregressive": a ridge regression on the last p samples of the
//     inputs, [x[t], …, x[t−p+1]] (a vector autoregression of order p in
//     direct k-step form; per neuron with PerNeuron).
//
// With Forecast.Residual both fitted methods predict the change,
// x̂[t+k] = x[t] + Wᵀf[t] + b with the readout fitted to x[t+k] − x[t], so
// the ridge penalty shrinks them towards persistence rather than towards
// the training mean; Forecast.NoIntercept drops b (a drift of the training
// span is then not extrapolated). Together with PerNeuron these are the
// settings that beat persistence at horizon 15 on the real Dag2023
// recording (see TestFitReservoirDag2023 in internal/cli).
//
// # Time split
//
// With T samples and train fraction f, the cut is c = round(f·T). A sample
// pair (x[t], x[t+k]) is in the train split when w ≤ t and t+k < c (its
// target lies before the cut, so no test sample is ever seen in training),
// and in the test split when c ≤ t < T−k (generate: c−1 ≤ t < T−1). w is
// the washout: the reservoir's initial transient (at least p−1, so the
// autoregression has its history), dropped from training for every method
// alike. The reservoir runs over the whole recording once; its state at t
// depends only on x[0..t], so running through the train split into the
// test split leaks nothing.
//
// # Metrics
//
// For each method, split and target neuron: R² (readout.R2), NRMSE
// normalized by the target's standard deviation (MetricNRMSE, "nrmse_sd")
// and by its range (MetricNRMSERange, "nrmse_range"), Pearson's r; the
// recording's figure (Neuron "") is the mean over neurons of the finite
// values (scikit-learn's uniform average). MetricPVar (CURBD's pVar of all
// targets at once) and MetricValidSteps exist only for the recording.
//
// # Models, searches, shards
//
// Fit returns the trained Model (reservoir weights and both readouts as
// affine maps); Model.Save writes a versioned folder (model.json and .npy
// arrays, see Model), LoadModel reads it and Model.Apply reruns the task
// without refitting — on the training data with identical numbers. Search
// plans a random or grid search over ρ*, α, input scaling and ridge,
// scored by RunSearch on a validation span carved from the training span;
// Shard splits recordings or trials for array jobs.
//
// Recordings are streamed one at a time from a table.RecordingReader (Run,
// RunModel, Each); nothing holds more than one recording. The reservoir's
// weights come from Forecast.Reservoir.Seed (neurotab.Seed): the same
// configuration gives the same numbers bit for bit. Errors start with
// "pipeline:" and wrap neurotab.ErrParam (a bad configuration), ErrShape (a
// recording too short for the horizon and split, a constant target),
// ErrNotFinite (a NaN or Inf sample, a diverging readout), ErrNotFound (a
// heldout neuron, a connectome or a model's neuron the recording lacks) or
// ErrUnsupported (a model folder of another version), naming the
// recording or file.
package pipeline
