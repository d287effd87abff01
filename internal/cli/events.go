package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest/eventdata"
	"github.com/neurotab/neurotab/ingest/spikes"
	"github.com/spf13/cobra"
)

type binOptions struct {
	frames, rates bool
	bin           time.Duration
	sample        int32
	merge         bool
	channels      int
	out           string
}

func newEventsCmd(g *Globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Work with events tables (binning into frames or rates)",
		Args:  args(cobra.NoArgs),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newEventsBinCmd(g))
	return cmd
}

func newEventsBinCmd(g *Globals) *cobra.Command {
	o := &binOptions{}
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
             ch0, ch1, …) that fit and analysis commands read like calcium traces`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error { return runBin(g, o, a[0]) },
	}
	f := cmd.Flags()
	f.BoolVar(&o.frames, "frames", false, "per-pixel count frames (NPY)")
	f.BoolVar(&o.rates, "rates", false, "per-channel rates (traces Parquet)")
	f.DurationVar(&o.bin, "bin", 10*time.Millisecond, "bin width")
	f.Int32Var(&o.sample, "sample", -1, "--frames: which sample id to bin (default: the first in the file)")
	f.BoolVar(&o.merge, "merge-polarity", false, "--frames: one channel for both polarities")
	f.IntVar(&o.channels, "channels", 0, "--rates: number of channels (default: the sensor width)")
	f.StringVarP(&o.out, "out", "o", "", "output file")
	return cmd
}

func runBin(g *Globals, o *binOptions, path string) error {
	if o.frames == o.rates {
		return usagef("give exactly one of --frames and --rates")
	}
	if o.out == "" {
		return usagef("-o/--out is required")
	}
	if o.bin.Microseconds() <= 0 {
		return usagef("--bin must be at least 1µs")
	}
	if o.rates {
		if pf, err := table.OpenParquet(path, nil); err == nil {
			k, _ := table.KindOf(pf.Schema())
			pf.Close()
			if k == table.Spikes {
				recs, err := spikes.BinRates(path, o.bin)
				if err != nil {
					return err
				}
				return writeRates(g, o, path, recs)
			}
		}
	}
	ef, err := eventdata.OpenEvents(path)
	if err != nil {
		return err
	}
	defer ef.Close()
	if o.frames {
		if !strings.HasSuffix(o.out, ".npy") {
			return usagef("--frames writes a .npy file")
		}
		data, shape, err := eventdata.BinFrames(ef, o.sample, o.bin, o.merge)
		if err != nil {
			return err
		}
		af, err := table.CreateAtomic(o.out)
		if err != nil {
			return err
		}
		defer af.Abort()
		if err := npy.Write(af, shape[:], data); err != nil {
			return fmt.Errorf("%s: %w", o.out, err)
		}
		if err := af.Commit(); err != nil {
			return err
		}
		fmt.Fprintf(g.Stdout, "wrote %s  uint32 %v (bins, polarity, height, width)\n", o.out, shape)
		return nil
	}
	recs, err := eventdata.BinRates(ef, o.bin, o.channels)
	if err != nil {
		return err
	}
	return writeRates(g, o, path, recs)
}

func writeRates(g *Globals, o *binOptions, path string, recs []*table.Recording) error {
	tb := table.NewTracesBuilder(nil)
	defer tb.Release()
	for _, r := range recs {
		if err := tb.Append(r); err != nil {
			return err
		}
	}
	rec := tb.NewRecord()
	defer rec.Release()
	prov := table.Provenance{Command: g.Args, Parameters: map[string]any{"bin_us": o.bin.Microseconds(), "channels": o.channels, "input": path}}
	if err := table.WriteParquet(o.out, table.Traces, prov, nil, nil, rec); err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "wrote %s  %d recordings, %d rows\n", o.out, len(recs), rec.NumRows())
	return nil
}
