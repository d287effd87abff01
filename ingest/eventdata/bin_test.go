package eventdata

import (
	"math"
	"path/filepath"
	"testing"
	"time"

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
