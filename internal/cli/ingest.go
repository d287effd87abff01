package cli

import (
	"errors"
	"fmt"
	"github.com/spf13/pflag"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/ingest/batch"
	"github.com/neurotab/neurotab/ingest/calcium"
	"github.com/neurotab/neurotab/ingest/eventdata"
	"github.com/neurotab/neurotab/ingest/homogenize"
	"github.com/neurotab/neurotab/ingest/spikes"
	"github.com/neurotab/neurotab/internal/progress"
	"github.com/neurotab/neurotab/internal/registry"
	"github.com/spf13/cobra"
)

// ingestOptions are the flags and arguments of 'ingest'.
type ingestOptions struct {
	g          *Globals
	paths      []string // inputs: files or folders
	source     string
	out        string
	outKind    table.OutputKind // the form -o names (set by runIngest)
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
	allowEmpty bool
	changed    map[string]string // flags given on the command line → their group
	overwrite  bool
	appendTo   bool
	timeUnit   string

	// calcium imaging
	dataset string
	adapter calcium.Options
	names   string
	hom     homogenize.Options
	smooth  string
	norm    string
	fill    string
}

// newIngestCmd binds the flags of 'ingest'; runF replaces runIngest when not
// nil (tests of the flag wiring).
func newIngestCmd(g *Globals, runF func(*ingestOptions) error) *cobra.Command {
	o := &ingestOptions{g: g}
	cmd := &cobra.Command{
		Use:   "ingest --source NAME PATH... -o OUT",
		Short: "Convert lab recordings into canonical tables (Parquet)",
		Long: `ingest converts files into a canonical table. -o FILE.parquet (or FILE.arrow,
FILE.feather: Arrow IPC) writes one file (inputs in sorted order, each
tagged with its sample id); -o DIR (no extension, or ending in /) writes a
hive-partitioned dataset, one partition per input, converting --jobs files at
once. --source auto names each file's format from its content and says which
it picked. A file that fails is reported and the others still convert; the
run then exits with status 1 and a summary of what failed.

'neurotab ingest list' shows the sources with their aliases and citations;
source names are case-insensitive.`,
		Example: `  neurotab ingest --source auto WT_Stim.mat 2023-01-09-15.json -o traces.parquet
  neurotab ingest --source dag2023 --labels-file NeuroPAL_labels_dict.json data/ -o traces/ --jobs 8
  neurotab ingest --source generic --time-column time --dataset Smith2026 raw/ -o traces.parquet
  neurotab ingest --source evt3 --refractory 1ms rec.raw -o events.parquet
  neurotab ingest --source nwb-units session.nwb -o spikes.parquet`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			o.paths = a
			o.changed = map[string]string{}
			cmd.Flags().Visit(func(f *pflag.Flag) { o.changed[f.Name] = flagGroup(f) })
			if runF != nil {
				return runF(o)
			}
			return runIngest(o)
		},
	}
	defaultHelp := cmd.HelpFunc()
	cmd.SetHelpFunc(func(c *cobra.Command, a []string) {
		if c != cmd { // subcommands (list, behavior) keep cobra's help
			defaultHelp(c, a)
			return
		}
		groupedHelp(c, a)
	})
	f := cmd.Flags()
	f.StringVar(&o.source, "source", "", "source format, case-insensitive (see 'neurotab ingest list'), or auto")
	f.StringVarP(&o.out, "out", "o", "", "output: FILE.parquet, FILE.arrow or FILE.feather (Arrow IPC), or a folder (no extension, or ending in /) for a hive-partitioned dataset")
	f.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "files converted at once (folder output)")
	f.StringVar(&o.shard, "shard", "", "convert only shard k/n of the sorted inputs (k from 0), for SLURM arrays or indexed Jobs")
	f.BoolVar(&o.overwrite, "overwrite", false, "folder output: replace what another run left in the folder")
	f.BoolVar(&o.appendTo, "append", false, "folder output: add to what another run left in the folder")
	f.BoolVar(&o.allowEmpty, "allow-empty", false, "events: accept an input with no events as an empty table (default: an error)")
	f.BoolVar(&o.ev.Lenient, "lenient", false, "events: keep going past recoverable faults; report how many events were dropped")
	f.IntVar(&o.ev.Width, "width", 0, "events: sensor width override")
	f.IntVar(&o.ev.Height, "height", 0, "events: sensor height override")
	f.StringVar(&o.ev.Camera, "camera", "auto", "events: AEDAT 2.0 address layout: auto, dvs128, davis240, davis346, davis640")
	f.DurationVar(&o.timeStart, "time-start", 0, "events: keep t ≥ this (e.g. 1.5s)")
	f.DurationVar(&o.timeEnd, "time-end", 0, "events: keep t < this (0: no limit)")
	f.DurationVar(&o.refractory, "refractory", 0, "events: per-pixel refractory period (e.g. 1ms)")
	f.DurationVar(&o.denoise, "denoise", 0, "events: drop events with no neighbour event within this time (e.g. 10ms)")
	f.IntVar(&o.downsample, "downsample", 1, "events: integer spatial downsampling factor")
	f.BoolVar(&o.mergePol, "merge-polarity", false, "events: set every polarity to 0")
	f.StringVar(&o.columns, "columns", "", "csv-events/npy-events: column map, e.g. t=timestamp,x=x,y=y,p=polarity (NPY: indices)")
	f.StringVar(&o.timeUnit, "time-unit", "us", "csv-events/npy-events: unit of the time column: us, ms or s")
	f.IntVar(&o.level, "zstd-level", 0, "zstd compression level (0: the codec default; 1 fastest … 22 smallest)")
	f.BoolVar(&o.bss, "byte-stream-split", false, "store every float column with BYTE_STREAM_SPLIT (the traces' calcium and time lists already are by default; this adds the scalar float columns)")
	f.IntVar(&o.batch, "batch", 1<<19, "events: events per record batch")
	f.StringVar(&o.dataset, "dataset", "", "calcium: source_dataset of every recording (default: the source's name; generic sources say \"generic\")")
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
	cmd.AddCommand(newIngestListCmd(g, nil), newIngestBehaviorCmd(g, nil))
	return cmd
}

