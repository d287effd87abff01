// Package calcium reads calcium-imaging recordings from the files labs
// publish into ingest.Raw values: one Raw per worm or recording, with the
// traces exactly as stored, the lab's own labels and the lab's time base.
// Homogenization (label normalization, smoothing, resampling, z-scoring) is
// done later by another package; an adapter only reads.
//
// # Notation and orientation
//
// T is the number of samples, N the number of traces. Raw.Traces is T×N:
// rows are time, columns are traces, whatever the orientation of the file
// (Lin 2023's corrected_F and WormWideWeb's trace_array are N×T and are
// transposed; suite2p's ROI × frame arrays likewise). Raw.Time holds the T
// sample times in seconds; it need not start at 0 (Yemini 2021 starts at
// 4/fps after dropping four frames). NaN marks gaps and is kept; traces that
// are NaN throughout are kept and listed in Raw.Notes.
//
// # Adapters
//
// Each source is an Adapter: a name (also Raw.Dataset), a description, the
// citation, Match for --source auto and Read. Adapters lists them in
// detection order and Lookup finds one by name; Detect returns the first
// adapter whose Match accepts a path.
//
//	Yemini2021         Head_/Tail_Activity_*.mat (MAT v5): norm_traces, neurons + is_L, fps; first 4 frames dropped
//	Lin2023            *.mat (MAT v5): corrected_F rows with use_flag > 0, proofread_neurons, times
//	Leifer2023         {i}_gcamp.txt, {i}_labels.txt, {i}_t.txt (whitespace text)
//	Flavell2023        WormWideWeb *.json: trace_array, labeled (1-based), timestamp_confocal
//	Venkatachalam2024  *.zip of one CSV: metadata columns incl. neuron, frame columns at 0.375 s
//	suite2p            plane folder: F − 0.7·Fneu for cells (iscell[:,0] > 0), fs from ops.npy or SampleRate
//	generic            CSV/TSV with a header of names (TimeColumn or SampleRate); NPY T×N (Names, SampleRate)
//
// The sources stored as HDF5 (Kato 2015, Nichols 2017, Skora 2018, Kaplan
// 2020, Uzel 2022, Nejatbakhsh 2020, Dag 2023, the Flavell 2023 .h5 export,
// NWB ophys) join the list, one file each, once the HDF5 reader is in.
//
// Every decision an adapter makes (frames dropped, which field became the
// trace, rows left out) is recorded in Raw.Notes, which provenance keeps.
//
// # Errors
//
// Bad input returns an error on one line naming the file and the field,
// usually an *Error: `x.mat: variable "norm_traces": missing`,
// `3_t.txt: 900 times for 901 samples`, `x.zip: empty zip`. Readers never
// panic on malformed files. Every returned Raw passes ingest.Raw.Validate.
//
// Memory: values are plain Go slices and gonum matrices; nothing needs
// releasing.
package calcium
