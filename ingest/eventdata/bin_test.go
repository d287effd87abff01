package eventdata

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// N-MNIST sample (tonic/SOURCE.md): 4325 events, ON 2145, OFF 2180, first
// t 654 µs, last t 311175 µs. With 100 ms bins from the first event the
// frames number ⌊(311175−654)/100000⌋+1 = 4 and hold every event once.
func TestBinFramesNMNIST(t *testing.T) {
	in := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	out := filepath.Join(t.TempDir(), "e.parquet")
	if _, err := ToFile([]ingest.Input{{Path: in, Source: "nmnist"}}, out, Config{}); err != nil {
		t.Fatal(err)
	}
	ef, err := OpenEvents(out)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	data, shape, err := BinFrames(ef, 0, 100*time.Millisecond, false)
	if err != nil {
		t.Fatal(err)
	}
	if shape != [4]int{4, 2, 34, 34} {
		t.Fatalf("shape %v", shape)
	}
	var off, on uint64
	plane := 34 * 34
	for b := 0; b < shape[0]; b++ {
		for i := 0; i < plane; i++ {
			off += uint64(data[(b*2+0)*plane+i])
			on += uint64(data[(b*2+1)*plane+i])
		}
	}
	if on != 2145 || off != 2180 {
		t.Fatalf("ON %d OFF %d", on, off)
	}
	// The first event (x=7, y=15, p=1) is in bin 0, ON channel.
	if data[(0*2+1)*plane+15*34+7] == 0 {
		t.Fatal("first event missing from frame 0")
	}
}

