package homogenize

import (
	"fmt"
	"strconv"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
)

// Smoother names a causal smoothing method.
type Smoother string

// Smoothing methods.
const (
	SmoothMovingAverage Smoother = "moving_average" // MovingAverage, Options.Window
	SmoothGaussian      Smoother = "gaussian"       // GaussianSmooth, Options.Sigma
	SmoothExponential   Smoother = "exponential"    // ExponentialSmooth, Options.Alpha
	SmoothNone          Smoother = "none"
)

// Normalization names a per-neuron normalization.
type Normalization string

// Normalizations.
const (
	NormalizeZScore Normalization = "zscore" // ZScore
	NormalizeCausal Normalization = "causal" // CausalNormalize
	NormalizeNone   Normalization = "none"
)

// FillMethod names how NaN gaps are filled.
type FillMethod string

// Fill methods.
const (
	FillNaNLinear FillMethod = "linear" // FillLinear
	FillNaNNone   FillMethod = "none"   // NaNs stay (and spread through smoothing and resampling)
)

// Published defaults (Simeon et al. 2024, arXiv:2411.12091; values from
// worm-data-preprocess preprocess/config.py and preprocess_traces).
const (
	DefaultMinSamples = 600   // recordings with fewer samples are skipped
	DefaultWindow     = 15    // moving-average window, samples (made odd)
	DefaultSigma      = 5.0   // half-Gaussian SD, samples
	DefaultAlpha      = 0.5   // exponential smoothing factor
	DefaultDt         = 0.333 // resampling step, s
)

// Options configures Homogenize. The zero value is the published pipeline:
// each empty or zero field means its default, and the booleans are phrased
// so that false is the published behaviour.
type Options struct {
	// MinSamples: recordings with fewer samples are skipped (SkipTooShort).
	// 0 means 600; negative means no minimum.
	MinSamples int
	// AllowUnlabeled keeps recordings without any labeled neuron (the
	// published pipeline skips them: SkipNoLabeled).
	AllowUnlabeled bool

	// FillNaN: "" or "linear" (FillLinear), or "none".
	FillNaN FillMethod
	// DropAllNaN drops all-NaN traces with a note; by default an all-NaN
	// trace is a *DataError wrapping neurotab.ErrNotFinite.
	DropAllNaN bool

	// Normalize: "" or "zscore" (ZScore), "causal" (CausalNormalize), "none".
	Normalize Normalization

	// Smooth: "" or "moving_average", "gaussian", "exponential", "none".
	Smooth Smoother
	Window int     // moving-average window in samples (made odd; averages Window/2+1 samples, see MovingAverage); 0 means 15
	Sigma  float64 // half-Gaussian SD in samples; 0 means 5
	Alpha  float64 // exponential factor in (0, 1]; 0 means 0.5

	// Dt is the resampling step in seconds; 0 means 0.333.
	Dt float64
	// NoResample keeps the original (re-based) time grid.
	NoResample bool

	// UnlabeledSlots gives unlabeled traces the slots Atlas.Len(),
	// Atlas.Len()+1, … in raw column order; by default they have none (-1).
	UnlabeledSlots bool
	// DropUnlabeled drops unlabeled traces (with a note) instead of keeping
	// them under their ROI ids.
	DropUnlabeled bool
	// OriginalAsGiven stores the lab's values (NaN gaps included) as
	// Recording.Original instead of the filled and normalized traces on the
	// original grid (the published original_calcium_data).
	OriginalAsGiven bool

	// Atlas gives the canonical labels and slots; nil means
	// connectome.DefaultAtlas() (the 300 neurons).
	Atlas *connectome.Atlas
}

// Defaults returns the published defaults with every field spelled out.
// Options{} means the same.
func Defaults() Options {
	return Options{
		MinSamples: DefaultMinSamples,
		FillNaN:    FillNaNLinear,
		Normalize:  NormalizeZScore,
		Smooth:     SmoothMovingAverage,
		Window:     DefaultWindow,
		Sigma:      DefaultSigma,
		Alpha:      DefaultAlpha,
		Dt:         DefaultDt,
		Atlas:      connectome.DefaultAtlas(),
	}
}

