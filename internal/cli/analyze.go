package cli

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/fc"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/progress"
	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/mat"
)

func newAnalyzeCmd(g *Globals) *cobra.Command {
	return groupCmd("analyze", "Analyse traces tables (functional connectivity, dynamic FC, structure–function, state-switching GLMs)",
		newAnalyzeFCCmd(g, nil), newAnalyzeDFCCmd(g, nil), newAnalyzeSFCmd(g, nil), newAnalyzeGLMHMMCmd(g, nil))
}

// analyzeFCOptions are the flags of 'analyze fc'.
type analyzeFCOptions struct {
	g          *Globals
	Traces     string
	Worms      []string
	Kind       string
	Estimator  string
	MaxLag     time.Duration
	Window     time.Duration
	Step       time.Duration
	Taper      string
	Surrogates int
	FDR        float64
	Seed       uint64
	Jobs       int
	Shard      string
	Out        string
	NoFigures  bool
	Segment    time.Duration
	FMin, FMax float64
	Spectrum   string
}

// newAnalyzeFCCmd binds the flags of 'analyze fc'; runF replaces
// runAnalyzeFC when not nil (tests of the flag wiring).
func newAnalyzeFCCmd(g *Globals, runF func(*analyzeFCOptions) error) *cobra.Command {
	o := &analyzeFCOptions{g: g}
	var kinds []string
	for _, k := range fc.Kinds() {
		kinds = append(kinds, string(k))
	}
	cmd := &cobra.Command{
		Use:   "fc --traces TRACES.parquet --kind " + strings.Join(kinds, "|") + " -o FC.parquet",
		Short: "Functional connectivity of every recording of a traces table (fc table and heatmaps)",
		Long: `fc computes a functional-connectivity matrix for every recording of a traces
table (the output of 'neurotab ingest', or of 'neurotab events bin --rates') and
writes them as one fc table: one row per ordered pair pre ≠ post with the
measure's name, its value, and p_value/q_value when a test gave them.
Recordings are read one at a time (--jobs at once), never the whole table.

Kinds:
  correlation  Pearson r (with --estimator ledoit-wolf or oas: their shrunk correlation)
  partial      partial correlation from the precision matrix of --estimator
  precision    inverse covariance of --estimator
  covariance   covariance of --estimator
  lagged       r at the lag of peak |r| within ±--max-lag (required), plus
               rows of the peak lag in samples (positive: pre leads)
  granger      bivariate Granger F statistic at lag --max-lag (default one
               sample), C[source][target], with its analytic p-value
  te           Gaussian transfer entropy in nats at history --max-lag
  tangent      each recording's tangent vector logm(G^-1/2 Σ G^-1/2) at the
               reference point G, the geometric mean of the covariances (of
               --estimator) of all selected recordings, on the neurons they
               all share (needs at least 2 recordings; reads the input twice)

Spectral kinds (MNE-connectivity definitions), averaged over --fmin..--fmax Hz;
each recording is cut into half-overlapping --segment epochs (default 256
samples) whose --spectrum (welch or multitaper) cross-spectra give:
  coherence       |E[S_ij]| / sqrt(E[S_ii] E[S_jj])  (measure coh)
  imcoh           imaginary coherence, antisymmetric: > 0 when pre leads
  plv, pli, wpli  phase-locking value, phase-lag index, weighted PLI
  wpli2_debiased  debiased squared wPLI
  ppc             pairwise phase consistency
The measure column is the MNE name, with the band when one is set
(coh_0.1-0.5Hz).

--max-lag is a duration, converted to samples with each recording's median
sample interval. --surrogates S tests every pair against S circular-shift
surrogates (p-values, and Benjamini–Hochberg q-values within the recording);
--fdr α masks the heatmaps to pairs with q ≤ α and counts them in the summary.
A constant trace (a silent channel) has no fc rows; a NaN sample is an error.

--window W makes the FC dynamic: the measure is computed over sliding windows
of W starting every --step (default W: adjacent windows), each window's rows
keyed by its index (window column, from 0) and the times of its first and last
samples (t_start, t_end); without --window the FC is static (window 0 over the
whole recording). --taper hann weights each window's samples by a Hann window
(weighted Pearson; kind correlation only). A window longer than a recording is
an error. Windowed runs draw no heatmaps.

By default a heatmap per recording is written next to the output, in
OUT_figures/DATASET_WORM.png: rows pre, columns post, neurons ordered by type
and class, with a colour bar (--no-figures to skip). The fc table records the traces table with its SHA-256 and every
parameter in its provenance. Nothing is written when a recording fails.`,
		Example: `  neurotab analyze fc --traces traces.parquet --kind correlation -o fc.parquet
  neurotab analyze fc --traces traces/ --worm 2022-07-26-31 --kind partial --estimator ledoit-wolf -o fc.parquet
  neurotab analyze fc --traces traces.parquet --kind lagged --max-lag 10s --surrogates 200 --fdr 0.05 -o fc.parquet
  neurotab analyze fc --traces rates.parquet --kind granger --max-lag 50ms --jobs 4 --shard 0/8 -o fc-0.parquet
  neurotab analyze fc --traces traces.parquet --window 60s --step 10s --taper hann -o dfc.parquet
  neurotab analyze fc --traces traces.parquet --kind tangent --estimator ledoit-wolf -o tangent.parquet
  neurotab analyze fc --traces rates.parquet --kind wpli --segment 30s --fmin 0.05 --fmax 0.5 -o wpli.parquet`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runAnalyzeFC(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Traces, "traces", "", "traces table (Parquet or Arrow file, or hive folder)")
	f.StringArrayVar(&o.Worms, "worm", nil, "only this recording (repeat for several)")
	f.StringVar(&o.Kind, "kind", string(fc.KindCorrelation), "measure: "+strings.Join(kinds, ", "))
	f.StringVar(&o.Estimator, "estimator", "empirical", "covariance estimator of correlation, partial, precision, covariance, tangent: "+strings.Join(fc.Estimators(), ", "))
	f.DurationVar(&o.MaxLag, "max-lag", 0, "lag range of lagged, granger and te (e.g. 10s)")
	f.DurationVar(&o.Window, "window", 0, "sliding-window width for dynamic FC (e.g. 60s); 0 for static FC")
	f.DurationVar(&o.Step, "step", 0, "start of one window to the next (default --window)")
	f.StringVar(&o.Taper, "taper", "none", "weights of a window's samples: none or hann (kind correlation)")
	f.IntVar(&o.Surrogates, "surrogates", 0, "test every pair against this many circular-shift surrogates")
	f.Float64Var(&o.FDR, "fdr", 0, "false discovery rate α for the heatmap mask and the summary count")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the surrogates")
	f.IntVar(&o.Jobs, "jobs", 1, "recordings fitted at once")
	f.StringVar(&o.Shard, "shard", "", "only shard k/n of the recordings (k from 0), for SLURM arrays or indexed Jobs")
	f.StringVarP(&o.Out, "out", "o", "", "output fc table: FILE.parquet, or FILE.arrow / FILE.feather (Arrow IPC)")
	f.BoolVar(&o.NoFigures, "no-figures", false, "write no heatmaps")
	f.DurationVar(&o.Segment, "segment", 0, "segment (epoch) length of the spectral kinds (default 256 samples)")
	f.Float64Var(&o.FMin, "fmin", 0, "lowest frequency (Hz) of the band the spectral kinds average over")
	f.Float64Var(&o.FMax, "fmax", 0, "highest frequency (Hz) of the band (default: Nyquist)")
	f.StringVar(&o.Spectrum, "spectrum", "", "cross-spectra of the spectral kinds: welch (default) or multitaper")
	return cmd
}

// config turns the flags into an fc.Config; mistakes are usage errors.
func (o *analyzeFCOptions) config() (fc.Config, error) {
	switch {
	case o.Traces == "":
		return fc.Config{}, usagef("--traces is required")
	case o.Out == "":
		return fc.Config{}, usagef("-o/--out is required")
	case o.Jobs < 1:
		return fc.Config{}, usagef("--jobs %d: want at least 1", o.Jobs)
	}
	if _, err := parseOut(o.Out, false); err != nil {
		return fc.Config{}, err
	}
	sh, err := ingest.ParseShard(o.Shard)
	if err != nil {
		return fc.Config{}, &UsageError{err}
	}
	cfg := fc.Config{Kind: fc.Kind(o.Kind), Estimator: o.Estimator, MaxLag: o.MaxLag, Surrogates: o.Surrogates,
		Window: o.Window, Step: o.Step, Taper: fc.Taper(o.Taper), FDR: o.FDR, Seed: neurotab.Seed(o.Seed), Jobs: o.Jobs, Worms: o.Worms, Shard: sh.K, Shards: sh.N,
		Segment: o.Segment, FMin: o.FMin, FMax: o.FMax, Spectrum: o.Spectrum}
	if err := cfg.Check(); err != nil {
		return fc.Config{}, &UsageError{err}
	}
	return cfg, nil
}

// runAnalyzeFC writes the fc table, then moves the heatmaps drawn in a
// hidden folder into OUT_figures; on any error neither appears.
func runAnalyzeFC(o *analyzeFCOptions) (err error) {
	cfg, err := o.config()
	if err != nil {
		return err
	}
	var seed *neurotab.Seed
	if cfg.Surrogates > 0 {
		seed = &cfg.Seed
	}
	prov, err := table.NewProvenance(o.g.Args, cfg.Parameters(), seed, o.Traces)
	if err != nil {
		return err
	}
	rr, err := table.OpenRecordings(o.Traces, nil)
	if err != nil {
		return err
	}
	defer rr.Close()
	w, err := table.CreateFile(o.Out, table.FC, prov, nil, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			w.Abort()
		}
	}()
	figDir, tmpDir := "", ""
	if !o.NoFigures && cfg.Window == 0 {
		figDir = strings.TrimSuffix(o.Out, filepath.Ext(o.Out)) + "_figures"
		if tmpDir, err = os.MkdirTemp(filepath.Dir(o.Out), "."+filepath.Base(figDir)+"-*"); err != nil {
			return err
		}
		defer os.RemoveAll(tmpDir)
	}
	bar := progress.New(o.g.Stderr, "fc", "traces", traceRows(o.Traces), o.g.Progress())
	rb := table.NewRowBuilder(nil, table.FC)
	defer rb.Release()
	var lines, figures []string
	sink := func(res *fc.Result) error {
		n, err := res.AppendRows(rb)
		if err != nil {
			return err
		}
		rec := rb.NewRecord()
		defer rec.Release()
		if err := w.Write(rec); err != nil {
			return err
		}
		line := fmt.Sprintf("ok  %s/%s  %d neurons  %d rows", res.Window.Dataset, res.Window.Worm, len(res.Neurons), n)
		switch {
		case len(res.Constant) > 0 && cfg.Kind == fc.KindTangent:
			line += fmt.Sprintf(" (%d neurons left out, not in every recording or constant in one: %s)", len(res.Constant), strings.Join(res.Constant, " "))
		case len(res.Constant) > 0:
			line += fmt.Sprintf(" (%d constant traces without rows: %s)", len(res.Constant), strings.Join(res.Constant, " "))
		}
		if len(res.Windows) > 0 {
			line += fmt.Sprintf(" in %d windows", len(res.Windows))
		}
		if cfg.FDR > 0 && hasQ(res) {
			line += fmt.Sprintf("  %d pairs with q ≤ %g", res.Significant, cfg.FDR)
		}
		lines = append(lines, line)
		if tmpDir != "" {
			name := figureName(res)
			if err := writeHeatmap(filepath.Join(tmpDir, name), res, cfg); err != nil {
				return err
			}
			figures = append(figures, name)
		}
		bar.Add(int64(len(res.Neurons)))
		return nil
	}
	var st fc.Stats
	if cfg.Kind == fc.KindTangent {
		st, err = fc.RunTangent(func() (fc.Source, error) { return table.OpenRecordings(o.Traces, nil) }, cfg, sink)
	} else {
		st, err = fc.Run(rr, cfg, sink)
	}
	bar.Done()
	if err != nil {
		return err
	}
	rows := w.Rows()
	if err = w.Close(); err != nil {
		return err
	}
	for _, l := range lines {
		o.g.Reportln(l)
	}
	o.g.Reportf("wrote %s  %d recordings, %d rows\n", o.Out, st.Recordings, rows)
	if len(figures) > 0 {
		if err := os.MkdirAll(figDir, 0o755); err != nil {
			return err
		}
		for _, name := range figures {
			if err := os.Rename(filepath.Join(tmpDir, name), filepath.Join(figDir, name)); err != nil {
				return err
			}
			o.g.Reportf("wrote %s\n", filepath.Join(figDir, name))
		}
	}
	if st.Recordings == 0 {
		o.g.Logf("no recording selected (%d skipped by --worm or --shard)", st.Skipped)
	}
	return nil
}

