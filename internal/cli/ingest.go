package cli

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/ingest/eventdata"
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
	batch      int
	columns    string
	timeUnit   string
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
	f.BoolVar(&o.bss, "byte-stream-split", false, "store float columns with BYTE_STREAM_SPLIT")
	f.IntVar(&o.batch, "batch", 1<<20, "events per record batch")
	cmd.AddCommand(newIngestListCmd(g))
	return cmd
}

func newIngestListCmd(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the ingest sources with their citations",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(g.Stdout, "event and spike sources (events table):")
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
	if o.source != "auto" {
		if _, ok := eventdata.Lookup(o.source); !ok {
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
		Write: &table.WriteOptions{ByteStreamSplit: o.bss}, Prov: table.Provenance{Command: g.Args, Parameters: params},
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

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }
