// Package fc runs a functional-connectivity (FC) measure over every
// recording of a traces table and turns the result into rows of the fc
// table. It is the one adapter between the FC estimators (packages
// connectivity, covariance, directed, significance) and tables: it reads one
// recording at a time (at most Config.Jobs at once, never the whole table),
// fits the configured measure to its T × N traces, optionally tests every
// entry against surrogates, and hands a Result to a sink in input order.
//
// Matrices follow package neurotab's orientation: C[i][j] over the
// recording's neurons, symmetric for undirected kinds and C[source][target]
// for granger and te.
//
// Constant traces (a neuron whose every sample is equal, e.g. a silent
// channel of a rate table) have no defined FC: they are left out of the fit
// and their rows and columns are NaN, so they have no fc rows. A NaN or
// ±Inf sample is an error naming the recording, the neuron and the sample.
//
// Dynamic FC: with Config.Window the measure is fitted to sliding windows
// of each recording (Config.Step apart, optionally Hann-tapered), and the
// fc rows of window w carry w in the window column and the times of the
// window's first and last samples in t_start and t_end; static FC is
// window 0 over the whole recording. A trace constant within a window has
// no rows in that window. AffinityTensor stacks the windows of several
// recordings into the tensor that package ntf factorizes.
//
// The tangent kind (covariance.Tangent) compares recordings: RunTangent
// reads the input twice (the neurons all recordings share, then their
// covariances) and writes each recording's tangent vector at the group's
// geometric mean. The spectral kinds (package spectral) cut each recording
// into half-overlapping segments, each an epoch, and average the measure
// over a frequency band.
package fc

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/connectivity"
	"github.com/neurotab/neurotab/analysis/covariance"
	"github.com/neurotab/neurotab/analysis/spectral"
	"github.com/neurotab/neurotab/formats/table"
)

// Kind names an FC measure of Config.
type Kind string

// The kinds of Config.
const (
	// KindCorrelation is covariance.KindCorrelation with the configured
	// estimator (Pearson's r with the empirical estimator).
	KindCorrelation Kind = "correlation"
	// KindPartial is covariance.KindPartialCorrelation: −P_ij/sqrt(P_ii P_jj)
	// with P = Σ⁻¹ of the configured estimator.
	KindPartial Kind = "partial"
	// KindPrecision is covariance.KindPrecision, P = Σ⁻¹.
	KindPrecision Kind = "precision"
	// KindCovariance is covariance.KindCovariance, Σ.
	KindCovariance Kind = "covariance"
	// KindLagged is connectivity.MeasureLagged: the Pearson r at the lag of
	// peak |r| for |lag| ≤ MaxLag, and the peak lag in samples.
	KindLagged Kind = "lagged"
	// KindGranger is the bivariate Granger F statistic at lag MaxLag
	// (directed.Granger, C[source][target]) with its analytic p-value.
	KindGranger Kind = "granger"
	// KindTE is the Gaussian transfer entropy in nats at history length
	// MaxLag (directed.GaussianTE, C[source][target]).
	KindTE Kind = "te"
	// KindTangent is covariance.Tangent over every selected recording at
	// once (RunTangent): each recording's tangent vector
	// T_k = logm(G^(−1/2) Σ_k G^(−1/2)) at the geometric mean G of the
	// recordings' covariances (the reference point), on the neurons that
	// every recording has.
	KindTangent Kind = "tangent"
)

// Kinds lists the kinds Config accepts, in the order the command lists
// them.
func Kinds() []Kind {
	return []Kind{KindCorrelation, KindPartial, KindPrecision, KindCovariance, KindTangent, KindLagged, KindGranger, KindTE,
		KindCoherence, KindImagCoherence, KindPLV, KindPLI, KindWPLI, KindWPLI2Debiased, KindPPC}
}

// ParseKind returns the Kind named s; an unknown name wraps
// neurotab.ErrParam and lists the kinds.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds() {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("fc: unknown kind %q (want one of %s): %w", s, kindList(), neurotab.ErrParam)
}

