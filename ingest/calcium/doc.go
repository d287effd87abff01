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
// detection order and Lookup finds one by name, ignoring case (an unknown
// name suggests the closest one); Detect returns the first adapter whose
// Match accepts a path, and Expand turns a folder into the files an adapter
// reads. File signatures are checked by formats/sniff.
//
//	Yemini2021         Head_/Tail_Activity_*.mat (MAT v5): norm_traces, neurons + is_L, fps; first 4 frames dropped
//	Lin2023            *.mat (MAT v5): corrected_F rows with use_flag > 0, proofread_neurons, times
//	Kato2015           WT_Stim/WT_NoStim.mat (MAT v7.3): struct of per-worm cells traces|deltaFOverF_bc, IDs|NeuronNames, timeVectorSeconds|tv
//	Nichols2017        n2_/npr1_let/prelet.mat (MAT v7.3): the same with traces, IDs, timeVectorSeconds
//	Skora2018          WT_fasted/WT_starved.mat (MAT v7.3): the same
//	Kaplan2020         Neuron2019_Data_*.mat (MAT v7.3): struct *_Neuron2019 of traces_bleach_corrected, neuron_ID, time_vector
//	Uzel2022           Uzel_WT.mat (MAT v7.3): struct Uzel_WT of traces, IDs, tv
//	Leifer2023         {i}_gcamp.txt, {i}_labels.txt, {i}_t.txt (whitespace text)
//	Flavell2023        WormWideWeb *.json or *.h5: trace_array, labeled (1-based), timestamp_confocal
//	Dag2023            *-data.h5: gcamp/traces_array_F_F20, timing/timestamp_confocal; labels from NeuroPAL_labels_dict.json
//	Nejatbakhsh2020    *.nwb: CalciumActivity/SignalRawFluor/SignalCalciumImResponseSeries, NeuronIDs/labels; 4 Hz without a time base
//	Venkatachalam2024  *.zip of one CSV: metadata columns incl. neuron, frame columns at 0.375 s
//	nwb                any NWB file: every RoiResponseSeries, labels from the PlaneSegmentation (or ROI ids)
//	suite2p            plane folder: F − 0.7·Fneu for cells (iscell[:,0] > 0), fs from ops.npy or SampleRate
//	generic            CSV/TSV with a header of names (TimeColumn or SampleRate); NPY T×N (Names, SampleRate)
//
// In the Zimmer lab's MAT v7.3 files (Kato, Nichols, Skora, Kaplan, Uzel)
// one file holds many worms: one Raw per cell element, named
// "<struct>_worm<k>". A label element there is a name, [] (unidentified,
// read as "") or a cell of candidate names, of which the first non-empty
// one is kept (the list is noted).
//
// Every decision an adapter makes (frames dropped, which field became the
// trace, rows left out) is recorded in Raw.Notes, which provenance keeps.
//
// # Errors
//
// Bad input returns an error on one line naming the file and the field,
// usually an *Error: `x.mat: variable "norm_traces": missing`,
// `3_t.txt: 900 times for 901 samples`, `x.zip: empty zip`. Text tables
// (the generic CSV/TSV, the CSV in a Venkatachalam zip, Leifer's text
// matrices) give a *csvtab.Error naming file:line:column instead:
// `3_gcamp.txt:7:3: "x" is not a number`, `x.zip: x.csv:2:4: column "1":
// "x" is not a number`. Every error wraps a shared sentinel of neurotab
// (ErrMalformed for a file that breaks its layout, ErrNotFound for a
// missing variable or column, ErrType for a variable of another class).
// Readers never panic on malformed files. Every returned Raw passes
// ingest.Raw.Validate.
//
// Memory: values are plain Go slices and gonum matrices; nothing needs
// releasing.
package calcium