// ingestListOptions are the (no) flags of 'ingest list'.
type ingestListOptions struct{ g *Globals }

// newIngestListCmd binds 'ingest list'; runF replaces runIngestList when
// not nil.
func newIngestListCmd(g *Globals, runF func(*ingestListOptions) error) *cobra.Command {
	o := &ingestListOptions{g: g}
	return &cobra.Command{
		Use:     "list",
		Short:   "List the ingest sources with their aliases and citations",
		Example: "  neurotab ingest list",
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runIngestList(o)
		},
	}
}

// runIngestList prints every source, grouped by the table it makes.
func runIngestList(o *ingestListOptions) error {
	w := o.g.Stdout
	fmt.Fprintln(w, "Source names are case-insensitive (dag2023 is Dag2023); an alias names the same source.")
	fmt.Fprintln(w, "\ncalcium-imaging sources (traces table):")
	for _, a := range calcium.Adapters() {
		listSource(w, 18, a.Name, a.Description, a.Citation, nil)
	}
	fmt.Fprintln(w, "\nspike-sorted sources (spikes table):")
	listSource(w, 18, spikes.Source, spikes.Description, spikes.Citation, nil)
	fmt.Fprintln(w, "\nevent sources (events table):")
	for _, s := range eventdata.Sources() {
		listSource(w, 10, s.Name, s.Description, s.Citation, s.Aliases)
	}
	return nil
}

// listSource prints one source of 'ingest list': its name (padded to
// width) and description, then indented its citation and its aliases.
func listSource(w io.Writer, width int, name, desc, citation string, aliases []string) {
	fmt.Fprintf(w, "  %-*s %s\n", width, name, desc)
	indent := strings.Repeat(" ", width+5)
	fmt.Fprintf(w, "%s%s\n", indent, citation)
	if len(aliases) > 0 {
		fmt.Fprintf(w, "%saliases: %s\n", indent, strings.Join(aliases, ", "))
	}
}