func kindList() string {
	var s []string
	for _, k := range Kinds() {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// lagged reports whether the kind takes MaxLag.
func (k Kind) lagged() bool { return k == KindLagged || k == KindGranger || k == KindTE }

// covariance reports whether the kind takes a covariance estimator.
func (k Kind) covariance() bool {
	return k == KindCorrelation || k == KindPartial || k == KindPrecision || k == KindCovariance || k == KindTangent
}

// Estimators lists the covariance estimators of Config.Estimator.
func Estimators() []string { return []string{"empirical", "ledoit-wolf", "oas"} }

// Config configures Run. The zero value computes Pearson correlations
// (kind correlation, empirical estimator) of every recording, without a
// significance test, one recording at a time.
type Config struct {
	// Kind is the measure; "" means KindCorrelation.
	Kind Kind
	// Estimator is the covariance estimator of the covariance kinds:
	// "empirical" (also ""), "ledoit-wolf" or "oas". Other kinds take only
	// "" or "empirical".
	Estimator string
	// MaxLag is the lag range of lagged (required), granger and te (history
	// length; 0 means one sample). It is converted to samples with each
	// recording's median sample interval, rounded to the nearest sample; a
	// positive MaxLag shorter than half a sample is an error.
	MaxLag time.Duration
	// Surrogates, when > 0, tests every entry against that many circular-
	// shift surrogates (significance.Test): p_value is the surrogate p, and
	// q_value its Benjamini–Hochberg q over the recording's pairs. With 0,
	// granger keeps its analytic p-values (and their q-values); other kinds
	// have none.
	Surrogates int
	// FDR is the level α in (0, 1) at which Result.Significant counts
	// q ≤ α; 0 counts nothing. It changes no value.
	FDR float64
	// Seed seeds the surrogates (surrogate s of every recording draws from
	// Seed.Rand(s)).
	Seed neurotab.Seed
	// Jobs is the number of recordings fitted at once (0 means 1). Results
	// reach the sink in input order whatever Jobs is.
	Jobs int
	// Worms, when not empty, keeps only the recordings whose worm is
	// listed; a listed worm that is not in the input is an error.
	Worms []string
	// Window, when > 0, makes the FC dynamic: the measure is fitted to
	// sliding windows of Window (converted to samples with the recording's
	// median sample interval, rounded to the nearest sample, at least 2),
	// starting every Step (0 means Step = Window: adjacent windows), and
	// Result.Windows holds one Result per window, index w = 0, 1, … with
	// t_start and t_end the times of the window's first and last samples.
	// Only whole windows are fitted: the samples after the last whole one
	// are left out. A window longer than a recording is an error
	// (neurotab.ErrShape). With 0 the FC is static: window 0 over the whole
	// recording.
	Window, Step time.Duration
	// Taper weights the samples of each window: TaperNone ("" too) or
	// TaperHann (kind correlation with the empirical estimator only, no
	// surrogates: the Hann-weighted Pearson r of WeightedPearson).
	Taper Taper
	// Shard and Shards select every Shards-th kept recording from position
	// Shard (0 ≤ Shard < Shards; Shards 0 means 1), so Shards runs
	// partition the recordings.
	Shard, Shards int
	// Segment is the segment length of the spectral kinds (each segment,
	// half overlapping the next, is one epoch), converted to samples with
	// the recording's median sample interval; 0 means DefaultSegment
	// samples. Other kinds take 0.
	Segment time.Duration
	// FMin and FMax (Hz) bound the band the spectral kinds average over;
	// FMax 0 is the Nyquist frequency of each recording. Other kinds take 0.
	FMin, FMax float64
	// Spectrum is the spectral estimate of the spectral kinds: "welch"
	// (also "") or "multitaper" (spectral.Spectrum). Other kinds take "".
	Spectrum string
}

// Check reports whether the configuration is valid. Errors wrap
// neurotab.ErrParam.
func (c *Config) Check() error {
	k, err := c.kind()
	if err != nil {
		return err
	}
	if c.Estimator != "" && !slices.Contains(Estimators(), c.Estimator) {
		return fmt.Errorf("fc: unknown estimator %q (want one of %s): %w", c.Estimator, strings.Join(Estimators(), ", "), neurotab.ErrParam)
	}
	switch {
	case c.Estimator != "" && c.Estimator != "empirical" && !k.covariance():
		return fmt.Errorf("fc: estimator %s is for kinds correlation, partial, precision and covariance, not %s: %w", c.Estimator, k, neurotab.ErrParam)
	case c.MaxLag < 0:
		return fmt.Errorf("fc: max lag %v < 0: %w", c.MaxLag, neurotab.ErrParam)
	case c.MaxLag != 0 && !k.lagged():
		return fmt.Errorf("fc: max lag is for kinds lagged, granger and te, not %s: %w", k, neurotab.ErrParam)
	case c.MaxLag == 0 && k == KindLagged:
		return fmt.Errorf("fc: kind lagged needs a max lag: %w", neurotab.ErrParam)
	case c.Surrogates < 0:
		return fmt.Errorf("fc: surrogates %d < 0: %w", c.Surrogates, neurotab.ErrParam)
	case c.FDR != 0 && !(c.FDR > 0 && c.FDR < 1):
		return fmt.Errorf("fc: FDR level %v, want 0 < α < 1: %w", c.FDR, neurotab.ErrParam)
	case c.Jobs < 0:
		return fmt.Errorf("fc: jobs %d < 0: %w", c.Jobs, neurotab.ErrParam)
	case c.Shards < 0 || c.Shard < 0 || c.Shard >= max(c.Shards, 1):
		return fmt.Errorf("fc: shard %d/%d, want 0 ≤ k < n: %w", c.Shard, c.Shards, neurotab.ErrParam)
	case k == KindTangent && (c.Shards > 1 || c.Window > 0 || c.Surrogates > 0):
		return fmt.Errorf("fc: kind tangent is fitted to every selected recording at once, without shards, windows or surrogates: %w", neurotab.ErrParam)
	}
	if err := c.checkSpectral(k); err != nil {
		return err
	}
	return c.checkWindow(k)
}

func (c *Config) kind() (Kind, error) {
	if c.Kind == "" {
		return KindCorrelation, nil
	}
	return ParseKind(string(c.Kind))
}

// Parameters returns the configuration as provenance parameters: kind,
// estimator, max_lag_s, surrogates, fdr, shard ("k/n") and worms (when
// set). Jobs is left out: the output does not depend on it, byte for byte.
func (c *Config) Parameters() map[string]any {
	k, _ := c.kind()
	est := c.Estimator
	if est == "" {
		est = "empirical"
	}
	p := map[string]any{"kind": string(k), "estimator": est, "max_lag_s": c.MaxLag.Seconds(),
		"surrogates": c.Surrogates, "fdr": c.FDR, "shard": fmt.Sprintf("%d/%d", c.Shard, max(c.Shards, 1))}
	if c.Window > 0 {
		step := c.Step
		if step == 0 {
			step = c.Window
		}
		taper := c.Taper
		if taper == "" {
			taper = TaperNone
		}
		p["window_s"], p["step_s"], p["taper"] = c.Window.Seconds(), step.Seconds(), string(taper)
	}
	if k.spectralKind() {
		sp := c.Spectrum
		if sp == "" {
			sp = string(spectral.SpectrumWelch)
		}
		p["segment_s"], p["fmin_hz"], p["fmax_hz"], p["spectrum"] = c.Segment.Seconds(), c.FMin, c.FMax, sp
	}
	if len(c.Worms) > 0 {
		p["worms"] = strings.Join(c.Worms, ",")
	}
	return p
}

// Matrix is one measure's N × N result for a recording: the values and,
// when a test gave them, p-values and Benjamini–Hochberg q-values (nil
// otherwise). Entries of constant traces, and the diagonal of directed
// kinds, are NaN.
type Matrix struct {
	Measure string // the fc table's measure column
	Value   *mat.Dense
	P, Q    *mat.Dense
}

// Result is the FC of one recording.
type Result struct {
	Window  connectivity.Window // dataset, worm, window 0, first and last sample times
	Neurons []string            // N labels, in the order of the matrices
	Lag     int                 // MaxLag in samples (0 for kinds without a lag)
	// Matrices are the measures: one, and for lagged a second one, the
	// peak lag in samples (connectivity.MeasurePeakLag, no p-values).
	Matrices []Matrix
	// Constant lists the neurons left out as constant traces.
	Constant []string
	// Significant counts the pairs of the first matrix with q ≤ Config.FDR
	// (0 when FDR is 0 or there are no q-values); with windows, the sum
	// over the windows.
	Significant int
	// Windows, with Config.Window > 0, are the Results of the sliding
	// windows in order (Window.Index 0, 1, …); Matrices is then empty and
	// Window covers the whole recording. Nil for static FC.
	Windows []*Result
}

// Pairs returns the number of off-diagonal entries of m that are not NaN:
// the fc rows that AppendRows writes for it.
func (m *Matrix) Pairs() int {
	c := 0
	offDiagonal(m.Value, func(int, int, float64) { c++ })
	return c
}

// AppendRows appends the fc rows of r to rb (a builder of table.FC) and
// returns their number: for each matrix, one row per ordered pair pre ≠
// post whose value is not NaN, row-major (pre = Neurons[i], post =
// Neurons[j], value C[i][j]), with p_value and q_value when the matrix has
// them (null otherwise); then the rows of each of r.Windows, in order,
// keyed by their window index and times.
func (r *Result) AppendRows(rb *table.RowBuilder) (int, error) {
	rows := 0
	for _, sub := range r.Windows {
		n, err := sub.AppendRows(rb)
		rows += n
		if err != nil {
			return rows, err
		}
	}
	w := r.Window
	for _, m := range r.Matrices {
		var err error
		offDiagonal(m.Value, func(i, j int, v float64) {
			if err != nil {
				return
			}
			var p, q any
			if m.P != nil {
				if x := m.P.At(i, j); !math.IsNaN(x) {
					p = x
				}
			}
			if m.Q != nil {
				if x := m.Q.At(i, j); !math.IsNaN(x) {
					q = x
				}
			}
			if err = rb.Append(w.Dataset, w.Worm, w.Index, w.Start, w.End, r.Neurons[i], r.Neurons[j], m.Measure, v, p, q); err != nil {
				err = fmt.Errorf("fc: recording %s/%s: row %s→%s: %w", w.Dataset, w.Worm, r.Neurons[i], r.Neurons[j], err)
				return
			}
			rows++
		})
		if err != nil {
			return rows, err
		}
	}
	return rows, nil
}

// covKinds are the covariance.Measure kinds of the covariance kinds.
var covKinds = map[Kind]covariance.Kind{KindCorrelation: covariance.KindCorrelation, KindPartial: covariance.KindPartialCorrelation,
	KindPrecision: covariance.KindPrecision, KindCovariance: covariance.KindCovariance}

// measureName is the fc table's measure of kind k under cfg.
func measureName(k Kind, cfg Config) string {
	est := cfg.Estimator
	s := string(covKinds[k])
	if k.spectralKind() {
		return spectralName(k, cfg)
	}
	switch k {
	case KindTangent:
		s = string(KindTangent)
	case KindLagged:
		return string(connectivity.MeasureLagged)
	case KindGranger:
		return "granger_f"
	case KindTE:
		return "transfer_entropy_nats"
	}
	if est != "" && est != "empirical" {
		s += "_" + strings.ReplaceAll(est, "-", "_")
	}
	return s
}
