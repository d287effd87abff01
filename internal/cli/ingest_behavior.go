package cli

import (
	"fmt"
	"strings"

	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/ingest/calcium"
	"github.com/neurotab/neurotab/ingest/homogenize"
	"github.com/spf13/cobra"
)

// ingestBehaviorOptions are the flags of 'ingest behavior'.
type ingestBehaviorOptions struct {
	g          *Globals
	Paths      []string
	Source     string
	Dt         float64
	NoResample bool
	Out        string
}

// behaviorSources maps a source name (lower case) to its behavior reader.
var behaviorSources = map[string]func(string) (*calcium.Behavior, error){
	"dag2023": calcium.ReadDag2023Behavior,
}

// newIngestBehaviorCmd binds the flags of 'ingest behavior'; runF replaces
// runIngestBehavior when not nil (tests of the flag wiring).
func newIngestBehaviorCmd(g *Globals, runF func(*ingestBehaviorOptions) error) *cobra.Command {
	o := &ingestBehaviorOptions{g: g}
	cmd := &cobra.Command{
		Use:   "behavior --source dag2023 FILE... -o BEHAVIOR.parquet",
		Short: "Convert the behavior recorded with calcium traces into a behavior table",
		Long: `behavior writes the behavior that a recording carries on the same frames as its
traces (Dag2023: behavior/velocity, head_angle, angular_velocity, pumping,
reversal_vec, …) as one long behavior table: source_dataset, worm, grid, t,
variable, value. Every variable appears twice: on the recording's own frames
(grid "original", t re-based to the first frame like the traces'
original_time_in_seconds) and on the homogenized traces' time grid (grid
"homogenized", t as time_in_seconds, resampled like the traces with --dt);
--no-resample keeps the original grid only. Run it on the files given to
'neurotab ingest' with the same --dt, and join on source_dataset, worm, t.

reversal_vec is named reversal (1 in a reversal, 0 otherwise; on the
homogenized grid the interpolated fraction). A frame without a value (NaN,
e.g. Dag2023's pumping) has no row, and such a variable is not resampled.
Nothing is written when a file fails.`,
		Example: `  neurotab ingest --source dag2023 2022-07-26-31-data.h5 -o traces.parquet --allow-unlabeled
  neurotab ingest behavior --source dag2023 2022-07-26-31-data.h5 -o behavior.parquet
  neurotab ingest behavior --source dag2023 data/ --dt 0.5 -o behavior.parquet`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			o.Paths = a
			if runF != nil {
				return runF(o)
			}
			return runIngestBehavior(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Source, "source", "dag2023", "source with behavior: dag2023")
	f.Float64Var(&o.Dt, "dt", homogenize.DefaultDt, "homogenized grid step, s (as 'ingest --dt')")
	f.BoolVar(&o.NoResample, "no-resample", false, "write the original frames only")
	f.StringVarP(&o.Out, "out", "o", "", "output behavior table: FILE.parquet, or FILE.arrow / FILE.feather (Arrow IPC)")
	return cmd
}

// runIngestBehavior reads every file, then writes one behavior table.
func runIngestBehavior(o *ingestBehaviorOptions) (err error) {
	read, ok := behaviorSources[strings.ToLower(o.Source)]
	if !ok {
		return usagef("--source %q: behavior is read from dag2023 only", o.Source)
	}
	if _, err := parseOut(o.Out, false); err != nil {
		return err
	}
	if !(o.Dt > 0) && !o.NoResample {
		return usagef("--dt %g: want a step > 0 s (or --no-resample)", o.Dt)
	}
	paths, err := ingest.Expand(o.Paths, func(p string) bool { return strings.HasSuffix(p, "-data.h5") }, nil, "Dag2023 files (*-data.h5)")
	if err != nil {
		return err
	}
	dt := o.Dt
	if o.NoResample {
		dt = 0
	}
	var rows []table.Row
	var lines []string
	for _, p := range paths {
		b, err := read(p)
		if err != nil {
			return err
		}
		rs, notes, err := b.Rows(dt)
		if err != nil {
			return err
		}
		for i := range rs {
			rows = append(rows, rs[i])
		}
		for _, n := range append(b.Notes, notes...) {
			o.g.Logf("%s: %s", p, n)
		}
		lines = append(lines, fmt.Sprintf("ok  %s/%s  %d variables, %d frames, %d rows", b.Dataset, b.Worm, len(b.Variables), len(b.Time), len(rs)))
	}
	prov, err := table.NewProvenance(o.g.Args, map[string]any{"source": strings.ToLower(o.Source), "dt": dt}, nil, paths...)
	if err != nil {
		return err
	}
	if err := writeTable(o.Out, table.Behavior, prov, rows); err != nil {
		return err
	}
	for _, l := range lines {
		o.g.Reportln(l)
	}
	o.g.Reportf("wrote %s  %d recordings, %d rows\n", o.Out, len(paths), len(rows))
	return nil
}

// writeTable writes rows of one kind to path (Parquet or Arrow IPC by the
// extension), atomically: on an error nothing is left under path.
func writeTable(path string, kind table.Kind, prov table.Provenance, rows []table.Row) (err error) {
	w, err := table.CreateFile(path, kind, prov, nil, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			w.Abort()
		}
	}()
	rb := table.NewRowBuilder(nil, kind)
	defer rb.Release()
	for i, r := range rows {
		if err := rb.AppendRow(r); err != nil {
			return fmt.Errorf("%s: row %d: %w", path, i, err)
		}
		if rb.Len() == 1<<16 || i == len(rows)-1 {
			rec := rb.NewRecord()
			err := w.Write(rec)
			rec.Release()
			if err != nil {
				return err
			}
		}
	}
	if len(rows) == 0 {
		rec := rb.NewRecord()
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return w.Close()
}