// ingestKind is what a source converts into.
type ingestKind int

const (
	kindUnknown ingestKind = iota
	kindCalcium            // traces table (ingest/batch)
	kindEvents             // events table (ingest/eventdata)
	kindSpikes             // spikes table (ingest/spikes)
)

func (k ingestKind) String() string {
	switch k {
	case kindCalcium:
		return "a calcium recording"
	case kindEvents:
		return "an event file"
	case kindSpikes:
		return "a spike-sorted file"
	}
	return "an unrecognized file"
}

// ingestSources is every --source name of ingest, from the calcium, event
// and spike registries: one lookup, one "did you mean" over all of them.
var ingestSources = func() *registry.Registry[ingestKind] {
	r := registry.New[ingestKind]("source")
	for _, n := range calcium.Names() {
		r.Add(n, kindCalcium)
	}
	for _, s := range eventdata.Sources() {
		r.Add(s.Name, kindEvents, s.Aliases...)
	}
	r.Add(spikes.Source, kindSpikes)
	return r
}()

// unknownSource turns a registry lookup failure into a usage error:
// `unknown source "Dag2032" (did you mean "Dag2023"?); see neurotab ingest list`.
func unknownSource(err error, list string) error {
	var ue *registry.UnknownError
	if errors.As(err, &ue) {
		return usagef("%s; see %s", ue.Short(), list)
	}
	return &UsageError{err}
}

// classify names the kind and source of one file for --source auto:
// calcium when a calcium adapter recognizes it, events when formats/sniff
// names an event format (or the SHD layout).
func classify(path string) (ingestKind, string) {
	if name, err := calcium.Detect(path); err == nil {
		return kindCalcium, name
	}
	if name, err := eventdata.Detect(path); err == nil && name != "" {
		return kindEvents, name
	}
	return kindUnknown, ""
}

// expandAuto expands folders for --source auto: a folder a folder-based
// calcium adapter reads stays, any other gives the files some source reads.
func expandAuto(paths []string) ([]string, error) {
	keep := func(dir string) bool { _, err := calcium.Detect(dir); return err == nil }
	reads := func(p string) bool { k, _ := classify(p); return k != kindUnknown }
	return ingest.Expand(paths, reads, keep, "files of a calcium or event source (see neurotab ingest list)")
}

// decideAuto picks the kind of an auto run from its files, each classified
// on its own. Calcium and event files cannot share one output table: a mixed
// list is a usage error naming the first file of the other kind. Files no
// source recognizes go with the others and fail one by one; a list of only
// those runs as events (whose detector reports each).
func decideAuto(paths []string) (ingestKind, error) {
	kind, first := kindUnknown, ""
	for _, p := range paths {
		k, name := classify(p)
		if k == kindUnknown {
			continue
		}
		if kind == kindUnknown {
			kind, first = k, fmt.Sprintf("%s is %s (%s)", p, k, name)
			continue
		}
		if k != kind {
			return 0, usagef("%s but %s is %s (%s): calcium and event files make different tables; ingest them in separate runs, each with its --source", first, p, k, name)
		}
	}
	if kind == kindUnknown {
		kind = kindEvents
	}
	return kind, nil
}

