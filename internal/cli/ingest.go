package cli

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/ingest/batch"
	"github.com/neurotab/neurotab/ingest/calcium"
	"github.com/neurotab/neurotab/ingest/eventdata"
	"github.com/neurotab/neurotab/ingest/homogenize"
	"github.com/neurotab/neurotab/ingest/spikes"
	"github.com/neurotab/neurotab/internal/progress"
	"github.com/spf13/cobra"
)

type ingestOptions struct {
	source     string
	out        string
	jobs       int
	shard      string
	ev         eventdata.Options
	timeStart  time.Duration
	timeEnd    time.Duration
	refractory time.Duration
	denoise    time.Duration
	downsample int
	mergePol   bool
	bss        bool
	level      int
	batch      int
	columns    string
	timeUnit   string

	// calcium imaging
	adapter calcium.Options
	names   string
	hom     homogenize.Options
	smooth  string
	norm    string
	fill    string
}

func newIngestCmd(g *Globals) *cobra.Command {
	o := &ingestOptions{}
	cmd := &cobra.Command{
		Use:   "ingest --source NAME PATH... -o OUT",
		Short: "Convert lab recordings into canonical tables (Parquet)",
		Long: `ingest converts files into a canonical table. -o FILE.parquet writes one file
(inputs in sorted order, each tagged with its sample id); -o DIR writes a
hive-partitioned dataset, one partition per input, converting --jobs files at
once. --source auto names each file's format from its content and says which
it picked. A file that fails is reported and the others still convert; the
run then exits with status 1 and a summary of what failed.

'neurotab ingest list' shows the sources with their citations.`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error { return runIngest(g, o, a) },
	}
	f := cmd.Flags()
	f.StringVar(&o.source, "source", "", "source format (see 'neurotab ingest list'), or auto")
	f.StringVarP(&o.out, "out", "o", "", "output: FILE.parquet, or a folder for a hive-partitioned dataset")
	f.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "files converted at once (folder output)")
	f.StringVar(&o.shard, "shard", "", "convert only shard k/n of the sorted inputs (k from 0), for SLURM arrays or indexed Jobs")
	f.BoolVar(&o.ev.Lenient, "lenient", false, "keep going past recoverable faults; report how many events were dropped")
	f.IntVar(&o.ev.Width, "width", 0, "sensor width override")
	f.IntVar(&o.ev.Height, "height", 0, "sensor height override")
	f.StringVar(&o.ev.Camera, "camera", "auto", "AEDAT 2.0 address layout: auto, dvs128, davis240, davis346, davis640")
	f.DurationVar(&o.timeStart, "time-start", 0, "events: keep t ≥ this (e.g. 1.5s)")
	f.DurationVar(&o.timeEnd, "time-end", 0, "events: keep t < this (0: no limit)")
	f.DurationVar(&o.refractory, "refractory", 0, "events: per-pixel refractory period (e.g. 1ms)")
	f.DurationVar(&o.denoise, "denoise", 0, "events: drop events with no neighbour event within this time (e.g. 10ms)")
	f.IntVar(&o.downsample, "downsample", 1, "events: integer spatial downsampling factor")
	f.BoolVar(&o.mergePol, "merge-polarity", false, "events: set every polarity to 0")
	f.StringVar(&o.columns, "columns", "", "csv-events/npy-events: column map, e.g. t=timestamp,x=x,y=y,p=polarity (NPY: indices)")
	f.StringVar(&o.timeUnit, "time-unit", "us", "csv-events/npy-events: unit of the time column: us, ms or s")
	f.IntVar(&o.level, "zstd-level", 0, "zstd compression level (0: the codec default; 1 fastest … 22 smallest)")
	f.BoolVar(&o.bss, "byte-stream-split", false, "store float columns with BYTE_STREAM_SPLIT")
	f.IntVar(&o.batch, "batch", 1<<19, "events per record batch")
	f.Float64Var(&o.adapter.SampleRate, "sample-rate", 0, "calcium: frame rate in Hz for sources without a time vector")
	f.StringVar(&o.adapter.LabelsFile, "labels-file", "", "calcium: separate label file (Dag2023 NeuroPAL JSON)")
	f.StringVar(&o.names, "names", "", "calcium: comma-separated column names of a generic NPY matrix")
	f.StringVar(&o.adapter.TimeColumn, "time-column", "", "calcium: time column (s) of a generic CSV/TSV")
	f.StringVar(&o.adapter.Signal, "signal", "", "calcium: suite2p signal: neuropil-corrected (default), F or spks")
	f.Float64Var(&o.adapter.NeuropilCoef, "neuropil-coef", 0, "calcium: suite2p neuropil coefficient (default 0.7)")
	f.IntVar(&o.hom.MinSamples, "min-samples", 600, "calcium: skip recordings with fewer samples (negative: no minimum)")
	f.BoolVar(&o.hom.AllowUnlabeled, "allow-unlabeled", false, "calcium: keep recordings with no labeled neuron")
	f.StringVar(&o.fill, "fill", "linear", "calcium: NaN gap filling: linear or none")
	f.BoolVar(&o.hom.DropAllNaN, "drop-all-nan", false, "calcium: drop all-NaN traces with a note instead of failing")
	f.StringVar(&o.norm, "normalize", "zscore", "calcium: zscore, causal or none")
	f.StringVar(&o.smooth, "smooth", "moving_average", "calcium: moving_average, gaussian, exponential or none")
	f.IntVar(&o.hom.Window, "window", 15, "calcium: moving-average window (samples)")
	f.Float64Var(&o.hom.Sigma, "sigma", 5, "calcium: half-Gaussian SD (samples)")
	f.Float64Var(&o.hom.Alpha, "alpha", 0.5, "calcium: exponential smoothing factor")
	f.Float64Var(&o.hom.Dt, "dt", 0.333, "calcium: resampling step, s")
	f.BoolVar(&o.hom.NoResample, "no-resample", false, "calcium: keep each recording's own time grid")
	f.BoolVar(&o.hom.UnlabeledSlots, "unlabeled-slots", false, "calcium: give unlabeled traces slots 300, 301, … in column order")
	f.BoolVar(&o.hom.DropUnlabeled, "drop-unlabeled", false, "calcium: drop unlabeled traces")
	f.BoolVar(&o.hom.OriginalAsGiven, "original-as-given", false, "calcium: keep the lab's values (NaN gaps included) as original_calcium_data")
	cmd.AddCommand(newIngestListCmd(g))
	return cmd
}

