package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/spiking"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/nmnist"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// writeLSMDataset writes an events table of perClass samples per class on
// a 34×34 sensor and its labels CSV: the tonic N-MNIST sample repeated with
// jitter (a shift of up to ±2 pixels, 20% of the events dropped, ±2 ms on
// every time stamp) as class "nmnist", and four moving-dot classes
// (spiking.MovingDot: right, down, diagonal, circle).
func writeLSMDataset(t *testing.T, dir string, perClass int) (evPath, labelsPath string) {
	t.Helper()
	f, err := os.Open(fixtures.Path(t, "tonic", "sample_nmnist.bin"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := nmnist.NewDecoder(f, nmnist.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var digit events.Batch
	for {
		if _, err := d.Next(&digit, 1<<16); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	rng := neurotab.Seed(42).Rand(1)
	eb := table.NewEventsBuilder(nil)
	defer eb.Release()
	var labels strings.Builder
	labels.WriteString("sample,label\n")
	names := []string{"nmnist", "right", "down", "diagonal", "circle"}
	dots := spiking.MovingDot{Width: 34, Height: 34, Radius: 3, Speed: 0.2, Noise: 0.5, Duration: 300}
	id := int32(0)
	for c, name := range names {
		for range perClass {
			b := &events.Batch{}
			if c == 0 {
				dx, dy := rng.IntN(5)-2, rng.IntN(5)-2
				for i := range digit.Len() {
					x, y := int(digit.X[i])+dx, int(digit.Y[i])+dy
					if rng.Float64() < 0.2 || x < 0 || y < 0 || x >= 34 || y >= 34 {
						continue
					}
					b.Append(max(0, digit.T[i]+rng.Int64N(4001)-2000), uint16(x), uint16(y), digit.P[i])
				}
			} else {
				ts, xs, ys, ps := dots.Sample(rng, c-1)
				for i := range ts {
					b.Append(ts[i], xs[i], ys[i], ps[i])
				}
			}
			eb.Append(id, b)
			fmt.Fprintf(&labels, "%d,%s\n", id, name)
			id++
		}
	}
	rec := eb.NewRecord()
	defer rec.Release()
	evPath, labelsPath = filepath.Join(dir, "events.parquet"), filepath.Join(dir, "labels.csv")
	if err := table.WriteParquet(evPath, table.Events, table.Provenance{}, table.EventsMetadata(events.Geometry{Width: 34, Height: 34, Format: "test"}), nil, rec); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(labelsPath, []byte(labels.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return evPath, labelsPath
}

// TestRunFitLSM runs the command end to end on the five-class dataset:
// the tables and figures appear, the confusion matrices hold every test
// sample once, and both readouts beat chance (20%) by far.
func TestRunFitLSM(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 100 samples")
	}
	dir := t.TempDir()
	ev, lab := writeLSMDataset(t, dir, 20)
	g, out, _ := testGlobals()
	o := &fitLSMOptions{g: g, Events: ev, Labels: lab, Grid: []int{10, 10, 10}, InputWeight: 8, Fanout: 5, Weight: 6, Epochs: 1,
		TestFraction: 0.25, Ridge: 1, Seed: 1, Out: filepath.Join(dir, "out")}
	if err := runFitLSM(o); err != nil {
		t.Fatal(err)
	}
	t.Log(strings.TrimSpace(out.String()))
	rows, err := table.ReadRows[table.MetricRow](filepath.Join(o.Out, "metrics.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	acc := map[string]float64{}
	for _, r := range rows {
		if r.Metric == "accuracy" {
			acc[r.Model] = r.Value
		}
	}
	if acc["lsm"] < 0.6 || acc["binned-events"] < 0.6 {
		t.Errorf("accuracies %v: near chance (0.2)", acc)
	}
	conf, err := table.ReadRows[table.MetricRow](filepath.Join(o.Out, "confusion.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := map[string]float64{}
	for _, r := range conf {
		sum[r.Model] += r.Value
	}
	if sum["lsm"] != 25 || sum["binned-events"] != 25 || len(conf) != 2*25 {
		t.Errorf("confusion sums %v over %d rows, want 25 test samples per model, 5×5 cells", sum, len(conf))
	}
	for _, f := range []string{"raster.png", "branching.png"} {
		if st, err := os.Stat(filepath.Join(o.Out, f)); err != nil || st.Size() < 1000 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestFitLSMBadInput: an empty events table, labels that do not match the
// samples and a sensor larger than the input layer are one-line errors
// naming the file; nothing is written.
func TestFitLSMBadInput(t *testing.T) {
	dir := t.TempDir()
	ev, lab := writeLSMDataset(t, dir, 2)
	empty := filepath.Join(dir, "empty.parquet")
	eb := table.NewEventsBuilder(nil)
	rec := eb.NewRecord()
	if err := table.WriteParquet(empty, table.Events, table.Provenance{}, table.EventsMetadata(events.Geometry{Width: 34, Height: 34}), nil, rec); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	eb.Release()
	short := filepath.Join(dir, "short.csv")
	os.WriteFile(short, []byte("sample,label\n0,a\n1,b\n"), 0o644)
	extra := filepath.Join(dir, "extra.csv")
	body, _ := os.ReadFile(lab)
	os.WriteFile(extra, append(body, []byte("999,x\n")...), 0o644)
	for _, tc := range []struct {
		name, events, labels string
		inputs               int
		want                 string
	}{
		{"empty table", empty, lab, 0, "no events"},
		{"labels missing", ev, short, 0, "no label for sample 2"},
		{"label without events", ev, extra, 0, "sample 999 has a label but no events"},
		{"sensor larger than input", ev, lab, 1000, "more than the input layer's 1000 (--input-channels)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, _, _ := testGlobals()
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
			o := &fitLSMOptions{g: g, Events: tc.events, Labels: tc.labels, Grid: []int{4, 4, 4}, InputChannels: tc.inputs, InputWeight: 8, Fanout: 5, Weight: 6, Epochs: 1, TestFraction: 0.25, Ridge: 1, Out: out}
			err := runFitLSM(o)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line with %q", err, tc.want)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s written after an error", out)
			}
		})
	}
}

func TestFitLSMFlags(t *testing.T) {
	g, _, _ := testGlobals()
	var got *fitLSMOptions
	cmd := newFitLSMCmd(g, func(o *fitLSMOptions) error { got = o; return nil })
	if err := execute(cmd, "--events", "e.parquet", "--labels-from-metadata", "--grid", "20,20,20", "--no-astrocyte", "-o", "d"); err != nil {
		t.Fatal(err)
	}
	c, err := got.classify()
	if err != nil {
		t.Fatal(err)
	}
	if c.LSM.Grid != [3]int{20, 20, 20} || !c.LSM.Plastic || c.LSM.Astrocyte || c.Epochs != 1 {
		t.Errorf("classify %+v", c)
	}
	for _, bad := range [][]string{
		{"--events", "e", "-o", "d"},
		{"--events", "e", "--labels", "l", "--labels-from-metadata", "-o", "d"},
		{"--events", "e", "--labels", "l", "--grid", "3,3", "-o", "d"},
		{"--events", "e", "--labels", "l", "--test-fraction", "1", "-o", "d"},
	} {
		cmd := newFitLSMCmd(g, func(o *fitLSMOptions) error { _, err := o.classify(); return err })
		var ue *UsageError
		if err := execute(cmd, bad...); !errors.As(err, &ue) {
			t.Errorf("%v: error %v, want a usage error", bad, err)
		}
	}
}

// TestFitLSMMetadataLabels reads the classes from events.labels: a table of
// two moving-dot classes, 6 samples each, labelled in its metadata.
func TestFitLSMMetadataLabels(t *testing.T) {
	dir := t.TempDir()
	rng := neurotab.Seed(3).Rand(1)
	dots := spiking.MovingDot{Width: 16, Height: 16, Radius: 2, Speed: 0.2, Duration: 100}
	eb := table.NewEventsBuilder(nil)
	defer eb.Release()
	meta := table.EventsMetadata(events.Geometry{Width: 16, Height: 16, Format: "test"})
	var js []string
	for id := range int32(12) {
		ts, xs, ys, ps := dots.Sample(rng, int(id%2))
		b := &events.Batch{}
		for i := range ts {
			b.Append(ts[i], xs[i], ys[i], ps[i])
		}
		eb.Append(id, b)
		js = append(js, fmt.Sprintf("%q:%d", fmt.Sprint(id), id%2))
	}
	meta[table.MetaEventsLabels] = "{" + strings.Join(js, ",") + "}"
	rec := eb.NewRecord()
	defer rec.Release()
	ev := filepath.Join(dir, "ev.parquet")
	if err := table.WriteParquet(ev, table.Events, table.Provenance{}, meta, nil, rec); err != nil {
		t.Fatal(err)
	}
	g, out, _ := testGlobals()
	o := &fitLSMOptions{g: g, Events: ev, LabelsMeta: true, Grid: []int{5, 5, 5}, InputWeight: 8, Fanout: 5, Weight: 6, Epochs: 1, TestFraction: 0.25, Ridge: 1, Seed: 1, Out: filepath.Join(dir, "out")}
	if err := runFitLSM(o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "12 samples (8 train, 4 test), 2 classes") {
		t.Errorf("summary %q", out.String())
	}
	conf, err := table.ReadRows[table.MetricRow](filepath.Join(o.Out, "confusion.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range conf {
		if r.Neuron != "0" && r.Neuron != "1" {
			t.Errorf("class %q, want 0 or 1 (the metadata's labels)", r.Neuron)
		}
	}
}