// runIngest converts o.paths into one table (see newIngestCmd).
func runIngest(o *ingestOptions) error {
	g, paths := o.g, o.paths
	if o.source == "" {
		return usagef("--source is required (a name from 'neurotab ingest list', or auto)")
	}
	outKind, err := parseOut(o.out, true)
	if err != nil {
		return err
	}
	o.outKind = outKind
	kind := kindUnknown
	if o.source != "auto" {
		k, err := ingestSources.Lookup(o.source)
		if err != nil {
			return unknownSource(err, "neurotab ingest list")
		}
		kind, o.source = k, ingestSources.Canonical(o.source)
	}
	cm, err := eventdata.ParseColumnMap(o.columns, o.timeUnit)
	if err != nil {
		return &UsageError{err}
	}
	o.ev.Columns = cm
	if _, err := eventdata.ParseCamera(o.ev.Camera); err != nil {
		return &UsageError{err}
	}
	sh, err := ingest.ParseShard(o.shard)
	if err != nil {
		return &UsageError{err}
	}
	switch kind {
	case kindCalcium:
		paths, err = calcium.Expand(o.source, paths)
	case kindEvents:
		paths, err = eventdata.Expand(o.source, paths)
	case kindSpikes:
		paths, err = spikes.Expand(paths)
	default:
		paths, err = expandAuto(paths)
	}
	if err != nil {
		return err
	}
	paths = sh.Select(paths)
	existing := table.Refuse
	switch {
	case o.overwrite && o.appendTo:
		return usagef("--overwrite and --append exclude each other")
	case o.overwrite:
		existing = table.Overwrite
	case o.appendTo:
		existing = table.Append
	}
	if (o.overwrite || o.appendTo) && o.toOne() {
		return usagef("--overwrite and --append apply to a folder output (-o DIR); a file output is always replaced whole")
	}
	outRun, err := beginOutput(g, o.out, !o.toOne(), sh, existing)
	if err != nil {
		return err
	}
	defer outRun.release()
	if len(paths) == 0 {
		g.Logf("shard %s has no inputs", o.shard)
		return outRun.finish(0, nil)
	}
	if kind == kindUnknown {
		if kind, err = decideAuto(paths); err != nil {
			return err
		}
	}
	if o.dataset != "" && kind != kindCalcium {
		return usagef("--dataset sets the source_dataset of calcium recordings; event and spike-sorted files have none")
	}
	if err := o.checkFlagsApply(kind); err != nil {
		return err
	}
	inputs := ingest.Inputs(o.source, paths...)
	var results []ingest.FileResult
	var runErr error
	switch kind {
	case kindCalcium:
		cfg, err := calciumConfig(g, o)
		if err != nil {
			return err
		}
		results, runErr = runIngestCalcium(g, o, cfg, inputs)
	case kindSpikes:
		results, runErr = runIngestSpikes(g, o, inputs)
	default:
		results, runErr = runIngestEvents(g, o, sh, inputs)
	}
	if err := reportIngest(g, o, kind, results, runErr); err != nil {
		return err
	}
	return outRun.finish(len(inputs), writtenFiles(results))
}

// writtenFiles lists the files a folder run wrote, from its results.
func writtenFiles(results []ingest.FileResult) []string {
	seen := map[string]bool{}
	var files []string
	add := func(p string) {
		if p != "" && !seen[p] {
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				seen[p] = true
				files = append(files, p)
			}
		}
	}
	for _, f := range results {
		if f.Err != nil {
			continue
		}
		add(f.Output)
		for _, r := range f.Recordings {
			if r.Err == nil && r.Skipped == "" {
				add(r.Output)
			}
		}
	}
	return files
}

// toOne reports whether the output is one file, Parquet or Arrow IPC (else
// a dataset folder).
func (o *ingestOptions) toOne() bool { return o.outKind != table.OutputDir }

// progressBar shows the converters' one progress shape, counting bytes or
// files.
func progressBar(g *Globals, unit string, total int64) (*progress.Bar, func(ingest.Progress)) {
	bar := progress.New(g.Stderr, "ingest", unit, total, g.Progress())
	if unit == "bytes" {
		return bar, func(p ingest.Progress) { bar.Add(p.Bytes) }
	}
	return bar, func(p ingest.Progress) { bar.Add(int64(p.Files)) }
}