func newIngestListCmd(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the ingest sources with their citations",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(g.Stdout, "calcium-imaging sources (traces table):")
			for _, a := range calcium.Adapters() {
				fmt.Fprintf(g.Stdout, "  %-18s %s\n  %-18s   %s\n", a.Name, a.Description, "", a.Citation)
			}
			fmt.Fprintln(g.Stdout, "\nspike-sorted sources (spikes table):")
			fmt.Fprintf(g.Stdout, "  %-18s %s\n  %-18s   %s\n", "nwb-units", "NWB 2.x Units table: spike_times + spike_times_index, id", "", "Rübel et al. 2022, eLife 11:e78362, doi:10.7554/eLife.78362")
			fmt.Fprintln(g.Stdout, "\nevent sources (events table):")
			for _, s := range eventdata.Sources() {
				fmt.Fprintf(g.Stdout, "  %-10s %s\n  %-10s   %s\n", s.Name, s.Description, "", s.Citation)
			}
			return nil
		},
	}
}

func runIngest(g *Globals, o *ingestOptions, paths []string) error {
	if o.source == "" {
		return usagef("--source is required (a name from 'neurotab ingest list', or auto)")
	}
	if o.out == "" {
		return usagef("-o/--out is required")
	}
	calciumMode := false
	switch {
	case o.source == "nwb-units":
		return runIngestSpikes(g, o, paths)
	case o.source == "auto":
		if _, err := calcium.Detect(paths[0]); err == nil {
			calciumMode = true
		}
	default:
		if _, ok := calcium.Lookup(o.source); ok {
			calciumMode = true
		} else if _, ok := eventdata.Lookup(o.source); !ok {
			return usagef("unknown source %q; 'neurotab ingest list' shows them", o.source)
		}
	}
	cm, err := eventdata.ParseColumnMap(o.columns, o.timeUnit)
	if err != nil {
		return &UsageError{err}
	}
	o.ev.Columns = cm
	sh, err := ingest.ParseShard(o.shard)
	if err != nil {
		return &UsageError{err}
	}
	paths = sh.Select(paths)
	if len(paths) == 0 {
		g.Logf("shard %s has no inputs", o.shard)
		return nil
	}
	if calciumMode {
		return runIngestCalcium(g, o, paths)
	}
	// Event conversion streams: its live data is a few record batches and one
	// row group. A soft memory limit keeps the garbage collector from letting
	// the heap grow far beyond that on multi-gigabyte inputs (GOMEMLIMIT, when
	// set, takes precedence).
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(160 << 20)
	}
	var total int64
	inputs := make([]eventdata.Input, len(paths))
	for i, p := range paths {
		inputs[i] = eventdata.Input{Path: p, Source: o.source, Sample: int32(i)}
		if st, err := os.Stat(p); err == nil {
			total += st.Size()
		}
	}
	filters := eventdata.Filters{TimeStart: o.timeStart.Microseconds(), TimeEnd: o.timeEnd.Microseconds(),
		RefractoryUS: o.refractory.Microseconds(), DenoiseUS: o.denoise.Microseconds(), Downsample: o.downsample, MergePolarity: o.mergePol}
	params := filters.Parameters()
	params["source"] = o.source
	params["lenient"] = o.ev.Lenient
	params["shard"] = fmt.Sprintf("%d/%d", sh.K, sh.N)
	bar := progress.New(g.Stderr, "ingest", "bytes", total, g.Progress())
	cfg := eventdata.Config{Options: o.ev, Filters: filters, BatchEvents: o.batch, Jobs: o.jobs,
		Write: &table.WriteOptions{ByteStreamSplit: o.bss, RowGroupBytes: 32 << 20, CompressionLevel: o.level}, Prov: table.Provenance{Command: g.Args, Parameters: params},
		Progress: bar.Add}
	var results []eventdata.FileResult
	var runErr error
	if strings.HasSuffix(strings.ToLower(o.out), ".parquet") {
		results, runErr = eventdata.ToFile(inputs, o.out, cfg)
	} else {
		results = eventdata.ToDir(inputs, o.out, cfg)
	}
	bar.Done()
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
			msg := oneLine(r.Err)
			if !strings.Contains(msg, r.Path) {
				msg = r.Path + ": " + msg
			}
			fmt.Fprintf(g.Stderr, "FAILED %s\n", msg)
			continue
		}
		if o.source == "auto" {
			g.Logf("%s: detected %s", r.Path, r.Source)
		}
		line := fmt.Sprintf("ok  %s  %s  %d events", r.Path, r.Source, r.Events)
		if r.Dropped > 0 {
			line += fmt.Sprintf("  (%d dropped)", r.Dropped)
		}
		if r.Output != o.out {
			line += "  → " + r.Output
		}
		fmt.Fprintln(g.Stdout, line)
	}
	if failed > 0 || runErr != nil {
		if runErr != nil && failed == 0 {
			return runErr
		}
		return fmt.Errorf("%d of %d inputs failed (see above); the others were written to %s", failed, len(results), o.out)
	}
	g.Logf("wrote %s (%d inputs)", o.out, len(results))
	return nil
}

