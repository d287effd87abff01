package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest/eventdata"
	"github.com/spf13/cobra"
)

func newEventsCmd(g *Globals) *cobra.Command {
	return groupCmd("events", "Work with events tables (binning into frames or rates)",
		newEventsBinCmd(g, nil))
}

// binOptions are the flags and argument of 'events bin'.
type binOptions struct {
	g             *Globals
	Input         string // events or spikes table
	Out           string
	Frames, Rates bool
	Bin           time.Duration
	Sample        int32
	Merge         bool
	Channels      int
}

// newEventsBinCmd binds the flags of 'events bin'; runF replaces runBin
// when not nil (tests of the flag wiring).
func newEventsBinCmd(g *Globals, runF func(*binOptions) error) *cobra.Command {
	o := &binOptions{g: g}
	cmd := &cobra.Command{
		Use:   "bin EVENTS.parquet|SPIKES.parquet (--frames -o FRAMES.npy | --rates -o TRACES.parquet) --bin 10ms",
		Short: "Bin events into per-pixel count frames (NPY) or per-channel rates (traces table)",
		Long: `bin reads an events table (from 'neurotab ingest') and bins it in fixed time
bins starting at each sample's first event:

  --frames   one sample's per-pixel counts as a NumPy array [bins][polarity][height][width]
             (uint32; polarity OFF then ON, or one channel with --merge-polarity)
  --rates    every sample of a 1-D sensor or event spike list (x = channel), or every
             recording of a spikes table (from --source nwb-units), as firing rates
             in Hz, written as a traces table (one recording per sample, rows
             ch0, ch1, …) that fit and analysis commands read like calcium traces

The traces table records the input table with its SHA-256 in neurotab.sources.`,
		Example: `  neurotab events bin nmnist.parquet --frames --bin 50ms -o frames.npy
  neurotab events bin shd.parquet --rates --bin 10ms --channels 700 -o rates.parquet`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			o.Input = a[0]
			if runF != nil {
				return runF(o)
			}
			return runBin(o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.Frames, "frames", false, "per-pixel count frames (NPY)")
	f.BoolVar(&o.Rates, "rates", false, "per-channel rates (traces table: .parquet, or .arrow/.feather for Arrow IPC)")
	f.DurationVar(&o.Bin, "bin", 10*time.Millisecond, "bin width")
	f.Int32Var(&o.Sample, "sample", -1, "--frames: which sample id to bin (default: the first in the file)")
	f.BoolVar(&o.Merge, "merge-polarity", false, "--frames: one channel for both polarities")
	f.IntVar(&o.Channels, "channels", 0, "--rates: number of channels (default: the sensor width)")
	f.StringVarP(&o.Out, "out", "o", "", "output file: .npy (--frames); .parquet, .arrow or .feather (--rates)")
	return cmd
}

// runBin bins the table and writes frames or rates.
func runBin(o *binOptions) error {
	if o.Frames == o.Rates {
		return usagef("give exactly one of --frames and --rates")
	}
	if o.Out == "" {
		return usagef("-o/--out is required")
	}
	if o.Bin.Microseconds() <= 0 {
		return usagef("--bin must be at least 1µs")
	}
	if o.Frames && !strings.HasSuffix(o.Out, ".npy") {
		return usagef("--frames writes a .npy file")
	}
	if o.Rates {
		if _, err := parseOut(o.Out, false); err != nil {
			return err
		}
	}
	claim, err := claimOutput(o.g, o.Out, false, "")
	if err != nil {
		return err
	}
	defer claim.Release()
	res, err := eventdata.Bin(o.Input, eventdata.BinOptions{Width: o.Bin, Frames: o.Frames, Sample: o.Sample, MergePolarity: o.Merge, Channels: o.Channels})
	if err != nil {
		return err
	}
	if o.Frames {
		return writeFrames(o, res)
	}
	return writeRates(o, res.Rates)
}

func writeFrames(o *binOptions, res *eventdata.Binned) error {
	af, err := table.CreateAtomic(o.Out)
	if err != nil {
		return err
	}
	defer af.Abort()
	if err := npy.Write(af, res.Shape[:], res.Frames); err != nil {
		return fmt.Errorf("%s: %w", o.Out, err)
	}
	if err := af.Commit(); err != nil {
		return err
	}
	o.g.Reportf("wrote %s  uint32 %v (bins, polarity, height, width)\n", o.Out, res.Shape)
	return nil
}

func writeRates(o *binOptions, recs []*table.Recording) error {
	tb := table.NewTracesBuilder(nil)
	defer tb.Release()
	for _, r := range recs {
		if err := tb.Append(r); err != nil {
			return err
		}
	}
	rec := tb.NewRecord()
	defer rec.Release()
	prov, err := table.NewProvenance(o.g.Args, map[string]any{"bin_us": o.Bin.Microseconds(), "channels": o.Channels}, nil, o.Input)
	if err != nil {
		return err
	}
	if err := table.WriteFile(o.Out, table.Traces, prov, nil, nil, rec); err != nil {
		return err
	}
	o.g.Reportf("wrote %s  %d recordings, %d rows\n", o.Out, len(recs), rec.NumRows())
	return nil
}