func runIngestEvents(g *Globals, o *ingestOptions, sh ingest.Shard, inputs []ingest.Input) ([]ingest.FileResult, error) {
	// Event conversion streams: its live data is a few record batches and one
	// row group. A soft memory limit keeps the garbage collector from letting
	// the heap grow far beyond that on multi-gigabyte inputs (GOMEMLIMIT, when
	// set, takes precedence).
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(160 << 20)
	}
	var total int64
	for _, in := range inputs {
		if st, err := os.Stat(in.Path); err == nil {
			total += st.Size()
		}
	}
	filters := eventdata.Filters{TimeStart: o.timeStart, TimeEnd: o.timeEnd, Refractory: o.refractory, Denoise: o.denoise,
		Downsample: o.downsample, MergePolarity: o.mergePol}
	params := filters.Parameters()
	params["source"] = o.source
	params["lenient"] = o.ev.Lenient
	params["allow_empty"] = o.allowEmpty
	params["shard"] = fmt.Sprintf("%d/%d", sh.K, sh.N)
	if o.toOne() && len(inputs) > 1 {
		// One output file from several inputs: each is decoded twice,
		// once to check it and once to write it (eventdata.ToFile).
		total *= 2
	}
	bar, onProgress := progressBar(g, "bytes", total)
	defer bar.Done()
	cfg := eventdata.Config{Options: o.ev, Filters: filters, BatchEvents: o.batch, Jobs: o.jobs, AllowEmpty: o.allowEmpty,
		Write: &table.WriteOptions{ByteStreamSplit: o.bss, RowGroupBytes: 32 << 20, CompressionLevel: o.level},
		Prov:  table.Provenance{Command: g.Args, Parameters: params}, Progress: onProgress}
	if o.toOne() {
		return eventdata.ToFile(inputs, o.out, cfg)
	}
	return eventdata.ToDir(inputs, o.out, cfg), nil
}

// calciumConfig reads the calcium flags; a bad value is a usage error.
func calciumConfig(g *Globals, o *ingestOptions) (batch.Config, error) {
	o.hom.Smooth = homogenize.Smoother(o.smooth)
	o.hom.Normalize = homogenize.Normalization(o.norm)
	o.hom.FillNaN = homogenize.FillMethod(o.fill)
	if err := o.hom.Validate(); err != nil {
		return batch.Config{}, &UsageError{err}
	}
	if o.names != "" {
		o.adapter.Names = strings.Split(o.names, ",")
	}
	return batch.Config{Source: o.source, Dataset: o.dataset, Adapter: o.adapter, Homogenize: o.hom, Jobs: o.jobs,
		Write: &table.WriteOptions{ByteStreamSplit: o.bss, CompressionLevel: o.level}, Command: g.Args}, nil
}

func runIngestCalcium(g *Globals, o *ingestOptions, cfg batch.Config, inputs []ingest.Input) ([]ingest.FileResult, error) {
	bar, onProgress := progressBar(g, "files", int64(len(inputs)))
	defer bar.Done()
	cfg.Progress = onProgress
	if o.toOne() {
		return batch.ToFile(inputs, o.out, cfg)
	}
	return batch.ToDir(inputs, o.out, cfg), nil
}

func runIngestSpikes(g *Globals, o *ingestOptions, inputs []ingest.Input) ([]ingest.FileResult, error) {
	bar, onProgress := progressBar(g, "files", int64(len(inputs)))
	defer bar.Done()
	prov := table.Provenance{Command: g.Args, Parameters: map[string]any{"source": spikes.Source}}
	cfg := spikes.Config{Prov: prov, Progress: onProgress, Write: &table.WriteOptions{ByteStreamSplit: o.bss, CompressionLevel: o.level}}
	if o.toOne() {
		return spikes.ToFile(inputs, o.out, cfg)
	}
	return spikes.ToDir(inputs, o.out, cfg), nil
}