// Rates of a hand-made spike train: channel 0 fires at 0, 100, 200 µs and
// channel 2 at 1500 µs; with 1 ms bins from t=0 the rates are
// bin 0: (3/0.001, 0, 0) Hz, bin 1: (0, 0, 1/0.001) Hz.
func TestBinRates(t *testing.T) {
	b := &events.Batch{}
	b.Append(0, 0, 0, 1)
	b.Append(100, 0, 0, 1)
	b.Append(200, 0, 0, 1)
	b.Append(1500, 2, 0, 1)
	eb := table.NewEventsBuilder(nil)
	defer eb.Release()
	eb.Append(7, b)
	rec := eb.NewRecord()
	defer rec.Release()
	out := filepath.Join(t.TempDir(), "s.parquet")
	if err := table.WriteParquet(out, table.Events, table.Provenance{}, table.EventsMetadata(events.Geometry{Width: 3, Height: 1, Format: "test"}), nil, rec); err != nil {
		t.Fatal(err)
	}
	ef, err := OpenEvents(out)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	recs, err := BinRates(ef, time.Millisecond, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Worm != "sample7" {
		t.Fatalf("%d recordings", len(recs))
	}
	r := recs[0]
	want := [][]float64{{3000, 0, 0}, {0, 0, 1000}}
	T, C := r.Data.Dims()
	if T != 2 || C != 3 {
		t.Fatalf("dims %d×%d", T, C)
	}
	for k := range want {
		for c := range want[k] {
			if math.Abs(r.Data.At(k, c)-want[k][c]) > 1e-9 {
				t.Fatalf("rate[%d][%d] = %v want %v", k, c, r.Data.At(k, c), want[k][c])
			}
		}
	}
	if r.Time[1] != 0.001 || r.Neurons[2] != "ch2" {
		t.Fatalf("time %v neurons %v", r.Time, r.Neurons)
	}
	// The recordings go into a valid traces table.
	tb := table.NewTracesBuilder(nil)
	defer tb.Release()
	if err := tb.Append(r); err != nil {
		t.Fatal(err)
	}
	tr := tb.NewRecord()
	defer tr.Release()
	if err := table.Validate(table.Traces, tr); err != nil {
		t.Fatal(err)
	}
}

// writeEventsTable writes a tiny events table: sample 3 on a 3×2 sensor
// and one event of sample 5.
func writeEventsTable(t *testing.T) string {
	t.Helper()
	eb := table.NewEventsBuilder(nil)
	defer eb.Release()
	b := &events.Batch{}
	b.Append(10, 0, 0, 1)   // bin 0, ON, (y0, x0)
	b.Append(20, 1, 0, 0)   // bin 0, OFF, (y0, x1)
	b.Append(1009, 0, 0, 1) // bin 0 (< 10 + 1000), ON, (y0, x0)
	b.Append(1010, 2, 1, 1) // bin 1, ON, (y1, x2)
	b.Append(2500, 2, 1, 0) // bin 2, OFF, (y1, x2)
	eb.Append(3, b)
	b.Reset()
	b.Append(0, 1, 1, 1)
	eb.Append(5, b)
	rec := eb.NewRecord()
	defer rec.Release()
	out := filepath.Join(t.TempDir(), "ev.parquet")
	if err := table.WriteParquet(out, table.Events, table.Provenance{}, table.EventsMetadata(events.Geometry{Width: 3, Height: 2, Format: "test"}), nil, rec); err != nil {
		t.Fatal(err)
	}
	return out
}

// Bin on the table above; every count and rate is read off the event list
// by hand (bins of 1 ms from each sample's first event).
func TestBin(t *testing.T) {
	path := writeEventsTable(t)
	// idx(C, b, ch, y, x) is the index of bin b, channel ch, pixel (y, x) in
	// [B][C][2][3] with C channels.
	idx := func(c, b, ch, y, x int) int { return ((b*c+ch)*2+y)*3 + x }
	for _, c := range []struct {
		name  string
		opt   BinOptions
		shape [4]int
		ones  map[int]uint32 // non-zero counts
	}{
		{"frames of the first sample", BinOptions{Width: time.Millisecond, Frames: true, Sample: -1}, [4]int{3, 2, 2, 3},
			map[int]uint32{idx(2, 0, 1, 0, 0): 2, idx(2, 0, 0, 0, 1): 1, idx(2, 1, 1, 1, 2): 1, idx(2, 2, 0, 1, 2): 1}},
		{"merged polarity", BinOptions{Width: time.Millisecond, Frames: true, Sample: 3, MergePolarity: true}, [4]int{3, 1, 2, 3},
			map[int]uint32{idx(1, 0, 0, 0, 0): 2, idx(1, 0, 0, 0, 1): 1, idx(1, 1, 0, 1, 2): 1, idx(1, 2, 0, 1, 2): 1}},
		{"sample 5 only", BinOptions{Width: time.Millisecond, Frames: true, Sample: 5}, [4]int{1, 2, 2, 3},
			map[int]uint32{idx(2, 0, 1, 1, 1): 1}},
		{"one wide bin", BinOptions{Width: 3 * time.Millisecond, Frames: true, Sample: 3}, [4]int{1, 2, 2, 3},
			map[int]uint32{idx(2, 0, 1, 0, 0): 2, idx(2, 0, 0, 0, 1): 1, idx(2, 0, 1, 1, 2): 1, idx(2, 0, 0, 1, 2): 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Bin(path, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != table.Events || got.Shape != c.shape || len(got.Frames) != c.shape[0]*c.shape[1]*c.shape[2]*c.shape[3] {
				t.Fatalf("kind %s shape %v, %d counts; want shape %v", got.Kind, got.Shape, len(got.Frames), c.shape)
			}
			for i, v := range got.Frames {
				if v != c.ones[i] {
					t.Errorf("count[%d] = %d, want %d", i, v, c.ones[i])
				}
			}
		})
	}
	t.Run("rates", func(t *testing.T) {
		got, err := Bin(path, BinOptions{Width: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		// Channel = x. Sample 3 from t = 10 µs: bin 0 holds x0 twice and x1
		// once, bins 1 and 2 x2 once: counts / 1 ms in Hz. Sample 5: x1 once.
		want := []struct {
			worm string
			time []float64
			rate [][]float64
		}{
			{"sample3", []float64{10e-6, 1010e-6, 2010e-6}, [][]float64{{2000, 1000, 0}, {0, 0, 1000}, {0, 0, 1000}}},
			{"sample5", []float64{0}, [][]float64{{0, 1000, 0}}},
		}
		if len(got.Rates) != len(want) {
			t.Fatalf("%d recordings", len(got.Rates))
		}
		for i, w := range want {
			r := got.Rates[i]
			if r.Worm != w.worm || len(r.Time) != len(w.time) {
				t.Fatalf("recording %d: %s with %d bins", i, r.Worm, len(r.Time))
			}
			for k := range w.time {
				if math.Abs(r.Time[k]-w.time[k]) > 1e-12 {
					t.Errorf("%s time[%d] = %v, want %v", w.worm, k, r.Time[k], w.time[k])
				}
				for ch, v := range w.rate[k] {
					if math.Abs(r.Data.At(k, ch)-v) > 1e-9 {
						t.Errorf("%s rate[%d][%d] = %v, want %v", w.worm, k, ch, r.Data.At(k, ch), v)
					}
				}
			}
		}
	})
	t.Run("errors", func(t *testing.T) {
		if _, err := Bin(path, BinOptions{Width: time.Nanosecond}); !errors.Is(err, neurotab.ErrParam) {
			t.Errorf("1 ns bins: %v", err)
		}
		if _, err := Bin(path, BinOptions{Width: time.Millisecond, Frames: true, Sample: 9}); err == nil || !strings.Contains(err.Error(), "no events of sample 9") {
			t.Errorf("absent sample: %v", err)
		}
		if _, err := Bin(filepath.Join(t.TempDir(), "none.parquet"), BinOptions{Width: time.Millisecond}); err == nil {
			t.Error("missing file: no error")
		}
	})
}

// A spikes table: unit 2 fires at 0, 0.1 and 0.35 s, unit 5 at 0.2 s. With
// 250 ms bins from the first spike, bin 0 holds two spikes of unit 2 (8 Hz)
// and one of unit 5 (4 Hz), bin 1 one spike of unit 2 (4 Hz).
func TestBinSpikes(t *testing.T) {
	rb := table.NewRowBuilder(nil, table.Spikes)
	defer rb.Release()
	for _, s := range []struct {
		unit int64
		t    float64
	}{{2, 0}, {2, 0.1}, {5, 0.2}, {2, 0.35}} {
		if err := rb.Append("r1", s.unit, s.t, nil); err != nil {
			t.Fatal(err)
		}
	}
	rec := rb.NewRecord()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "spikes.parquet")
	if err := table.WriteParquet(path, table.Spikes, table.Provenance{}, nil, nil, rec); err != nil {
		t.Fatal(err)
	}
	got, err := Bin(path, BinOptions{Width: 250 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if got.Kind != table.Spikes || len(got.Rates) != 1 {
		t.Fatalf("kind %s, %d recordings", got.Kind, len(got.Rates))
	}
	r := got.Rates[0]
	want := [][]float64{{8, 4}, {4, 0}}
	if T, U := r.Data.Dims(); T != 2 || U != 2 || r.Neurons[0] != "unit2" || r.Neurons[1] != "unit5" {
		t.Fatalf("%d×%d, units %v", T, U, r.Neurons)
	}
	for k := range want {
		for u, v := range want[k] {
			if math.Abs(r.Data.At(k, u)-v) > 1e-9 {
				t.Errorf("rate[%d][%d] = %v, want %v", k, u, r.Data.At(k, u), v)
			}
		}
	}
	if _, err := Bin(path, BinOptions{Width: time.Millisecond, Frames: true}); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("frames of spikes: %v", err)
	}
}
