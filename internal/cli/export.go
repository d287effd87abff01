package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/neurotab/neurotab/formats/table"
	"github.com/spf13/cobra"
)

// exportOptions are the flags and argument of 'export'.
type exportOptions struct {
	g      *Globals
	Input  string
	Format string
	Out    string
}

// newExportCmd binds the flags of 'export'; runF replaces runExport when
// not nil (tests of the flag wiring).
func newExportCmd(g *Globals, runF func(*exportOptions) error) *cobra.Command {
	o := &exportOptions{g: g}
	cmd := &cobra.Command{
		Use:   "export TABLE --format csv|npy -o OUT",
		Short: "Export a table for readers without Arrow: CSV for any table, NumPy arrays for traces",
		Long: `export writes a table in forms that plain Python (or any language) reads
without pyarrow:

  --format csv   any table as one CSV file (-o FILE.csv): a header row, one row per
                 table row; list cells (the traces' calcium_data, time_in_seconds …)
                 as bracketed lists "[0.1,0.2,NaN]" that json.loads reads as they are;
                 null as an empty cell
  --format npy   a traces table as a folder (-o DIR): for each recording a T × N
                 float32 matrix DATASET__WORM.npy (rows time, columns neurons, C order;
                 the homogenized calcium_data) and DATASET__WORM.json with the neuron
                 names, canonical slots, labeled flags and the time vector in seconds

TABLE is a Parquet or Arrow IPC file; for npy also a hive folder of traces.
The output appears whole or not at all.`,
		Example: `  neurotab export traces.parquet --format npy -o traces-npy
  python3 -c "import numpy as np, json; x = np.load('traces-npy/Dag2023__2022-07-26-31.npy'); print(x.shape)"
  neurotab export fc.parquet --format csv -o fc.csv`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			o.Input = a[0]
			if runF != nil {
				return runF(o)
			}
			return runExport(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Format, "format", "", "csv (any table) or npy (traces)")
	f.StringVarP(&o.Out, "out", "o", "", "output: FILE.csv for csv, a folder for npy")
	return cmd
}

func runExport(o *exportOptions) error {
	if o.Out == "" {
		return usagef("-o/--out is required")
	}
	switch o.Format {
	case "csv":
		if !strings.EqualFold(filepath.Ext(o.Out), ".csv") {
			return usagef("--format csv writes FILE.csv, not %s", o.Out)
		}
	case "npy":
		if filepath.Ext(o.Out) != "" {
			return usagef("--format npy writes a folder (a name without an extension), not %s", o.Out)
		}
	case "":
		return usagef("--format is required: csv or npy")
	default:
		return usagef("--format %q: csv or npy", o.Format)
	}
	claim, err := claimOutput(o.g, o.Out, false, "")
	if err != nil {
		return err
	}
	defer claim.Release()
	if o.Format == "csv" {
		return exportCSV(o)
	}
	return exportNPY(o)
}

func exportCSV(o *exportOptions) error {
	f, err := table.Open(o.Input, nil)
	if err != nil {
		return err
	}
	defer f.Close()
	af, err := table.CreateAtomic(o.Out)
	if err != nil {
		return err
	}
	defer af.Abort()
	cw := &countWriter{w: af}
	if err := table.WriteCSV(cw, f); err != nil {
		return fmt.Errorf("%s: %w", o.Input, err)
	}
	if err := af.Commit(); err != nil {
		return err
	}
	o.g.Logf("wrote %s  %d bytes", o.Out, cw.n)
	return nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func exportNPY(o *exportOptions) error {
	rr, err := table.OpenRecordings(o.Input, nil)
	if err != nil {
		return err
	}
	defer rr.Close()
	td, err := table.CreateTempDir(o.Out)
	if err != nil {
		return err
	}
	defer td.Abort()
	n := 0
	for {
		rec, err := rr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := table.WriteRecordingNPY(td.Path, rec, o.Input); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("%s: no recording to export", o.Input)
	}
	if err := td.Commit(); err != nil {
		return err
	}
	o.g.Logf("wrote %s  %s (a .npy matrix and a .json each)", o.Out, plural(n, "recording"))
	return nil
}