// reportIngest prints one line per input (per recording for calcium) from
// the one result type, then the summary, and gives the command's error.
func reportIngest(g *Globals, o *ingestOptions, kind ingestKind, results []ingest.FileResult, runErr error) error {
	for _, f := range results {
		if f.Err != nil {
			msg := neurotab.OneLine(f.Err)
			if !strings.Contains(msg, f.Path) {
				msg = f.Path + ": " + msg
			}
			fmt.Fprintf(g.Stderr, "FAILED %s\n", msg)
			continue
		}
		if o.source == "auto" {
			g.Logf("%s: detected %s", f.Path, f.Source)
		}
		switch kind {
		case kindCalcium:
			for _, r := range f.Recordings {
				switch {
				case r.Err != nil:
					msg := neurotab.OneLine(r.Err)
					if errors.Is(r.Err, neurotab.ErrNotFinite) && strings.Contains(msg, "all-NaN trace") {
						msg += " (--drop-all-nan drops such traces)"
					}
					fmt.Fprintf(g.Stderr, "FAILED %s\n", msg)
				case r.Skipped != "":
					fmt.Fprintf(g.Stderr, "SKIPPED %s%s\n", r.Skipped, skipHints[r.SkipReason])
				default:
					line := fmt.Sprintf("ok  %s/%s  %d neurons (%d labeled) × %d samples", r.Dataset, r.Worm, r.Neurons, r.Labeled, r.Samples)
					if r.Dropped > 0 {
						line += fmt.Sprintf(", %s of the file left out (-v says which and why)", plural(r.Dropped, "trace"))
					}
					g.Reportf("%s  ← %s\n", line, f.Path)
				}
				for _, n := range r.Notes {
					g.Debugf("  note %s/%s: %s", r.Dataset, r.Worm, n)
				}
			}
		case kindSpikes:
			r := f.Recordings[0]
			line := fmt.Sprintf("ok  %s  %s  %d units, %d spikes", f.Path, r.Worm, r.Neurons, f.Events)
			if f.Output != o.out {
				line += "  → " + f.Output
			}
			g.Reportln(line)
		default:
			line := fmt.Sprintf("ok  %s  %s  %d events", f.Path, f.Source, f.Events)
			if f.Dropped > 0 {
				line += fmt.Sprintf("  (%d dropped)", f.Dropped)
			}
			if f.Output != o.out {
				line += "  → " + f.Output
			}
			g.Reportln(line)
		}
	}
	for _, f := range results {
		for _, n := range f.Notes {
			fmt.Fprintf(g.Stderr, "NOTE %s: %s\n", f.Path, n)
		}
	}
	s := ingest.Summarize(results)
	where := onDisk(o, results, s.FailedFiles > 0 || s.Failed > 0)
	if kind == kindCalcium {
		g.Logf("%s (%d failed): %s written, %d skipped, %d failed; %s", plural(s.Files, "file"), s.FailedFiles,
			plural(s.Written, "recording"), s.Skipped, s.Failed, where)
		switch {
		case s.FailedFiles > 0 && s.Failed > 0:
			return fmt.Errorf("%s and %s failed (see above); %s", plural(s.FailedFiles, "file"), plural(s.Failed, "recording"), where)
		case s.FailedFiles > 0:
			return fmt.Errorf("%s failed (see above); %s", plural(s.FailedFiles, "file"), where)
		case s.Failed > 0:
			return fmt.Errorf("%s failed (see above); %s", plural(s.Failed, "recording"), where)
		case runErr != nil && s.Written == 0:
			return fmt.Errorf("no recording was written (%d skipped, see above); %s", s.Skipped, where)
		}
		return runErr
	}
	if s.FailedFiles > 0 {
		return fmt.Errorf("%d of %s failed (see above); %s", s.FailedFiles, plural(s.Files, "input"), where)
	}
	if runErr != nil {
		return runErr
	}
	g.Logf("wrote %s (%s)", o.out, plural(s.Files, "input"))
	return nil
}

// skipHints name the flag that keeps a recording skipped for each reason.
var skipHints = map[string]string{
	"too_short":         " (--min-samples sets the minimum; negative: none)",
	"no_labeled_neuron": " (--allow-unlabeled keeps it; --labels-file gives labels)",
	"no_traces_left":    " (--drop-unlabeled and --drop-all-nan drop traces; without them they are kept)",
}

