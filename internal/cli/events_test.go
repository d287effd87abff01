package cli

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/spf13/cobra"
)

// writeTinyEvents writes an events table of sample 4 on a 2×1 sensor:
// x0 at 0 µs, x1 at 100 µs and 600 µs.
func writeTinyEvents(t *testing.T, dir string) string {
	t.Helper()
	b := &events.Batch{}
	b.Append(0, 0, 0, 1)
	b.Append(100, 1, 0, 0)
	b.Append(600, 1, 0, 1)
	eb := table.NewEventsBuilder(nil)
	defer eb.Release()
	eb.Append(4, b)
	rec := eb.NewRecord()
	defer rec.Release()
	p := filepath.Join(dir, "ev.parquet")
	if err := table.WriteParquet(p, table.Events, table.Provenance{}, table.EventsMetadata(events.Geometry{Width: 2, Height: 1, Format: "test"}), nil, rec); err != nil {
		t.Fatal(err)
	}
	return p
}

// runBin without cobra: rates of the tiny table in 500 µs bins are, by
// hand, bin 0 (x0 once, x1 once) = (2000, 2000) Hz and bin 1 (x1 once) =
// (0, 2000) Hz; the traces table lists the events table with its SHA-256.
func TestRunBinRates(t *testing.T) {
	dir := t.TempDir()
	in := writeTinyEvents(t, dir)
	out := filepath.Join(dir, "rates.parquet")
	g, stdout, _ := testGlobals()
	if err := runBin(&binOptions{g: g, Input: in, Out: out, Rates: true, Bin: 500 * time.Microsecond}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "1 recordings, 2 rows") {
		t.Errorf("stdout %q", stdout)
	}
	prov, kind, rec := readTable(t, out)
	defer rec.Release()
	if kind != table.Traces || prov.Parameters["bin_us"] != float64(500) {
		t.Errorf("kind %s parameters %v", kind, prov.Parameters)
	}
	wantSources(t, prov, in)
	r, err := table.ReadRecording(rec, table.RecordingKey{Dataset: "events:test", Worm: "sample4"})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{2000, 2000}, {0, 2000}}
	for k := range want {
		for c, v := range want[k] {
			if got := r.Data.At(k, c); got != v {
				t.Errorf("rate[%d][%d] = %v, want %v", k, c, got, v)
			}
		}
	}
}

// Frames of the tiny table in one 1 ms bin: x0 ON once, x1 OFF once and ON
// once, so counts [bin][OFF, ON][y][x] = OFF (0, 1), ON (1, 1).
func TestRunBinFrames(t *testing.T) {
	dir := t.TempDir()
	in := writeTinyEvents(t, dir)
	out := filepath.Join(dir, "f.npy")
	g, _, _ := testGlobals()
	if err := runBin(&binOptions{g: g, Input: in, Out: out, Frames: true, Sample: -1, Bin: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	a, err := npy.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Float64s(), []float64{0, 1, 1, 1}; len(a.Shape) != 4 || a.Shape[0] != 1 || a.Shape[1] != 2 || a.Shape[2] != 1 || a.Shape[3] != 2 || !slices.Equal(got, want) {
		t.Errorf("shape %v counts %v, want [1 2 1 2] %v", a.Shape, got, want)
	}
}

// Option mistakes are usage errors (exit 2) before any file is read.
func TestRunBinUsage(t *testing.T) {
	g, _, _ := testGlobals()
	for name, o := range map[string]binOptions{
		"neither":        {Out: "x.npy", Bin: time.Millisecond},
		"both":           {Out: "x.npy", Bin: time.Millisecond, Frames: true, Rates: true},
		"no out":         {Rates: true, Bin: time.Millisecond},
		"bin below µs":   {Rates: true, Out: "x.parquet", Bin: time.Nanosecond},
		"frames not npy": {Frames: true, Out: "x.parquet", Bin: time.Millisecond},
	} {
		t.Run(name, func(t *testing.T) {
			o.g, o.Input = g, "/nonexistent/events.parquet"
			var ue *UsageError
			if err := runBin(&o); !errors.As(err, &ue) {
				t.Errorf("error %v is not a usage error", err)
			}
		})
	}
}

// The flags reach the options (runF receives them instead of running).
func TestEventsBinFlags(t *testing.T) {
	g, _, _ := testGlobals()
	var got *binOptions
	cmd := newEventsBinCmd(g, func(o *binOptions) error { got = o; return nil })
	if err := execute(cmd, "in.parquet", "--frames", "--bin", "2ms", "--sample", "3", "--merge-polarity", "-o", "f.npy"); err != nil {
		t.Fatal(err)
	}
	want := binOptions{g: g, Input: "in.parquet", Out: "f.npy", Frames: true, Bin: 2 * time.Millisecond, Sample: 3, Merge: true}
	if got == nil || *got != want {
		t.Errorf("options %+v, want %+v", got, want)
	}
}

// execute runs cmd with args and silenced output.
func execute(cmd *cobra.Command, args ...string) error {
	cmd.SetArgs(args)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.Execute()
}
