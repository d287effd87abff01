package fc

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/spectral"
	"github.com/neurotab/neurotab/formats/table"
)

// The spectral kinds of Config: package spectral's measures (MNE-connectivity
// definitions) over the epochs cut from each recording — segments of
// Config.Segment, half overlapping, each one epoch (spectral.Connectivity's
// FitContinuous) — averaged over the band [Config.FMin, Config.FMax] Hz.
const (
	KindCoherence     Kind = "coherence"      // |E[S_ij]| / sqrt(E[S_ii] E[S_jj])
	KindImagCoherence Kind = "imcoh"          // Im E[S_ij] / sqrt(E[S_ii] E[S_jj]), antisymmetric
	KindPLV           Kind = "plv"            // phase-locking value |E[S_ij/|S_ij|]|
	KindPLI           Kind = "pli"            // phase-lag index |E[sign Im S_ij]|
	KindWPLI          Kind = "wpli"           // weighted PLI |E[Im S_ij]| / E[|Im S_ij|]
	KindWPLI2Debiased Kind = "wpli2_debiased" // debiased squared wPLI (Vinck et al. 2011)
	KindPPC           Kind = "ppc"            // pairwise phase consistency (Vinck et al. 2010)
)

// spectralMethods are the spectral.Method of the spectral kinds.
var spectralMethods = map[Kind]spectral.Method{KindCoherence: spectral.MethodCoherence, KindImagCoherence: spectral.MethodImagCoherence,
	KindPLV: spectral.MethodPLV, KindPLI: spectral.MethodPLI, KindWPLI: spectral.MethodWPLI,
	KindWPLI2Debiased: spectral.MethodWPLI2Debiased, KindPPC: spectral.MethodPPC}

// DefaultSegment is the segment length, in samples, of the spectral kinds
// when Config.Segment is 0 (shortened to the recording when it has fewer
// samples).
const DefaultSegment = 256

// spectralKind reports whether k is one of the spectral kinds.
func (k Kind) spectralKind() bool { _, ok := spectralMethods[k]; return ok }

// Signed reports whether the kind's values can be negative (correlations,
// partial correlations, covariances, precisions, tangent vectors and the
// imaginary coherence), so that a figure needs a scale centred on 0.
func (k Kind) Signed() bool {
	switch k {
	case KindGranger, KindTE, KindCoherence, KindPLV, KindPLI, KindWPLI, KindPPC, KindWPLI2Debiased:
		return false
	}
	return true
}

// checkSpectral checks Segment, FMin, FMax and Spectrum for kind k.
func (c *Config) checkSpectral(k Kind) error {
	spec := k.spectralKind()
	switch {
	case !spec && (c.Segment != 0 || c.FMin != 0 || c.FMax != 0 || c.Spectrum != ""):
		return fmt.Errorf("fc: segment, fmin, fmax and spectrum are for the spectral kinds, not %s: %w", k, neurotab.ErrParam)
	case c.Segment < 0:
		return fmt.Errorf("fc: segment %v < 0: %w", c.Segment, neurotab.ErrParam)
	case !(c.FMin >= 0) || math.IsInf(c.FMin, 0) || !(c.FMax >= 0) || math.IsInf(c.FMax, 0):
		return fmt.Errorf("fc: band [%v, %v] Hz, want finite frequencies ≥ 0: %w", c.FMin, c.FMax, neurotab.ErrParam)
	case c.FMax != 0 && c.FMax < c.FMin:
		return fmt.Errorf("fc: fmax %v Hz < fmin %v Hz: %w", c.FMax, c.FMin, neurotab.ErrParam)
	}
	if _, err := spectral.ParseSpectrum(c.Spectrum); err != nil {
		return fmt.Errorf("fc: %w", err)
	}
	return nil
}

// segmentSamples is Config.Segment in samples of rec (DefaultSegment, or
// the whole recording when shorter, for 0).
func segmentSamples(rec *table.Recording, cfg Config) (int, error) {
	T := len(rec.Time)
	if cfg.Segment == 0 {
		return min(DefaultSegment, T), nil
	}
	dt := table.MedianDt(rec.Time)
	if !(dt > 0) {
		return 0, fmt.Errorf("%d sample times give no sample interval to convert the segment: %w", T, neurotab.ErrShape)
	}
	seg := int(math.Round(cfg.Segment.Seconds() / dt))
	if seg < 2 {
		return 0, fmt.Errorf("segment %v is %d samples (median interval %.4g s), want at least 2: %w", cfg.Segment, seg, dt, neurotab.ErrParam)
	}
	return seg, nil
}

// spectralMatrix fits kind k to X (T × N) with segments of seg samples at
// sample rate fs and returns the band average of the measure.
func spectralMatrix(X mat.Matrix, k Kind, p params, cfg Config) (*mat.Dense, error) {
	c := spectral.Connectivity{Method: spectralMethods[k], Spectrum: spectral.Spectrum(cfg.Spectrum),
		SegmentLength: p.seg, Overlap: p.seg / 2, FMin: cfg.FMin, FMax: cfg.FMax, SampleRate: p.fs}
	if err := c.FitContinuous(X); err != nil {
		return nil, err
	}
	var m mat.Dense
	if err := c.MatrixTo(&m, spectral.Band{}); err != nil {
		return nil, err
	}
	return &m, nil
}

// spectralName is the measure column of spectral kind k: the
// MNE-connectivity method name, with the band when one is set
// ("coh_0.1-0.5Hz"; an open upper end is written as "nyquist").
func spectralName(k Kind, cfg Config) string {
	s := string(spectralMethods[k])
	if cfg.FMin == 0 && cfg.FMax == 0 {
		return s
	}
	hi := "nyquist"
	if cfg.FMax > 0 {
		hi = strconv.FormatFloat(cfg.FMax, 'g', -1, 64)
	}
	return s + "_" + strconv.FormatFloat(cfg.FMin, 'g', -1, 64) + "-" + hi + "Hz"
}