// plural is "1 file", "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// onDisk says what an ingest run left at its output, from the file system
// and the results: the summary names what exists, never what was meant to.
func onDisk(o *ingestOptions, results []ingest.FileResult, failed bool) string {
	if o.toOne() {
		wrote := false
		for _, f := range results {
			if f.Err == nil && f.Output == o.out {
				wrote = true
			}
		}
		_, statErr := os.Stat(o.out)
		switch {
		case wrote && statErr == nil && failed:
			return o.out + " holds the others"
		case wrote && statErr == nil:
			return "wrote " + o.out
		case statErr == nil:
			return "nothing was written (" + o.out + " is as it was)"
		default:
			return "nothing was written (" + o.out + " does not exist)"
		}
	}
	parts := map[string]bool{}
	for _, f := range results {
		if f.Err != nil {
			continue
		}
		if f.Output != "" {
			if _, err := os.Stat(f.Output); err == nil {
				parts[f.Output] = true
			}
		}
		for _, r := range f.Recordings {
			if r.Err == nil && r.Skipped == "" && r.Output != "" {
				if _, err := os.Stat(r.Output); err == nil {
					parts[r.Output] = true
				}
			}
		}
	}
	if len(parts) == 0 {
		return "nothing was written to " + o.out
	}
	return fmt.Sprintf("%s holds %s", o.out, plural(len(parts), "partition"))
}

// flagGroup is the group of an ingest flag, from the start of its usage:
// "calcium", "events" (csv-events/npy-events flags too) or "" for flags of
// every source.
func flagGroup(f *pflag.Flag) string {
	switch u := f.Usage; {
	case strings.HasPrefix(u, "calcium:"):
		return "calcium"
	case strings.HasPrefix(u, "events:"), strings.HasPrefix(u, "csv-events/npy-events:"):
		return "events"
	}
	return ""
}

// checkFlagsApply refuses, as a usage error, flags of another kind of source
// than the one being converted (--refractory on a calcium file does
// nothing, which a user should hear about).
func (o *ingestOptions) checkFlagsApply(kind ingestKind) error {
	want := map[ingestKind]string{kindCalcium: "calcium", kindEvents: "events", kindSpikes: "spikes"}[kind]
	var bad []string
	for name, group := range o.changed {
		if group != "" && group != want {
			bad = append(bad, "--"+name+" ("+group+")")
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return usagef("%s do not apply to %s inputs (--source %s): leave them out", strings.Join(bad, ", "), want, o.source)
}

// groupedHelp prints ingest's help with its flags in groups: those of every
// source, calcium imaging, and event streams.
func groupedHelp(cmd *cobra.Command, _ []string) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s\n\nUsage:\n  %s\n", strings.TrimSpace(cmd.Long), cmd.UseLine())
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintf(w, "  %s [command]\n", cmd.CommandPath())
	}
	if cmd.Example != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", cmd.Example)
	}
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintln(w, "\nAvailable Commands:")
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() {
				fmt.Fprintf(w, "  %-11s %s\n", c.Name(), c.Short)
			}
		}
	}
	groups := []struct{ key, title string }{{"", "Flags (every source)"}, {"calcium", "Calcium imaging flags"}, {"events", "Event-stream flags"}}
	for _, g := range groups {
		fs := pflag.NewFlagSet(g.title, pflag.ContinueOnError)
		cmd.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if flagGroup(f) == g.key {
				fs.AddFlag(f)
			}
		})
		if fs.HasFlags() {
			fmt.Fprintf(w, "\n%s:\n%s", g.title, fs.FlagUsages())
		}
	}
	if cmd.HasAvailableInheritedFlags() {
		fmt.Fprintf(w, "\nGlobal Flags:\n%s", cmd.InheritedFlags().FlagUsages())
	}
	fmt.Fprintf(w, "\nUse \"%s [command] --help\" for more information about a command.\n", cmd.CommandPath())
}
