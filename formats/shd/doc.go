// Package shd reads spike datasets stored in the HDF5 layout of the Spiking
// Heidelberg Digits (SHD) and Spiking Speech Commands (SSC) (Cramer, Stradmann,
// Schemmel and Zenke 2022, "The Heidelberg Spiking Data Sets for the
// Systematic Evaluation of Spiking Neural Networks", IEEE TNNLS 33(7):2744–2757,
// doi:10.1109/TNNLS.2020.3044364), and any other data set converted to it
// (N-TIDIGITS-style audio spike files):
//
//	/spikes/times   S variable-length float sequences, seconds from the sample's start
//	/spikes/units   S variable-length uint16 sequences, the channel of each spike
//	/labels         S integer class labels
//	/extra/speaker  S speaker ids (optional); /extra/keys the class names (optional)
//
// # Notation and units
//
// S is the number of samples (utterances), n_i the spike count of sample i.
// Sample(i) returns times in seconds (float32, as stored) and channels
// (uint16); in SHD and SSC the channels are the 700 outputs of the cochlea
// model (Cramer et al. 2022, Sec. III). The streaming decoder (Next) turns
// them into events.Batch rows: T = round(time × 10⁶) µs, X = channel, Y = 0,
// P = 1. Time restarts at 0 with every sample; Next never mixes two samples in
// one call, and Current reports the sample of the events it appended.
//
// # Memory
//
// The formats/hdf5 reader decodes a variable-length dataset as a whole, so
// Open reads every sample once into two flat slices (6 bytes per spike: the
// SHD training set's spikes fit in a few hundred MB). Slices returned by
// Sample are views into them: do not modify. Nothing needs releasing but the
// File (Close). Set hdf5.File.MaxAlloc and use FromHDF5 to bound what a
// damaged file can allocate (the decoded spike
// sequences count against it as a whole).
//
// # Errors
//
// HDF5-level errors are returned as formats/hdf5 gives them (file, object
// path, byte offset). Layout faults (a missing or non-vlen spikes dataset,
// times and units of different lengths, a labels count that is not S) and
// stream faults (a NaN or negative time, time running backwards inside a
// sample) are *Error values naming the file, the object path and the sample,
// wrapping neurotab.ErrMalformed, neurotab.ErrOutOfRange or
// neurotab.ErrTimeOrder. Under Options.Lenient a bad spike time is dropped
// and counted in Stats instead.
package shd