// hasQ reports whether res (or its first window) has q-values.
func hasQ(res *fc.Result) bool {
	if len(res.Windows) > 0 {
		res = res.Windows[0]
	}
	return len(res.Matrices) > 0 && res.Matrices[0].Q != nil
}

// traceRows is the number of rows (one per worm × neuron) of the Parquet
// files of a traces table, read from their footers: the progress bar's
// total (0 when unknown, as for Arrow IPC files).
func traceRows(path string) int64 {
	files, err := table.DataFiles(path)
	if err != nil {
		return 0
	}
	var n int64
	for _, f := range files {
		pf, err := table.OpenParquet(f, nil)
		if err != nil {
			return 0
		}
		n += pf.NumRows()
		pf.Close()
	}
	return n
}

// figureName is DATASET_WORM.png with every character other than a
// letter, digit, '.', '-' or '_' (path separators, ':') replaced by '_'.
func figureName(res *fc.Result) string {
	return safeName(res.Window.Dataset+"_"+res.Window.Worm) + ".png"
}

// writeHeatmap draws the first matrix of res, neurons ordered by type and
// class (connectome.OrderByTypeClass), rows pre and columns post as in the
// fc table, with a colour bar: signed kinds on a diverging scale centred
// on 0, kinds never negative (granger, te, the spectral kinds but imcoh)
// on a sequential one. NaN entries
// (the diagonal of directed kinds, constant traces) are drawn as 0, and so,
// with --fdr and q-values, are entries with q > α.
func writeHeatmap(path string, res *fc.Result, cfg fc.Config) error {
	fdr := cfg.FDR
	m := res.Matrices[0]
	ordered, groups := connectome.OrderByTypeClass(connectome.DefaultAtlas(), res.Neurons)
	index := make(map[string]int, len(res.Neurons))
	for i, l := range res.Neurons {
		index[l] = i
	}
	n := len(ordered)
	h := mat.NewDense(n, n, nil)
	for a, la := range ordered {
		for b, lb := range ordered {
			i, j := index[la], index[lb]
			v := m.Value.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) || fdr > 0 && m.Q != nil && !(m.Q.At(i, j) <= fdr) {
				v = 0
			}
			h.Set(a, b, v)
		}
	}
	title := fmt.Sprintf("%s/%s  %s", res.Window.Dataset, res.Window.Worm, m.Measure)
	if fdr > 0 && m.Q != nil {
		title += fmt.Sprintf(" (q ≤ %g)", fdr)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := connectome.PlotHeatmap(f, "png", h, ordered, connectome.HeatmapOptions{Title: title, Groups: groups,
		XLabel: "post", YLabel: "pre", Colorbar: true, Symmetric: cfg.Kind.Signed()}); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