// resolve fills zero fields with defaults and checks the values.
func (o Options) resolve() (Options, error) {
	d := Defaults()
	if o.MinSamples == 0 {
		o.MinSamples = d.MinSamples
	}
	if o.FillNaN == "" {
		o.FillNaN = d.FillNaN
	}
	if o.Normalize == "" {
		o.Normalize = d.Normalize
	}
	if o.Smooth == "" {
		o.Smooth = d.Smooth
	}
	if o.Window == 0 {
		o.Window = d.Window
	}
	if o.Sigma == 0 {
		o.Sigma = d.Sigma
	}
	if o.Alpha == 0 {
		o.Alpha = d.Alpha
	}
	if o.Dt == 0 {
		o.Dt = d.Dt
	}
	if o.Atlas == nil {
		o.Atlas = d.Atlas
	}
	switch o.FillNaN {
	case FillNaNLinear, FillNaNNone:
	default:
		return o, fmt.Errorf("homogenize: unknown NaN fill %q (want linear or none): %w", o.FillNaN, neurotab.ErrParam)
	}
	switch o.Normalize {
	case NormalizeZScore, NormalizeCausal, NormalizeNone:
	default:
		return o, fmt.Errorf("homogenize: unknown normalization %q (want zscore, causal or none): %w", o.Normalize, neurotab.ErrParam)
	}
	switch o.Smooth {
	case SmoothMovingAverage, SmoothGaussian, SmoothExponential, SmoothNone:
	default:
		return o, fmt.Errorf("homogenize: unknown smoother %q (want moving_average, gaussian, exponential or none): %w", o.Smooth, neurotab.ErrParam)
	}
	switch {
	case o.Window < 1:
		return o, fmt.Errorf("homogenize: moving-average window %d is below 1: %w", o.Window, neurotab.ErrParam)
	case !(o.Sigma > 0) || o.Sigma > 1e6:
		return o, fmt.Errorf("homogenize: Gaussian sigma %g is not in (0, 1e6] samples: %w", o.Sigma, neurotab.ErrParam)
	case !(o.Alpha > 0 && o.Alpha <= 1):
		return o, fmt.Errorf("homogenize: exponential alpha %g is not in (0, 1]: %w", o.Alpha, neurotab.ErrParam)
	case !(o.Dt > 0) || o.Dt > 1e9:
		return o, fmt.Errorf("homogenize: resampling step %g s is not a positive number: %w", o.Dt, neurotab.ErrParam)
	}
	return o, nil
}

// Validate reports whether the options are usable: nil, or an error
// naming the option, wrapping neurotab.ErrParam.
func (o Options) Validate() error {
	_, err := o.resolve()
	return err
}

// SmoothMethod returns the smooth_method string recorded in the output:
// "moving_average(15)", "gaussian(5)", "exponential(0.5)" or "none".
func (o Options) SmoothMethod() string {
	o, _ = o.resolve()
	switch o.Smooth {
	case SmoothMovingAverage:
		return "moving_average(" + strconv.Itoa(o.Window) + ")"
	case SmoothGaussian:
		return "gaussian(" + fmtFloat(o.Sigma) + ")"
	case SmoothExponential:
		return "exponential(" + fmtFloat(o.Alpha) + ")"
	}
	return string(o.Smooth)
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Parameters returns every setting, defaults resolved, for provenance (the
// parameters JSON in file metadata). Keys are stable snake_case names; the
// values are string, int, float64 or bool. Options that do not resolve give
// the map with an "error" entry.
func (o Options) Parameters() map[string]any {
	r, err := o.resolve()
	original := "filled_normalized"
	if r.OriginalAsGiven {
		original = "as_given"
	}
	unlabeled := "keep_no_slot"
	switch {
	case r.DropUnlabeled:
		unlabeled = "drop"
	case r.UnlabeledSlots:
		unlabeled = "keep_slots_after_canonical"
	}
	p := map[string]any{
		"min_samples":     r.MinSamples,
		"require_labeled": !r.AllowUnlabeled,
		"labels":          "connectome.Atlas.Normalize, exact canonical neurons only; duplicates keep the first trace",
		"atlas_size":      r.Atlas.Len(),
		"unlabeled":       unlabeled,
		"time_origin":     "first sample",
		"fill_nan":        string(r.FillNaN),
		"drop_all_nan":    r.DropAllNaN,
		"normalize":       string(r.Normalize),
		"smooth":          string(r.Smooth),
		"smooth_method":   r.SmoothMethod(),
		"window":          r.Window,
		"sigma":           r.Sigma,
		"alpha":           r.Alpha,
		"resample":        !r.NoResample,
		"dt":              r.Dt,
		"block_size":      BlockSize,
		"order":           "fill_nan,normalize,smooth,resample",
		"original":        original,
	}
	if err != nil {
		p["error"] = err.Error()
	}
	return p
}