func runIngestCalcium(g *Globals, o *ingestOptions, paths []string) error {
	o.hom.Smooth = homogenize.Smoother(o.smooth)
	o.hom.Normalize = homogenize.Normalization(o.norm)
	o.hom.FillNaN = homogenize.FillMethod(o.fill)
	if err := o.hom.Validate(); err != nil {
		return &UsageError{err}
	}
	if o.names != "" {
		o.adapter.Names = strings.Split(o.names, ",")
	}
	bar := progress.New(g.Stderr, "ingest", "files", int64(len(paths)), g.Progress())
	cfg := batch.Config{Source: o.source, Adapter: o.adapter, Homogenize: o.hom, Jobs: o.jobs,
		Write: &table.WriteOptions{ByteStreamSplit: o.bss, CompressionLevel: o.level}, Command: g.Args, Progress: func(int) { bar.Add(1) }}
	var results []batch.FileResult
	var runErr error
	if strings.HasSuffix(strings.ToLower(o.out), ".parquet") {
		results, runErr = batch.ToFile(paths, o.out, cfg)
	} else {
		results = batch.ToDir(paths, o.out, cfg)
	}
	bar.Done()
	for _, f := range results {
		if f.Err != nil {
			msg := oneLine(f.Err)
			if !strings.Contains(msg, f.Path) {
				msg = f.Path + ": " + msg
			}
			fmt.Fprintf(g.Stderr, "FAILED %s\n", msg)
			continue
		}
		if o.source == "auto" {
			g.Logf("%s: detected %s", f.Path, f.Source)
		}
		for _, r := range f.Recordings {
			switch {
			case r.Err != nil:
				fmt.Fprintf(g.Stderr, "FAILED %s\n", oneLine(r.Err))
			case r.Skip != nil:
				fmt.Fprintf(g.Stderr, "SKIPPED %s\n", r.Skip.String())
			default:
				fmt.Fprintf(g.Stdout, "ok  %s/%s  %d neurons (%d labeled) × %d samples  ← %s\n", r.Dataset, r.Worm, r.Neurons, r.Labeled, r.Samples, f.Path)
			}
		}
	}
	s := batch.Summarize(results)
	g.Logf("%d files (%d failed): %d recordings written, %d skipped, %d failed → %s", s.Files, s.FailedFiles, s.Written, s.Skipped, s.Failed, o.out)
	if s.FailedFiles > 0 || s.Failed > 0 {
		return fmt.Errorf("%d files and %d recordings failed (see above)", s.FailedFiles, s.Failed)
	}
	if runErr != nil {
		return runErr
	}
	return nil
}

func runIngestSpikes(g *Globals, o *ingestOptions, paths []string) error {
	if !strings.HasSuffix(strings.ToLower(o.out), ".parquet") {
		return usagef("nwb-units writes one spikes table: give -o FILE.parquet")
	}
	prov := table.Provenance{Command: g.Args, Parameters: map[string]any{"source": "nwb-units"}}
	results, err := spikes.Convert(paths, o.out, prov)
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
			fmt.Fprintf(g.Stderr, "FAILED %s\n", oneLine(r.Err))
			continue
		}
		fmt.Fprintf(g.Stdout, "ok  %s  %s  %d units, %d spikes\n", r.Path, r.Recording, r.Units, r.Spikes)
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d inputs failed (see above); the others were written to %s", failed, len(results), o.out)
	}
	return nil
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }
