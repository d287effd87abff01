// Package spectral computes frequency-resolved functional connectivity
// between every pair of neurons (or binned spike/event counts): coherence,
// imaginary coherence, the phase-locking value, the pairwise phase
// consistency, the phase-lag index and its weighted and debiased forms, on
// Welch or multitaper cross-spectra, over epochs (trials) or the segments
// of one long recording. The measures are MNE-connectivity's
// spectral_connectivity_epochs definitions, reimplemented (see Method).
//
// # Notation and orientation
//
// The notation and orientation are those of package neurotab (see "Matrix
// orientation" in [github.com/neurotab/neurotab]). An epoch is a T × N
// trace matrix: rows are time, columns are neurons. L is the segment
// length in samples, fs the sample rate in Hz, f a frequency in Hz (one of
// the DFT bins k·fs/L, k = 0 … ⌊L/2⌋). Result matrices are N × N,
// C[i][j] from the cross-spectrum
//
//	S_ij(f) = X_i(f) X_j(f)*
//
// (MNE's order; scipy.signal.csd(x, y) conjugates the other factor), so
// the phase of S_ij is the phase of i minus that of j: positive imaginary
// parts mean i leads j. Every measure is symmetric but the imaginary
// coherence, which is antisymmetric. The diagonal (no pair) is NaN.
//
// # Input
//
// Fit takes epochs as matrices; FitRecordings takes them as
// table.Recording values (trials from the traces table, or binned spikes
// and events: eventdata.BinRates gives one recording of rates per sample);
// FitContinuous cuts one long recording into segments.
//
// # Expectations
//
// Each epoch's cross-spectrum is the mean over its segments (Welch) or
// its segments and tapers (multitaper, weighted by concentration) — see
// Spectrum; the expectations E[·] of the measures then run over epochs. In
// FitContinuous every segment of the recording is an epoch, so they run
// over segments. The phase measures need several epochs: with one, PLV
// and PLI are 1 (or 0), and PPC and debiased wPLI² are undefined (an
// error). PLV is biased upwards by about sqrt(π/(4n)) for n epochs of
// independent signals (its expectation under independence); PPC and the
// debiased wPLI² are unbiased.
//
// # Errors
//
// A configuration error wraps neurotab.ErrParam, too few epochs or samples
// and mismatched shapes neurotab.ErrShape, NaN or ±Inf input
// neurotab.ErrNotFinite; messages start with "spectral: ". A neuron with a
// zero spectrum at a frequency (a constant trace) gives NaN coherence and
// PLV there and 0 for the phase-lag indices, as MNE does.
//
// # Cost
//
// Fit takes one real FFT of length L per neuron, segment and taper
// (O(N·S·K·L log L) for S segments and K tapers), then one complex dot
// product per pair and frequency over the S·K coefficient columns of an
// epoch: O(N² F S K / 2) for F kept frequencies. The coherences, linear in
// S_ij, sum the columns of several epochs in one dot product (up to 256
// columns, F·N·256 complex numbers of scratch); the phase measures need
// each epoch's S_ij on its own. A 64-neuron × 100,000-sample recording's
// Welch coherence (L = 256, half overlap: 780 segments, 2,016 pairs, 129
// frequencies) takes 0.7 s a fit on an idle core, up to 2 s on a busy
// shared 2-core machine (BenchmarkWelchCoherence: 1,000–2,900 pairs/s);
// the dot products are half of it, the FFTs a quarter.
package spectral
